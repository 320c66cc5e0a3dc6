import { describe, expect, it } from "vitest";
import { answerStats, type PrintedAnswer } from "./print-stream.js";

describe("answerStats", () => {
  it("names who answered with its control characters written out: a remote model's name cannot drive the terminal", () => {
    const answer: PrintedAnswer = {
      text: "hi",
      finish: { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
      provenance: { provider: "peer", model: "m\x1b]0;title\x07\r", reason: "peer\x1b[2K", route: "r" },
      timeToFirstTokenMs: 1,
      totalMs: 2,
    };
    const line = answerStats(answer, true);
    expect(line).toContain("answered by peer:m\\x1b]0;title\\x07\\r (route r, reason peer\\x1b[2K)");
  });
});
