import { describe, expect, it } from "vitest";
import { providerConformance, streamParts, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { loadRecordings, startFakeUpstream } from "../../../test/helpers/fake-upstreams/index.js";
import { enumAnswerRequest } from "../../../test/helpers/enum-answers.js";
import { userText } from "../../protocol/index.js";
import { GeminiModel } from "./model.js";

describe("gemini provider against a fake Gemini server", () => {
  const ctx = providerConformance(
    "gemini",
    (upstream, options) => new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "gm-test", baseURL: upstream.url, ...options }),
  );

  it("uses streamGenerateContent with alt=sse and generateContent, and sends Gemini's shapes", async () => {
    for await (const _ of ctx.model().doStream({ messages: [userText("Hi")] })) void _;
    const streamed = ctx.upstream().requests.at(-1)!;
    expect(streamed.path).toMatch(/\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
    expect(streamed.headers["x-goog-api-key"]).toBe("gm-test");
    await ctx.model().doGenerate({
      messages: [
        { role: "system", content: "Be brief." },
        userText("Weather?"),
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "g1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "g1", toolName: "get_weather", output: "sunny" }] },
      ],
      tools: [weatherTool],
      toolChoice: "required",
      maxOutputTokens: 64,
    });
    const sent = ctx.upstream().requests.at(-1)!;
    expect(sent.path).toMatch(/\/models\/gemini-2\.5-flash:generateContent$/);
    expect(sent.body).toMatchObject({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [
        { role: "user", parts: [{ text: "Weather?" }] },
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "sunny" } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: "get_weather", parametersJsonSchema: weatherTool.inputSchema }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY" } },
      generationConfig: { maxOutputTokens: 64 },
    });
  });

  it("counts a thinking model's thoughts as output tokens, as Gemini bills them, streamed or not", async () => {
    // Gemini 2.5 reports its thinking apart from the answer: candidates 5, thoughts 100, total 117.
    const usageMetadata = { promptTokenCount: 12, candidatesTokenCount: 5, thoughtsTokenCount: 100, totalTokenCount: 117 };
    const recorded = loadRecordings("gemini");
    const last = recorded.text.stream.length - 1;
    const text = {
      body: { ...(recorded.text.body as object), usageMetadata },
      stream: recorded.text.stream.map((chunk, i) => (i === last ? { ...(chunk as object), usageMetadata } : chunk)),
    };
    await using upstream = await startFakeUpstream("gemini", { recordings: { ...recorded, text } });
    const model = new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "gm-test", baseURL: upstream.url });
    const expected = { inputTokens: 12, outputTokens: 105, totalTokens: 117 };
    expect((await model.doGenerate({ messages: [userText("Hi")] })).usage).toEqual(expected);
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: expected });
  });

  it("says the prompt's tokens before the first text when the stream's first chunk states them, once, as the finish counts them", async () => {
    // Gemini states promptTokenCount in every chunk's usageMetadata, the first one included.
    const parts = await streamParts(ctx.model().doStream({ messages: [userText("Hi")] }));
    expect(parts.slice(0, 3)).toEqual([
      { type: "stream-start", provider: "gemini", modelId: "gemini-2.5-flash" },
      { type: "input-usage", usage: { inputTokens: 12 } },
      { type: "text-start", id: expect.any(String) },
    ]);
    expect(parts.filter((p) => p.type === "input-usage")).toHaveLength(1);
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 12 } });
    // A first chunk without the count: nothing is said before the text, nor later, once the text has begun.
    const recorded = loadRecordings("gemini");
    const stream = recorded.text.stream.map((chunk, i) => (i === 0 ? { ...(chunk as object), usageMetadata: undefined } : chunk));
    await using upstream = await startFakeUpstream("gemini", { recordings: { ...recorded, text: { ...recorded.text, stream } } });
    const late = await streamParts(new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "gm-test", baseURL: upstream.url }).doStream({ messages: [userText("Hi")] }));
    expect(late.filter((p) => p.type === "input-usage")).toEqual([]);
    expect(late.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 12 } });
  });

  it("counts the prompt's tokens Gemini read from a context cache (cachedContentTokenCount, within promptTokenCount) as cached, streamed or not", async () => {
    // A prompt of 5,012 tokens, 5,000 of them read from a cache: Gemini states the count in every chunk.
    const cached = { promptTokenCount: 5012, cachedContentTokenCount: 5000, cacheTokensDetails: [{ modality: "TEXT", tokenCount: 5000 }] };
    const recorded = loadRecordings("gemini");
    const withCache = (chunk: unknown) => {
      const c = chunk as { usageMetadata: { candidatesTokenCount?: number } };
      return { ...c, usageMetadata: { ...c.usageMetadata, ...cached, totalTokenCount: 5012 + (c.usageMetadata.candidatesTokenCount ?? 0) } };
    };
    const text = { body: withCache(recorded.text.body), stream: recorded.text.stream.map(withCache) };
    await using upstream = await startFakeUpstream("gemini", { recordings: { ...recorded, text } });
    const model = new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "gm-test", baseURL: upstream.url });
    const expected = { inputTokens: 5012, cachedInputTokens: 5000, outputTokens: 5, totalTokens: 5017 };
    expect((await model.doGenerate({ messages: [userText("Hi")] })).usage).toEqual(expected);
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.find((p) => p.type === "input-usage")).toEqual({ type: "input-usage", usage: { inputTokens: 5012, cachedInputTokens: 5000 } });
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: expected });
  });

  it("claims no cached tokens for an answer whose usage has no cachedContentTokenCount", async () => {
    const generated = await ctx.model().doGenerate({ messages: [userText("Hi")] });
    expect(generated.usage).toEqual({ inputTokens: 12, outputTokens: 5, totalTokens: 17 });
    const parts = await streamParts(ctx.model().doStream({ messages: [userText("Hi")] }));
    expect(parts.find((p) => p.type === "input-usage")).toEqual({ type: "input-usage", usage: { inputTokens: 12 } });
    expect(parts.at(-1)).not.toHaveProperty("usage.cachedInputTokens");
  });

  it("a prompt Gemini blocks (promptFeedback.blockReason, no candidates) finishes as a content filter, streamed or not", async () => {
    const blocked = { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } };
    const recorded = loadRecordings("gemini");
    await using upstream = await startFakeUpstream("gemini", { recordings: { ...recorded, text: { body: blocked, stream: [blocked] } } });
    const model = new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "gm-test", baseURL: upstream.url });
    const generated = await model.doGenerate({ messages: [userText("Hi")] });
    expect([generated.content, generated.finishReason]).toEqual([[], "content-filter"]);
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "content-filter" });
  });

  it("asks for an enum answer as text/x.enum, the value alone, and writes the JSON the request asks for around it: finished or cut short, streamed or not", async () => {
    const moods = ["positive", "negative"];
    const request = enumAnswerRequest(moods, 3);
    const usageMetadata = { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 };
    const answer = (chunks: string[], finishReason: string) => {
      const chunk = (text: string, last: boolean) => ({ candidates: [{ content: { role: "model", parts: [{ text }] }, ...(last ? { finishReason } : {}) }], ...(last ? { usageMetadata } : {}) });
      return { body: chunk(chunks.join(""), true), stream: chunks.map((text, i) => chunk(text, i === chunks.length - 1)) };
    };
    const recorded = loadRecordings("gemini");
    for (const [chunks, reason, json] of [
      [["nega", 'tive"'], "STOP", '{"answer":"negative\\""}'],
      [["ne", "g"], "MAX_TOKENS", '{"answer":"neg'],
    ] as const) {
      await using upstream = await startFakeUpstream("gemini", { recordings: { ...recorded, text: answer([...chunks], reason) } });
      const model = new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "gm-test", baseURL: upstream.url });
      const generated = await model.doGenerate(request);
      expect(generated.content).toEqual([{ type: "text", text: json }]);
      expect(generated.usage.outputTokens).toBe(3);
      expect(upstream.requests.at(-1)?.body).toMatchObject({ generationConfig: { maxOutputTokens: 3, responseMimeType: "text/x.enum", responseSchema: { type: "STRING", enum: moods } } });
      expect(JSON.stringify(upstream.requests.at(-1)?.body)).not.toContain("responseJsonSchema");
      const parts = await streamParts(model.doStream(request));
      expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("")).toBe(json);
      expect(parts.filter((p) => p.type === "text-start")).toHaveLength(1);
      expect(parts.at(-2)).toMatchObject({ type: "text-end" });
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: reason === "STOP" ? "stop" : "length", usage: { outputTokens: 3 } });
    }
  });
});
