import { addDecision, type Decision, type RouterStats } from "./decisions.js";

/** Totals over a list of decisions (e.g. read back from the decisions file). */
export function statsOf(decisions: Decision[]): RouterStats {
  const stats: RouterStats = { requests: 0, errors: 0, fallbacks: 0, costUsd: 0, byTarget: {} };
  // A log written before cache counts were totalled reads as having none.
  for (const d of decisions) addDecision(stats, d);
  return stats;
}

const needsEscape = /[\\"\n]/;

/** A label value as Prometheus's text format writes it (a client's `provider:model` may hold quotes and backslashes). */
function labelValue(value: string): string {
  return needsEscape.test(value) ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") : value;
}

/** Prometheus text lines for `/metrics`: requests, errors, fallbacks, tokens and cost per target. */
export function routerMetricsText(stats: RouterStats): string {
  const out = [
    "# HELP wren_router_requests_total Requests routed.",
    "# TYPE wren_router_requests_total counter",
    `wren_router_requests_total ${stats.requests}`,
    "# HELP wren_router_fallbacks_total Requests answered after passing over a target.",
    "# TYPE wren_router_fallbacks_total counter",
    `wren_router_fallbacks_total ${stats.fallbacks}`,
    "# HELP wren_router_errors_total Requests no target could answer.",
    "# TYPE wren_router_errors_total counter",
    `wren_router_errors_total ${stats.errors}`,
    "# HELP wren_router_cost_usd_total Cost of answered requests, from the price table.",
    "# TYPE wren_router_cost_usd_total counter",
  ];
  const rows = Object.entries(stats.byTarget).map(([key, r]) => [labelValue(key), r] as const);
  for (const [key, r] of rows) out.push(`wren_router_cost_usd_total{target="${key}"} ${r.costUsd}`);
  out.push(
    "# HELP wren_router_target_requests_total Requests sent to a target: the one that answered, and each that failed before it or when none could answer.",
    "# TYPE wren_router_target_requests_total counter",
  );
  for (const [key, r] of rows) out.push(`wren_router_target_requests_total{target="${key}"} ${r.requests}`);
  out.push("# HELP wren_router_target_errors_total Failures of a target, one a request it was sent (after its retries).", "# TYPE wren_router_target_errors_total counter");
  for (const [key, r] of rows) out.push(`wren_router_target_errors_total{target="${key}"} ${r.errors}`);
  out.push(
    "# HELP wren_router_tokens_total Tokens by target and direction (input|output, and of input: cached, read from a prompt cache, and cache_write, written to one).",
    "# TYPE wren_router_tokens_total counter",
  );
  for (const [key, r] of rows) {
    out.push(`wren_router_tokens_total{target="${key}",direction="input"} ${r.inputTokens}`);
    out.push(`wren_router_tokens_total{target="${key}",direction="output"} ${r.outputTokens}`);
    out.push(`wren_router_tokens_total{target="${key}",direction="cached"} ${r.cachedInputTokens}`);
    out.push(`wren_router_tokens_total{target="${key}",direction="cache_write"} ${r.cacheWriteInputTokens}`);
  }
  return `${out.join("\n")}\n`;
}
