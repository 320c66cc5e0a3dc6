import { expect, it } from "vitest";
import { TurnMeter, turnSpeed } from "./turn-meter.js";

const usage = (outputTokens: number) => ({ inputTokens: 10, outputTokens, totalTokens: 10 + outputTokens });

it("times a turn from its start to its first token, and its speed from there to its end", () => {
  let now = 1000;
  const meter = new TurnMeter(() => now);
  expect(meter.observe({ type: "turn-start", turn: 1 })).toBeUndefined();
  now = 1400;
  meter.observe({ type: "text-delta", turn: 1, delta: "Hel" });
  now = 1500;
  meter.observe({ type: "text-delta", turn: 1, delta: "lo" });
  now = 2400;
  expect(meter.observe({ type: "turn-end", turn: 1, provenance: undefined, usage: usage(50), finishReason: "stop" })).toEqual({ timeToFirstTokenMs: 400, tokensPerSecond: 50 });
  // A turn that only calls a tool counts the call as its first token.
  meter.observe({ type: "turn-start", turn: 2 });
  now = 2500;
  meter.observe({ type: "tool-call", turn: 2, id: "c", name: "Read", input: {} });
  now = 2520;
  expect(meter.observe({ type: "turn-end", turn: 2, provenance: undefined, usage: usage(9), finishReason: "tool-calls" })).toEqual({ timeToFirstTokenMs: 100 });
});

it("says nothing of a turn that produced no token, and no speed for one too short to tell", () => {
  expect(turnSpeed({ startedAt: 0, firstTokenAt: undefined, endedAt: 100, outputTokens: 0 })).toEqual({});
  expect(turnSpeed({ startedAt: 0, firstTokenAt: 10, endedAt: 40, outputTokens: 5 })).toEqual({ timeToFirstTokenMs: 10 });
});
