import { afterAll, beforeAll, expect, it } from "vitest";
import { collectStream, resultText, userText, type LanguageModel, type StreamPart } from "../../../src/protocol/index.js";
import { startFakeUpstream, type FakeUpstream } from "./server.js";
import type { DialectName } from "./dialects.js";

export const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

export async function streamParts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

/** Events up to and including the first text, per dialect (a role chunk or `message_start` come before it). */
const firstTextEvents: Record<DialectName, number> = { openai: 2, anthropic: 4, gemini: 1, ollama: 1 };

export interface ConformanceContext {
  upstream: () => FakeUpstream;
  model: () => LanguageModel;
}

/**
 * The cases every provider must pass against its fake: a streamed and a non-streamed answer, each
 * with text and with a tool call, and a 429 surfacing as a retryable error with its retry-after.
 */
export function providerConformance(
  dialect: DialectName,
  makeModel: (upstream: FakeUpstream, options?: { maxAnswerBytes?: number }) => LanguageModel,
  expected: { toolCallId?: string; textUsage?: number; toolUsage?: number; toolText?: string } = {},
): ConformanceContext {
  let upstream: FakeUpstream;
  let model: LanguageModel;
  beforeAll(async () => {
    upstream = await startFakeUpstream(dialect);
    model = makeModel(upstream);
  });
  afterAll(() => upstream.close());

  it("streams text, usage and a stop finish", async () => {
    const parts = await streamParts(model.doStream({ messages: [{ role: "system", content: "Be brief." }, userText("Hi")] }));
    expect(parts[0]).toMatchObject({ type: "stream-start", provider: model.provider, modelId: model.modelId });
    expect(parts.filter((p) => p.type === "text-start")).toHaveLength(1);
    const result = await collectStream((async function* () { yield* parts; })());
    expect(resultText(result)).toBe("Hello from the cloud.");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.totalTokens).toBe(expected.textUsage ?? 17);
  });

  it("answers a non-streamed request", async () => {
    const result = await model.doGenerate({ messages: [userText("Hi")] });
    expect(resultText(result)).toBe("Hello from the cloud.");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.totalTokens).toBe(expected.textUsage ?? 17);
  });

  it("streams a tool call as well-formed blocks", async () => {
    const parts = await streamParts(model.doStream({ messages: [userText("Weather in Paris?")], tools: [weatherTool] }));
    const call = parts.find((p) => p.type === "tool-call");
    expect(call).toMatchObject({ type: "tool-call", toolName: "get_weather" });
    if (call?.type !== "tool-call") throw new Error("no tool call");
    expect(JSON.parse(call.input)).toEqual({ city: "Paris" });
    if (expected.toolCallId) expect(call.toolCallId).toBe(expected.toolCallId);
    const start = parts.findIndex((p) => p.type === "tool-input-start");
    const end = parts.findIndex((p) => p.type === "tool-input-end");
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
    const result = await collectStream((async function* () { yield* parts; })());
    expect(resultText(result)).toBe(expected.toolText ?? "");
    expect(result.usage.totalTokens).toBe(expected.toolUsage ?? 75);
  });

  it("answers a non-streamed tool call", async () => {
    const result = await model.doGenerate({ messages: [userText("Weather in Paris?")], tools: [weatherTool] });
    expect(result.finishReason).toBe("tool-calls");
    const call = result.content.find((p) => p.type === "tool-call");
    expect(call).toMatchObject({ type: "tool-call", toolName: "get_weather", input: { city: "Paris" } });
  });

  it("surfaces a 429 as a retryable error part with its retry-after, and a 500 as a thrown error", async () => {
    upstream.fail({ kind: "status", status: 429, retryAfter: 7 });
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts).toEqual([
      { type: "error", error: expect.objectContaining({ code: "rate_limited", status: 429, retryAfter: 7, isRetryable: true }) },
    ]);
    upstream.fail({ kind: "status", status: 500 });
    await expect(model.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "upstream_error", status: 500 });
  });

  it("a stream its caller cancels, before its first event or mid-answer, ends with its blocks closed and an abort finish, never a throw", async () => {
    await using slow = await startFakeUpstream(dialect);
    const cancelled = makeModel(slow);
    for (const after of ["headers", "text"] as const) {
      // Until the client goes: after the headers, or after the first words.
      slow.fail(after === "headers" ? { kind: "stall" } : { kind: "pause", afterEvents: firstTextEvents[dialect] });
      const controller = new AbortController();
      const parts: StreamPart[] = [];
      for await (const part of cancelled.doStream({ messages: [userText("Hi")] }, { signal: controller.signal })) {
        parts.push(part);
        if ((after === "headers" && part.type === "stream-start") || (after === "text" && part.type === "text-delta")) controller.abort();
      }
      expect(parts.at(-1), after).toMatchObject({ type: "finish", finishReason: "abort" });
      const opened = parts.filter((p) => p.type === "text-start").length;
      expect(parts.filter((p) => p.type === "text-end").length, after).toBe(opened);
    }
  });

  it("words an error response with the message of the provider's own error body, not its JSON", async () => {
    upstream.fail({ kind: "status", status: 500 });
    await expect(model.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ message: `${model.provider} answered HTTP 500: injected HTTP 500` });
    upstream.fail({ kind: "status", status: 429 });
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts).toEqual([{ type: "error", error: expect.objectContaining({ message: `${model.provider} answered HTTP 429: injected HTTP 429` }) }]);
  });

  it("stops reading an answer that goes past its bound, streamed or not, and says so", async () => {
    const bounded = makeModel(upstream, { maxAnswerBytes: 256 * 1024 });
    const tooLarge = {
      code: "upstream_error",
      message: expect.stringContaining("sent an answer larger than 256 KiB; wren stopped reading it."),
    };
    upstream.fail({ kind: "endless" });
    const parts = await streamParts(bounded.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining(tooLarge) });
    upstream.fail({ kind: "endless" });
    await expect(bounded.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject(tooLarge);
    // The server saw its client let go: nothing is still being sent.
    await expect.poll(() => upstream.inFlight, { timeout: 5_000 }).toBe(0);
  });

  it("fails a 200 answer that is not its wire format, or has the wrong shape, as malformed rather than an empty success", async () => {
    const malformed = { code: "upstream_error", isRetryable: true, message: expect.stringContaining("sent a malformed response") };
    for (const kind of ["wrong-shape", "not-a-stream"] as const) {
      upstream.fail({ kind });
      const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
      expect(parts.filter((p) => p.type === "finish" || p.type === "text-delta"), kind).toEqual([]);
      expect(parts.at(-1), kind).toEqual({ type: "error", error: expect.objectContaining(malformed) });
      upstream.fail({ kind });
      await expect(model.doGenerate({ messages: [userText("Hi")] }), kind).rejects.toMatchObject(malformed);
    }
  });

  return { upstream: () => upstream, model: () => model };
}
