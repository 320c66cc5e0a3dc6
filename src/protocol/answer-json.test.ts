import { describe, expect, it } from "vitest";
import { AnswerJsonStream, answerChoices } from "./answer-json.js";
import type { StreamPart } from "./stream.js";

const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };

function run(parts: StreamPart[]): StreamPart[] {
  const answer = new AnswerJsonStream("answer");
  return parts.flatMap((p) => answer.push(p));
}

describe("the answer object's JSON around a bare value", () => {
  it("an empty value that finished is still the whole object; one cut before any text gives no text", () => {
    expect(run([{ type: "finish", finishReason: "stop", usage }])).toEqual([
      { type: "text-start", id: "text-answer" },
      { type: "text-delta", id: "text-answer", delta: '{"answer":""}' },
      { type: "text-end", id: "text-answer" },
      { type: "finish", finishReason: "stop", usage },
    ]);
    expect(run([{ type: "finish", finishReason: "length", usage }])).toEqual([{ type: "finish", finishReason: "length", usage }]);
  });

  it("a whole answer on the finish is wrapped there; an error closes the open block unfinished", () => {
    const whole = run([{ type: "finish", finishReason: "stop", usage, content: [{ type: "text", text: "yes" }] }]);
    expect(whole).toEqual([{ type: "finish", finishReason: "stop", usage, content: [{ type: "text", text: '{"answer":"yes"}' }] }]);
    const error = { type: "error", error: { code: "internal", message: "gone" } } as StreamPart;
    const parts = run([{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "y" }, error]);
    expect(parts).toEqual([{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: '{"answer":"y' }, { type: "text-end", id: "t" }, error]);
  });

  it("only a format with answerKey naming a string enum is answered by the bare value", () => {
    const schema = { type: "object", properties: { answer: { type: "string", enum: ["a", "b"] } } };
    expect(answerChoices({ type: "json", schema, answerKey: "answer" })).toEqual({ key: "answer", values: ["a", "b"] });
    expect(answerChoices({ type: "json", schema })).toBeUndefined();
    expect(answerChoices({ type: "json", schema, answerKey: "other" })).toBeUndefined();
    expect(answerChoices({ type: "json", schema: { properties: { answer: { type: "string" } } }, answerKey: "answer" })).toBeUndefined();
  });
});
