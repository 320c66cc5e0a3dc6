import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { collectStream, foldParts, resultText } from "./collect.js";
import type { StreamPart } from "./stream.js";

async function* parts(list: StreamPart[]): AsyncIterable<StreamPart> {
  for (const p of list) yield p;
}

describe("collectStream", () => {
  it("folds text blocks, tool calls and the finish into one result", async () => {
    const result = await collectStream(
      parts([
        { type: "stream-start", provider: "t", modelId: "m" },
        { type: "text-start", id: "0" },
        { type: "text-delta", id: "0", delta: "Hel" },
        { type: "text-delta", id: "0", delta: "lo" },
        { type: "text-end", id: "0" },
        { type: "tool-call", toolCallId: "c1", toolName: "get", input: '{"a":1}' },
        {
          type: "finish",
          finishReason: "tool-calls",
          usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
        },
      ]),
    );
    expect(resultText(result)).toBe("Hello");
    expect(result.content[1]).toEqual({ type: "tool-call", toolCallId: "c1", toolName: "get", input: { a: 1 } });
    expect(result.finishReason).toBe("tool-calls");
    expect(result.usage.totalTokens).toBe(5);
  });

  it("throws the error a stream carries", async () => {
    const stream = parts([{ type: "error", error: { code: "overloaded", message: "busy" } }]);
    await expect(collectStream(stream)).rejects.toBeInstanceOf(WrenError);
    await expect(collectStream(parts([{ type: "error", error: { code: "overloaded", message: "busy" } }]))).rejects.toMatchObject({ code: "overloaded" });
  });

  it("rejects a stream that ends without finishing", async () => {
    await expect(collectStream(parts([{ type: "text-start", id: "0" }]))).rejects.toThrow(/without a finish/);
  });
});

describe("foldParts", () => {
  it("folds parts already held, at once, into the result collectStream gives for them", async () => {
    const list: StreamPart[] = [
      { type: "text-start", id: "0" },
      { type: "text-delta", id: "0", delta: "Hi" },
      { type: "tool-call", toolCallId: "c1", toolName: "get", input: "not json" },
      { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
    ];
    const folded = foldParts(list);
    expect(folded).toEqual(await collectStream(parts(list)));
    expect(resultText(folded)).toBe("Hi");
    expect(folded.content[1]).toMatchObject({ input: "not json" });
    expect(() => foldParts([{ type: "error", error: { code: "overloaded", message: "busy" } }])).toThrow(WrenError);
    expect(() => foldParts(list.slice(0, 2))).toThrow(/without a finish/);
  });
});
