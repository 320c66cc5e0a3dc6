import { describe, expect, it } from "vitest";
import { DecisionLog, type Decision } from "./decisions.js";
import { routerMetricsText, statsOf } from "./report.js";

const decision = (id: number, patch: Partial<Decision>): Decision => ({
  id,
  at: "2026-12-03T10:00:00.000Z",
  route: "default",
  requestedModel: "auto",
  outcome: "ok",
  attempts: [],
  costUsd: 0,
  ms: 100,
  ...patch,
});

/** Two Anthropic answers, one stating its cache reads and writes and one stating none; a local one stating its reads. */
const decisions = [
  decision(1, { provider: "anthropic", model: "claude", usage: { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200, outputTokens: 5, totalTokens: 5217 } }),
  decision(2, { provider: "anthropic", model: "claude", usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } }),
  decision(3, { provider: "local", model: "qwen", usage: { inputTokens: 40, cachedInputTokens: 30, outputTokens: 2, totalTokens: 42 } }),
];

describe("router stats", () => {
  it("total each target's cached and cache-written input tokens beside its input and output, from the log or read back", () => {
    const log = new DecisionLog();
    for (const d of decisions) log.record(d);
    for (const stats of [statsOf(decisions), log.stats()]) {
      expect(stats.byTarget).toEqual({
        "anthropic:claude": { requests: 2, errors: 0, inputTokens: 5224, outputTokens: 10, cachedInputTokens: 5000, cacheWriteInputTokens: 200, costUsd: 0 },
        "local:qwen": { requests: 1, errors: 0, inputTokens: 40, outputTokens: 2, cachedInputTokens: 30, cacheWriteInputTokens: 0, costUsd: 0 },
      });
    }
  });

  it("give /metrics the cached and cache-written tokens per target", () => {
    const text = routerMetricsText(statsOf(decisions));
    expect(text).toContain('wren_router_tokens_total{target="anthropic:claude",direction="input"} 5224');
    expect(text).toContain('wren_router_tokens_total{target="anthropic:claude",direction="cached"} 5000');
    expect(text).toContain('wren_router_tokens_total{target="anthropic:claude",direction="cache_write"} 200');
    expect(text).toContain('wren_router_tokens_total{target="local:qwen",direction="cache_write"} 0');
  });
});
