import type { BudgetStatus, Decision, RouterStats } from "../runtime/router-report.js";

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

/** A line per budget: what is left of it and when it resets. */
export function formatBudgets(budgets: readonly BudgetStatus[]): string {
  return budgets
    .map((b) => {
      // A `*` budget has a line per key, which its name (`day:*@*`) does not tell apart.
      const whose = b.key !== undefined && b.name.endsWith("@*") ? ` key ${b.key}` : "";
      return `budget ${b.name}${whose}  $${b.remainingUsd.toFixed(4)} of $${b.limitUsd} left  resets ${b.resetsAt}\n`;
    })
    .join("");
}
