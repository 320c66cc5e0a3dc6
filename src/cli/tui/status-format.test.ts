import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, formatRate, formatTokens, memoryLow, memoryPart, statusLines, type StatusPart } from "./status-format.js";
import type { StatusInfo } from "./view-state.js";

const text = (parts: StatusPart[]): string => parts.map((p) => p.text).join("");
const GiB = 1024 ** 3;
const base: StatusInfo = { model: "auto", inputTokens: 0, outputTokens: 0, costUsd: 0 };

describe("the status lines", () => {
  it("before any turn, one line: the model asked for, whether the session is up, tokens, cost, mode", () => {
    expect(statusLines(base, "default", false).map(text)).toEqual(["auto · last: starting… · 0 in / 0 out · $0.0000 · mode: default"]);
    expect(statusLines(base, "default", true).map(text)).toEqual(["auto · last: no turn yet · 0 in / 0 out · $0.0000 · mode: default"]);
  });

  it("after a turn: who answered and why, then time to first token, speed, context used of the window", () => {
    const s: StatusInfo = {
      ...base,
      answeredBy: { provider: "local", model: "qwen3-4b", reason: "local" },
      inputTokens: 1234,
      outputTokens: 56,
      costUsd: 0.0123,
      timeToFirstTokenMs: 340.4,
      tokensPerSecond: 42.4,
      contextTokens: 3290,
      contextWindow: 8192,
    };
    const [first, second] = statusLines(s, "plan", true) as [StatusPart[], StatusPart[]];
    expect(text(first)).toBe("auto · last: local:qwen3-4b (local) · 1234 in / 56 out · $0.0123 · mode: plan (Shift+Tab to change)");
    expect(first.find((p) => p.text === "mode: plan")?.role).toBe("warning");
    expect(text(second)).toBe("first token 340 ms · 42 tok/s · context 3.3k/8.2k (40%)");
    expect(second.find((p) => p.text.includes("context"))?.role).toBe("dim");
  });

  it("counts, within the tokens in, those read from a prompt cache and written to one, where the models stated them", () => {
    const line = (s: Partial<StatusInfo>): string => text(statusLines({ ...base, inputTokens: 10552, outputTokens: 10, ...s }, "default", true)[0]!);
    expect(line({ cachedInputTokens: 10212, cacheWriteInputTokens: 200 })).toBe("auto · last: no turn yet · 10552 in (10212 cached, 200 cache write) / 10 out · $0.0000 · mode: default");
    expect(line({ cachedInputTokens: 0 })).toBe("auto · last: no turn yet · 10552 in (0 cached) / 10 out · $0.0000 · mode: default");
    expect(line({ cacheWriteInputTokens: 200 })).toBe("auto · last: no turn yet · 10552 in (200 cache write) / 10 out · $0.0000 · mode: default");
    expect(line({})).toBe("auto · last: no turn yet · 10552 in / 10 out · $0.0000 · mode: default");
  });

  it("warns when the context is filling up (compaction comes at 80%)", () => {
    const second = statusLines({ ...base, contextTokens: 100_000, contextWindow: 128_000 }, "default", true)[1];
    expect(second?.find((p) => p.text.includes("context"))).toEqual({ text: "context 100k/128k (78%)", role: "warning" });
  });

  it("says the context filled and that the window is unknown when the model has not said it, rather than a share of a guess", () => {
    const second = statusLines({ ...base, contextTokens: 9000 }, "default", true)[1];
    expect(second?.find((p) => p.text.includes("context"))).toEqual({ text: "context 9.0k (window unknown)", role: "dim" });
  });

  it("formats figures to fit a line", () => {
    expect([formatTokens(950), formatTokens(1234), formatTokens(12_345), formatTokens(1_100_000)]).toEqual(["950", "1.2k", "12k", "1.1M"]);
    expect([formatBytes(512 * 1024 ** 2), formatBytes(3.25 * GiB)]).toEqual(["512 MiB", "3.3 GiB"]);
    expect([formatMs(340.4), formatMs(1234)]).toEqual(["340 ms", "1.2 s"]);
    expect([formatRate(8.46), formatRate(42.4)]).toEqual(["8.5 tok/s", "42 tok/s"]);
  });
});

describe("the memory line", () => {
  it("free memory of the total, and the daemon's when one serves the model", () => {
    expect(memoryPart({ freeBytes: 5.2 * GiB, totalBytes: 16 * GiB })).toEqual({ text: "memory: 5.2 GiB free of 16.0 GiB", role: "dim" });
    expect(memoryPart({ freeBytes: 5.2 * GiB, totalBytes: 16 * GiB, daemonRssBytes: 1.3 * GiB }).text).toBe("memory: 5.2 GiB free of 16.0 GiB · daemon 1.3 GiB");
  });

  it("warns under 10% free or under 1 GiB free", () => {
    expect(memoryLow({ freeBytes: 1.5 * GiB, totalBytes: 16 * GiB })).toBe(true);
    expect(memoryLow({ freeBytes: 0.9 * GiB, totalBytes: 4 * GiB })).toBe(true);
    expect(memoryLow({ freeBytes: 1.7 * GiB, totalBytes: 16 * GiB })).toBe(false);
    expect(memoryPart({ freeBytes: 800 * 1024 ** 2, totalBytes: 8 * GiB, daemonRssBytes: 6 * GiB })).toEqual({
      text: "⚠ memory low: 800 MiB free of 8.0 GiB · daemon 6.0 GiB; a larger model or context may not fit",
      role: "warning",
    });
  });
});
