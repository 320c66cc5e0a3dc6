import { describe, expect, it } from "vitest";
import { providerConformance, streamParts, weatherTool } from "../../../test/helpers/fake-upstreams/conformance.js";
import { loadRecordings, startFakeUpstream, type Recordings } from "../../../test/helpers/fake-upstreams/index.js";
import { openaiLimited } from "../../../test/helpers/fake-upstreams/token-limited.js";
import { userText, type ChatRequest } from "../../protocol/index.js";
import { createModel } from "../registry.js";
import { OpenAICompatibleModel } from "./model.js";
import { enumAnswerFormat } from "../../../test/helpers/enum-answers.js";

describe("openai-compatible provider against a fake OpenAI server", () => {
  const ctx = providerConformance(
    "openai",
    (upstream, options) => new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test", ...options }),
    { toolCallId: "call_Xk3pT9wQ2mZr" },
  );

  it("asks for usage in the stream and sends the key and options", async () => {
    for await (const _ of ctx.model().doStream({ messages: [userText("Hi")], maxOutputTokens: 20, stopSequences: ["\n"], temperature: 0 })) void _;
    const sent = ctx.upstream().requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    expect(sent.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, max_tokens: 20, stop: ["\n"], temperature: 0 });
  });

  it("sends tools and a tool round trip in OpenAI's shape", async () => {
    await ctx.model().doGenerate({
      messages: [
        userText("Weather?"),
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "get_weather", input: { city: "Paris" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "get_weather", output: "sunny" }] },
        { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image", data: "aGk=", mediaType: "image/png" }] },
      ],
      tools: [weatherTool],
      toolChoice: { type: "tool", toolName: "get_weather" },
    });
    const body = ctx.upstream().requests.at(-1)!.body;
    expect(body["tools"]).toEqual([{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: weatherTool.inputSchema } }]);
    expect(body["tool_choice"]).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(body["messages"]).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
      { role: "user", content: [{ type: "text", text: "And this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,aGk=" } }] },
    ]);
  });

  it("sends a final assistant message to continue as it is, without vLLM's continue_final_message, which OpenAI's API would refuse", async () => {
    const prefill: ChatRequest = { messages: [userText("JSON?"), { role: "assistant", content: [{ type: "text", text: "{" }] }], continueFinalMessage: true };
    await ctx.model().doGenerate(prefill);
    const body = ctx.upstream().requests.at(-1)!.body;
    expect(body["messages"]).toEqual([{ role: "user", content: "JSON?" }, { role: "assistant", content: "{" }]);
    expect(Object.keys(body)).not.toContain("continue_final_message");
    expect(Object.keys(body)).not.toContain("add_generation_prompt");
  });

  it("the vllm preset asks vLLM to continue a final assistant message that holds only text (continue_final_message, add_generation_prompt false), streamed or not", async () => {
    const { model } = createModel("vllm:qwen", { env: {}, providers: { vllm: { baseURL: `${ctx.upstream().url}/v1` } } });
    const prefill: ChatRequest = { messages: [userText("JSON?"), { role: "assistant", content: [{ type: "text", text: "{" }] }], continueFinalMessage: true };
    await model.doGenerate(prefill);
    const whole = ctx.upstream().requests.at(-1)!.body;
    expect(whole).toMatchObject({ model: "qwen", messages: [{ role: "user", content: "JSON?" }, { role: "assistant", content: "{" }], continue_final_message: true, add_generation_prompt: false });
    await streamParts(model.doStream(prefill));
    expect(ctx.upstream().requests.at(-1)!.body).toMatchObject({ stream: true, continue_final_message: true, add_generation_prompt: false });
    // A new turn, and a final message with tool calls (answered in a new turn), send neither field.
    const toolCall: ChatRequest = {
      messages: [userText("Weather?"), { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_1", toolName: "get_weather", input: { city: "Oslo" } }] }],
      continueFinalMessage: true,
    };
    for (const request of [{ messages: [userText("Hi")] }, toolCall]) {
      await model.doGenerate(request);
      const body = ctx.upstream().requests.at(-1)!.body;
      expect(Object.keys(body)).not.toContain("continue_final_message");
      expect(Object.keys(body)).not.toContain("add_generation_prompt");
    }
  });

  /** The recorded answer, whole and streamed, with `usage` in place of the recorded usage. */
  function withUsage(usage: Record<string, unknown>): Recordings {
    const recorded = loadRecordings("openai");
    const stream = recorded.text.stream.map((chunk) => {
      const c = chunk as { usage?: unknown };
      return c.usage ? { ...c, usage } : chunk;
    });
    return { ...recorded, text: { body: { ...(recorded.text.body as object), usage }, stream } };
  }

  it("counts the prompt's tokens the server read from its prompt cache (prompt_tokens_details.cached_tokens, within prompt_tokens) as cached, streamed or not", async () => {
    // OpenAI's usage for a prompt of 2,006 tokens, 1,920 of them read from its cache.
    const usage = { prompt_tokens: 2006, completion_tokens: 5, total_tokens: 2011, prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
    await using upstream = await startFakeUpstream("openai", { recordings: withUsage(usage) });
    const model = new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test" });
    const expected = { inputTokens: 2006, cachedInputTokens: 1920, outputTokens: 5, totalTokens: 2011 };
    expect((await model.doGenerate({ messages: [userText("Hi")] })).usage).toEqual(expected);
    const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: expected });
  });

  it("claims cached tokens only where the server states them: none without a count, 0 where it states 0", async () => {
    const base = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };
    for (const [details, cached] of [
      [undefined, undefined],
      [null, undefined],
      [{ audio_tokens: 0 }, undefined],
      [{ cached_tokens: null }, undefined],
      [{ cached_tokens: 0 }, 0],
      // A count the server got wrong is left out rather than failing an answer that is otherwise fine.
      [{ cached_tokens: "12" }, undefined],
      ["none", undefined],
    ] as const) {
      await using upstream = await startFakeUpstream("openai", { recordings: withUsage({ ...base, ...(details === undefined ? {} : { prompt_tokens_details: details }) }) });
      const model = new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test" });
      const expected = { inputTokens: 12, ...(cached === undefined ? {} : { cachedInputTokens: cached }), outputTokens: 5, totalTokens: 17 };
      const label = JSON.stringify(details);
      expect((await model.doGenerate({ messages: [userText("Hi")] })).usage, label).toEqual(expected);
      const finish = (await streamParts(model.doStream({ messages: [userText("Hi")] }))).at(-1);
      expect(finish, label).toMatchObject({ type: "finish" });
      expect((finish as { usage: unknown }).usage, label).toEqual(expected);
    }
  });

  /** The usage a `deepseek:` or `openrouter:` teacher reports for `usage`, whole and streamed (they must agree). */
  async function presetUsage(provider: "deepseek" | "openrouter", usage: Record<string, unknown>): Promise<unknown> {
    await using upstream = await startFakeUpstream("openai", { recordings: withUsage(usage) });
    const { model } = createModel(`${provider}:some-model`, { providers: { [provider]: { baseURL: `${upstream.url}/v1` } }, env: { DEEPSEEK_API_KEY: "sk-test", OPENROUTER_API_KEY: "sk-test" } });
    const whole = (await model.doGenerate({ messages: [userText("Hi")] })).usage;
    const finish = (await streamParts(model.doStream({ messages: [userText("Hi")] }))).at(-1);
    expect(finish).toMatchObject({ type: "finish", usage: whole });
    return whole;
  }

  it("counts a DeepSeek teacher's prompt-cache hits (prompt_cache_hit_tokens, within prompt_tokens) as cached", async () => {
    // DeepSeek's usage for a prompt of 2,006 tokens, 1,920 of them hits on its context cache.
    const usage = { prompt_tokens: 2006, completion_tokens: 5, total_tokens: 2011, prompt_cache_hit_tokens: 1920, prompt_cache_miss_tokens: 86 };
    expect(await presetUsage("deepseek", usage)).toEqual({ inputTokens: 2006, cachedInputTokens: 1920, outputTokens: 5, totalTokens: 2011 });
    // A miss on the whole prompt states 0 hits: 0 cached, not unknown.
    expect(await presetUsage("deepseek", { ...usage, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 2006 })).toEqual({ inputTokens: 2006, cachedInputTokens: 0, outputTokens: 5, totalTokens: 2011 });
    // A count the server got wrong is left out rather than failing an answer that is otherwise fine.
    expect(await presetUsage("deepseek", { ...usage, prompt_cache_hit_tokens: "1920" })).toEqual({ inputTokens: 2006, outputTokens: 5, totalTokens: 2011 });
  });

  it("counts an OpenRouter teacher's cache reads and writes (prompt_tokens_details.cached_tokens and cache_write_tokens, within prompt_tokens)", async () => {
    const usage = { prompt_tokens: 194, completion_tokens: 2, total_tokens: 196, cost: 0.95, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 100, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
    expect(await presetUsage("openrouter", usage)).toEqual({ inputTokens: 194, cachedInputTokens: 0, cacheWriteInputTokens: 100, outputTokens: 2, totalTokens: 196 });
    const read = { ...usage, prompt_tokens_details: { cached_tokens: 150, cache_write_tokens: 0 } };
    expect(await presetUsage("openrouter", read)).toEqual({ inputTokens: 194, cachedInputTokens: 150, cacheWriteInputTokens: 0, outputTokens: 2, totalTokens: 196 });
    const unreadable = { ...usage, prompt_tokens_details: { cached_tokens: 150, cache_write_tokens: "100" } };
    expect(await presetUsage("openrouter", unreadable)).toEqual({ inputTokens: 194, cachedInputTokens: 150, outputTokens: 2, totalTokens: 196 });
  });

  const moods = ["negative", "negative, though the bread was warm"];
  const format = enumAnswerFormat(moods);
  // The model writes the object as OpenAI's tokenizers cut it: `{"`, `answer`, `":"`, the value 3 characters a token, `"}`.
  const written = (body: Record<string, unknown>) => JSON.stringify({ answer: JSON.stringify(body["messages"]).includes("long") ? moods[1] : moods[0] });
  // [question, client's max tokens, the JSON the client gets, finish, value tokens counted]
  // The upstream writes up to 8 value tokens past the client's limit (its limit is raised by the
  // opening's 11 bytes, which it writes in 3): wren cuts the value to the client's limit.
  const cuts = [
    ["short", 3, '{"answer":"negative"}', "stop", 3],
    ["short", 4, '{"answer":"negative"}', "stop", 3],
    ["short", 2, '{"answer":"negati', "length", 2],
    ["short", 1, '{"answer":"neg', "length", 1],
    ["long", 1, '{"answer":"neg', "length", 1],
    ["long", 3, '{"answer":"negative,', "length", 3],
  ] as const;

  it("an enum answer, asked for as the object OpenAI's structured outputs need, has the tokens the client asked for beyond the object's opening, cut there as Gemini cuts it, and its usage counts the value's", async () => {
    // Written a token a chunk, as api.openai.com streams.
    await using upstream = await startFakeUpstream("openai", { recordings: openaiLimited(written) });
    const model = new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test" });
    for (const [question, max, json, reason, tokens] of cuts) {
      const request: ChatRequest = { messages: [userText(question)], maxOutputTokens: max, responseFormat: format };
      const generated = await model.doGenerate(request);
      // The object's opening, `{"answer":"`, is 11 bytes: it takes 11 tokens at most.
      expect(upstream.requests.at(-1)?.body).toMatchObject({ max_tokens: max + 11, response_format: { type: "json_schema", json_schema: { name: "enum_answer", strict: true } } });
      expect(generated.content).toEqual([{ type: "text", text: json }]);
      expect(generated.finishReason).toBe(reason);
      expect(generated.usage).toMatchObject({ outputTokens: tokens, totalTokens: 12 + tokens });
      expect(tokens).toBeLessThanOrEqual(max);
      const parts = await streamParts(model.doStream(request));
      expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("")).toBe(json);
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: reason, usage: { outputTokens: tokens, totalTokens: 12 + tokens } });
    }
  });

  it("a streamed enum answer from a server that sends several tokens a chunk is cut to the client's limit as the whole answer is, with the same usage", async () => {
    for (const perChunk of [2, 3, 4]) {
      await using upstream = await startFakeUpstream("openai", { recordings: openaiLimited(written, perChunk) });
      const model = new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk-test" });
      for (const [question, max, json, reason, tokens] of cuts) {
        const request: ChatRequest = { messages: [userText(question)], maxOutputTokens: max, responseFormat: format };
        const parts = await streamParts(model.doStream(request));
        const label = `${perChunk} tokens a chunk, ${question} at ${max}`;
        expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join(""), label).toBe(json);
        expect(parts.at(-1), label).toMatchObject({ type: "finish", finishReason: reason, usage: { outputTokens: tokens, totalTokens: 12 + tokens } });
        expect(parts.at(-2), label).toMatchObject({ type: "text-end" });
      }
    }
  });
});
