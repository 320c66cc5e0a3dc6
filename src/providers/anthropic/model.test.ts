import { describe, expect, it, vi } from "vitest";
import { providerConformance, streamParts, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { loadRecordings, startFakeUpstream } from "../../../test/helpers/fake-upstreams/index.js";
import { userText } from "../../protocol/index.js";
import { AnthropicModel } from "./model.js";

describe("anthropic provider against a fake Anthropic server", () => {
  const ctx = providerConformance(
    "anthropic",
    (upstream, options) => new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: upstream.url, ...options }),
    { toolCallId: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", toolText: "Let me check." },
  );

  it("sends system, tools, tool results and images in Anthropic's shape", async () => {
    await ctx.model().doGenerate({
      messages: [
        { role: "system", content: "Be brief." },
        userText("Weather?"),
        { role: "assistant", content: [{ type: "text", text: "Checking." }, { type: "tool-call", toolCallId: "t1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "t1", toolName: "get_weather", output: "sunny", isError: false }] },
        { role: "user", content: [{ type: "image", data: "aGk=", mediaType: "image/png" }] },
      ],
      tools: [weatherTool],
      toolChoice: "required",
    });
    const sent = ctx.upstream().requests.at(-1)!;
    expect(sent.path).toBe("/v1/messages");
    expect([sent.headers["x-api-key"], sent.headers.authorization]).toContainEqual(expect.stringContaining("sk-ant-test"));
    expect(sent.body).toMatchObject({
      model: "claude-sonnet-4-6",
      system: "Be brief.",
      max_tokens: 4096,
      tool_choice: { type: "any" },
      tools: [{ name: "get_weather", input_schema: weatherTool.inputSchema }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        { role: "assistant", content: [{ type: "text", text: "Checking." }, { type: "tool_use", id: "t1", name: "get_weather", input: { city: "Paris" } }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "t1", content: "sunny" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "aGk=" } },
          ],
        },
      ],
    });
  });

  it("counts a cached prompt's tokens as input, which Anthropic reports apart from input_tokens, its cache reads as cached and its cache writes as such, streamed or not", async () => {
    // A prompt of 5,212 tokens, 5,000 read from the cache and 200 written to it: input_tokens is 12.
    const cached = { input_tokens: 12, cache_creation_input_tokens: 200, cache_read_input_tokens: 5000 };
    const recorded = loadRecordings("anthropic");
    const withCache = (event: unknown) => {
      const e = event as { type: string; message?: { usage: object } };
      return e.type === "message_start" ? { ...e, message: { ...e.message, usage: { ...e.message!.usage, ...cached } } } : event;
    };
    const body = recorded.text.body as { usage: object };
    const text = { body: { ...body, usage: { ...body.usage, ...cached } }, stream: recorded.text.stream.map(withCache) };
    await using upstream = await startFakeUpstream("anthropic", { recordings: { ...recorded, text } });
    const model = new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: upstream.url });
    const generated = await model.doGenerate({ messages: [userText("Hi")] });
    // Cache writes are computed like any input (and cost more); only the reads were reused.
    const usage = { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200, outputTokens: 5, totalTokens: 5217 };
    expect(generated.usage).toEqual(usage);
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage });
    // The upstream's message_start has the count before the first token: said then, as the finish counts it.
    expect(parts.slice(0, 3)).toEqual([
      { type: "stream-start", provider: "anthropic", modelId: "claude-sonnet-4-6" },
      { type: "input-usage", usage: { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200 } },
      { type: "text-start", id: expect.any(String) },
    ]);
    expect(parts.filter((p) => p.type === "input-usage")).toHaveLength(1);
  });

  it("takes a stream's final input counts from message_delta, which Anthropic gives cumulatively, and keeps message_start's where it gives none", async () => {
    const recorded = loadRecordings("anthropic");
    const final = { input_tokens: 12, cache_creation_input_tokens: 200, cache_read_input_tokens: 5000, output_tokens: 5 };
    const cumulative = (event: unknown) => {
      const e = event as { type: string; usage?: object };
      return e.type === "message_delta" ? { ...e, usage: final } : event;
    };
    await using upstream = await startFakeUpstream("anthropic", { recordings: { ...recorded, text: { ...recorded.text, stream: recorded.text.stream.map(cumulative) } } });
    const model = new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: upstream.url });
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200, outputTokens: 5, totalTokens: 5217 } });

    // A message_delta whose input counts are null (or left out) changes none of message_start's.
    const nulls = (event: unknown) => {
      const e = event as { type: string; message?: { usage: object } };
      if (e.type === "message_start") return { ...e, message: { ...e.message, usage: { input_tokens: 12, cache_creation_input_tokens: 200, cache_read_input_tokens: 5000, output_tokens: 1 } } };
      return e.type === "message_delta" ? { ...e, usage: { input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens: 5 } } : event;
    };
    await using second = await startFakeUpstream("anthropic", { recordings: { ...recorded, text: { ...recorded.text, stream: recorded.text.stream.map(nulls) } } });
    const again = new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: second.url });
    const last = (await streamParts(again.doStream({ messages: [userText("Hi")] }))).at(-1);
    expect(last).toMatchObject({ type: "finish", usage: { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200, outputTokens: 5, totalTokens: 5217 } });
  });

  it("claims no cache reads for an answer whose usage has no cache counts (an Anthropic-compatible server's)", async () => {
    const recorded = loadRecordings("anthropic");
    const plain = { input_tokens: 12, output_tokens: 5 };
    const withoutCache = (event: unknown) => {
      const e = event as { type: string; message?: { usage: object } };
      return e.type === "message_start" ? { ...e, message: { ...e.message, usage: { ...plain, output_tokens: 1 } } } : event;
    };
    const text = { body: { ...(recorded.text.body as object), usage: plain }, stream: recorded.text.stream.map(withoutCache) };
    await using upstream = await startFakeUpstream("anthropic", { recordings: { ...recorded, text } });
    const model = new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: upstream.url });
    expect((await model.doGenerate({ messages: [userText("Hi")] })).usage).toEqual({ inputTokens: 12, outputTokens: 5, totalTokens: 17 });
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.find((p) => p.type === "input-usage")).toEqual({ type: "input-usage", usage: { inputTokens: 12 } });
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } });
    expect(parts.at(-1)).not.toHaveProperty("usage.cachedInputTokens");
    expect(parts.at(-1)).not.toHaveProperty("usage.cacheWriteInputTokens");
  });

  it("sends a non-streamed request with a large max_tokens (clients send 32,000 as a ceiling) instead of refusing it unsent", async () => {
    const result = await ctx.model().doGenerate({ messages: [userText("Hi")], maxOutputTokens: 32_000 });
    expect(result.finishReason).toBe("stop");
    expect(ctx.upstream().requests.at(-1)!.body).toMatchObject({ max_tokens: 32_000, stream: false });
  });
});

