import { addDecision, type Decision, type RouterStats } from "./decisions.js";

/** Totals over a list of decisions (e.g. read back from the decisions file). */
export function statsOf(decisions: Decision[]): RouterStats {
  const stats: RouterStats = { requests: 0, errors: 0, fallbacks: 0, costUsd: 0, byTarget: {} };
  // A log written before cache counts were totalled reads as having none.
  for (const d of decisions) addDecision(stats, d, d.attempts.some((a) => a.outcome === "failed" || a.outcome === "skipped"));
  return stats;
}

const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 6 : 4)}`;

/** One line per decision, newest first: when, route, who answered, why, outcome, time, cost, what was passed over and, when known, the client's key id. */
export function formatDecisions(decisions: Decision[]): string {
  if (decisions.length === 0) return "No routing decisions yet.\n";
  return decisions
    .map((d) => {
      const who = d.provider ? `${d.provider}:${d.model}` : "-";
      const passed = d.attempts
        .filter((a) => a.outcome !== "ok")
        .map((a) => `${a.target} ${a.outcome}${a.detail ? ` (${a.detail}${a.status ? ` ${a.status}` : ""})` : ""}`)
        .join(", ");
      const time = d.at.slice(11, 19);
      return [
        `#${d.id}`,
        time,
        d.route,
        who,
        d.safetyRule ? `${d.reason ?? "safety"}:${d.safetyRule}` : (d.reason ?? "-"),
        d.outcome === "ok" ? "ok" : `error: ${d.error ?? "?"}`,
        `${Math.round(d.ms)}ms`,
        usd(d.costUsd),
        ...(passed ? [`[${passed}]`] : []),
        // The client key's id (a name in server.keys, never the key), when the server knew who asked.
        ...(d.keyId ? [`key ${d.keyId}`] : []),
        // From a log that replicas share: which one decided.
        ...(d.replica ? [`on ${d.replica}`] : []),
      ].join("  ");
    })
    .join("\n")
    .concat("\n");
}

/** Totals and a table per answering target. */
export function formatStats(stats: RouterStats): string {
  const lines = [`requests ${stats.requests}  errors ${stats.errors}  fallbacks ${stats.fallbacks}  cost ${usd(stats.costUsd)}`];
  const rows = Object.entries(stats.byTarget).sort((a, b) => b[1].requests - a[1].requests);
  if (rows.length) {
    const width = Math.max(6, ...rows.map(([k]) => k.length));
    const costWidth = Math.max(4, ...rows.map(([, r]) => usd(r.costUsd).length));
    // The cache counts (within input tokens) come after cost, so the columns before keep their places.
    lines.push(`${"target".padEnd(width)}  requests  errors  input tokens  output tokens  ${"cost".padEnd(costWidth)}  cached tokens  cache write tokens`);
    for (const [key, r] of rows) {
      lines.push(
        `${key.padEnd(width)}  ${String(r.requests).padStart(8)}  ${String(r.errors).padStart(6)}  ${String(r.inputTokens).padStart(12)}  ${String(r.outputTokens).padStart(13)}  ${usd(r.costUsd).padEnd(costWidth)}  ${String(r.cachedInputTokens).padStart(13)}  ${String(r.cacheWriteInputTokens).padStart(18)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
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
  const rows = Object.entries(stats.byTarget);
  for (const [key, r] of rows) out.push(`wren_router_cost_usd_total{target="${key}"} ${r.costUsd}`);
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
