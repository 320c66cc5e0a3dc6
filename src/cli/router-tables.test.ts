import { describe, expect, it } from "vitest";
import type { Decision } from "../runtime/router-report.js";
import { formatBudgets, formatDecisions, formatStats } from "./router-tables.js";

/** What `wren router stats` prints: the totals the runtime gives it, as the table the statsOf test reads. */
const stats = {
  requests: 3,
  errors: 0,
  fallbacks: 0,
  costUsd: 0,
  byTarget: {
    "anthropic:claude": { requests: 2, errors: 0, inputTokens: 5224, outputTokens: 10, cachedInputTokens: 5000, cacheWriteInputTokens: 200, costUsd: 0 },
    "local:qwen": { requests: 1, errors: 0, inputTokens: 40, outputTokens: 2, cachedInputTokens: 30, cacheWriteInputTokens: 0, costUsd: 0 },
  },
};

describe("wren router stats and log tables", () => {
  it("print them as columns after the existing ones, which keep their places", () => {
    const lines = formatStats(stats).trimEnd().split("\n");
    expect(lines[1]).toMatch(/^target +requests {2}errors {2}input tokens {2}output tokens {2}cost +cached tokens {2}cache write tokens$/);
    expect(lines[2]).toMatch(/^anthropic:claude +2 +0 +5224 +10 +\$0\.0000 +5000 +200$/);
    expect(lines[3]).toMatch(/^local:qwen +1 +0 +40 +2 +\$0\.0000 +30 +0$/);
    // Each count sits under its header's right edge.
    const header = lines[1]!;
    for (const [row, value] of [[lines[2]!, "5000"], [lines[3]!, "30"]] as const) {
      expect(row.indexOf(` ${value} `) + value.length + 1).toBe(header.indexOf("cached tokens") + "cached tokens".length);
    }
    expect(lines[2]!.length).toBe(header.length);
  });

  it("log: one line per decision, newest first as given, numbered, with who answered, why and the passed-over targets", () => {
    const base = { at: "2026-12-03T10:00:00.000Z", route: "default", requestedModel: "auto", outcome: "ok", costUsd: 0, ms: 100 } as const;
    const failed: Decision = { ...base, id: 4, provider: "local", model: "qwen", reason: "fallback", attempts: [{ target: "openai:gpt", outcome: "failed", detail: "upstream_error", status: 503, ms: 3 }, { target: "local:qwen", outcome: "ok", ms: 90 }], keyId: "ci" };
    const answered: Decision = { ...base, id: 3, provider: "anthropic", model: "claude", reason: "primary", attempts: [], costUsd: 0.0123 };
    const lines = formatDecisions([failed, answered]).trimEnd().split("\n");
    expect(lines).toEqual([
      "#4  10:00:00  default  local:qwen  fallback  ok  100ms  $0.0000  [openai:gpt failed (upstream_error 503)]  key ci",
      "#3  10:00:00  default  anthropic:claude  primary  ok  100ms  $0.0123",
    ]);
    expect(formatDecisions([])).toBe("No routing decisions yet.\n");
  });

  it("budgets: what is left of each, a `*` budget's line naming its key", () => {
    const text = formatBudgets([
      { name: "day", period: "day", limitUsd: 5, spentUsd: 0.75, remainingUsd: 4.25, resetsAt: "2026-12-04T00:00:00.000Z" },
      { name: "day:*@*", period: "day", key: "ci", limitUsd: 1, spentUsd: 0, remainingUsd: 1, resetsAt: "2026-12-04T00:00:00.000Z" },
    ]);
    expect(text).toBe("budget day  $4.2500 of $5 left  resets 2026-12-04T00:00:00.000Z\nbudget day:*@* key ci  $1.0000 of $1 left  resets 2026-12-04T00:00:00.000Z\n");
  });
});