describe("the Anthropic SDK's own warnings", () => {
  it("go to wren's log, not to the console (where they would land in the terminal UI)", async () => {
    await using upstream = await startFakeUpstream("anthropic");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const logged: Array<[string, string]> = [];
      const log = { error: (m: string) => logged.push(["error", m]), warn: (m: string) => logged.push(["warn", m]), info: (m: string) => logged.push(["info", m]), debug: (m: string) => logged.push(["debug", m]) };
      // A model the SDK knows as deprecated: it warns on every call.
      const model = new AnthropicModel({ modelId: "claude-sonnet-4-5", apiKey: "sk-ant-test", baseURL: upstream.url, log });
      await model.doGenerate({ messages: [userText("Hi")] });
      await streamParts(model.doStream({ messages: [userText("Hi")] }));
      expect(logged).toEqual([
        ["warn", expect.stringMatching(/^anthropic: The model 'claude-sonnet-4-5' is deprecated/)],
        ["warn", expect.stringMatching(/^anthropic: The model 'claude-sonnet-4-5' is deprecated/)],
      ]);
      // Without a log of wren's, they are dropped rather than printed.
      await new AnthropicModel({ modelId: "claude-sonnet-4-5", apiKey: "sk-ant-test", baseURL: upstream.url }).doGenerate({ messages: [userText("Hi")] });
      expect([warn.mock.calls, error.mock.calls]).toEqual([[], []]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
