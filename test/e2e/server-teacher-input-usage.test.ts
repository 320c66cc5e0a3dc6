import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { GoogleGenAI, type GenerateContentResponse } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { loadRecordings, startFakeUpstream, type FakeUpstream, type Recordings } from "../helpers/fake-upstreams/index.js";

/** Anthropic's own counts of a prompt of 5,212 tokens: 5,000 read from its cache, 200 written to it. */
const CACHED = { input_tokens: 12, cache_creation_input_tokens: 200, cache_read_input_tokens: 5000 };

/** The recorded answers, with the cache counts above in the usage of a request that asks about the cache. */
function recordings(body: Record<string, unknown>): Recordings {
  const recorded = loadRecordings("anthropic");
  if (!JSON.stringify(body.messages).includes("cache")) return recorded;
  const stream = recorded.text.stream.map((event) => {
    const e = event as { type: string; message?: { usage: object } };
    return e.type === "message_start" ? { ...e, message: { ...e.message, usage: { ...e.message!.usage, ...CACHED } } } : event;
  });
  const whole = recorded.text.body as { usage: object };
  return { ...recorded, text: { body: { ...whole, usage: { ...whole.usage, ...CACHED } }, stream } };
}

/** Gemini's counts of a prompt of 5,012 tokens, 5,000 read from a context cache. */
const GEMINI_CACHED = { promptTokenCount: 5012, cachedContentTokenCount: 5000 };

/** The recorded Gemini answers, with the cache counts above in every usageMetadata of a request that asks about the cache. */
function geminiRecordings(body: Record<string, unknown>): Recordings {
  const recorded = loadRecordings("gemini");
  if (!JSON.stringify(body.contents).includes("cache")) return recorded;
  const withCache = (chunk: unknown) => {
    const c = chunk as { usageMetadata: { candidatesTokenCount?: number } };
    return { ...c, usageMetadata: { ...c.usageMetadata, ...GEMINI_CACHED, totalTokenCount: GEMINI_CACHED.promptTokenCount + (c.usageMetadata.candidatesTokenCount ?? 0) } };
  };
  return { ...recorded, text: { body: withCache(recorded.text.body), stream: recorded.text.stream.map(withCache) } };
}

/** The tokens of one kind /metrics counts over every dialect and model (cached ones unless told). */
function cachedTokens(metrics: string, kind = "cached"): number {
  return [...metrics.matchAll(/^wren_tokens_total\{([^}]*)\} (\d+)$/gm)].filter((m) => m[1]!.includes(`kind="${kind}"`)).reduce((sum, m) => sum + Number(m[2]), 0);
}

/** message_start and message_delta of a streamed answer, read with Anthropic's own client. */
async function startAndDelta(anthropic: Anthropic, text: string): Promise<{ start: Anthropic.MessageStartEvent; delta: Anthropic.MessageDeltaEvent; first: string }> {
  const events = await anthropic.messages.create({ model: "auto", max_tokens: 64, messages: [{ role: "user", content: text }], stream: true });
  const seen: Anthropic.RawMessageStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  const start = seen.find((e): e is Anthropic.MessageStartEvent => e.type === "message_start");
  const delta = seen.find((e): e is Anthropic.MessageDeltaEvent => e.type === "message_delta");
  if (!start || !delta) throw new Error(`no message_start or message_delta in ${JSON.stringify(seen)}`);
  return { start, delta, first: seen[0]!.type };
}

describe("wren serve: a routed stream an Anthropic teacher answers", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("anthropic", { recordings });
    const router = defaultConfig({ env: {} }, {
      router: {
        healthIntervalMs: 0,
        cloud: "allow",
        teachers: ["anthropic:claude-sonnet-4-6"],
        providers: { anthropic: { baseURL: teacher.url, cloud: true } },
      },
    }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { ANTHROPIC_API_KEY: "sk-ant-test" }, router });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("has the teacher's input count in message_start, as its upstream's message_start said it, not 0", async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const upstream = (loadRecordings("anthropic").text.stream[0] as { message: { usage: Anthropic.Usage } }).message.usage;
    const { start, delta, first } = await startAndDelta(anthropic, "Say hello.");
    expect(first).toBe("message_start");
    expect(teacher.requests.at(-1)!.path).toBe("/v1/messages");
    expect(start.message.usage).toMatchObject({
      input_tokens: upstream.input_tokens,
      cache_creation_input_tokens: upstream.cache_creation_input_tokens,
      cache_read_input_tokens: upstream.cache_read_input_tokens,
      output_tokens: 0,
    });
    expect(start.message.usage.input_tokens).toBe(12);
    expect(delta.usage.input_tokens).toBe(12);
  });

  it("gives a cached prompt's cache reads and cache writes apart in message_start, message_delta and a whole message, as the teacher did", async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const { start, delta } = await startAndDelta(anthropic, "What did the cache keep?");
    expect(start.message.usage).toMatchObject({ ...CACHED, output_tokens: 0 });
    expect(delta.usage).toMatchObject({ ...CACHED, output_tokens: 5 });
    const message = await anthropic.messages.create({ model: "auto", max_tokens: 64, messages: [{ role: "user", content: "What did the cache keep?" }] });
    expect(message.usage).toMatchObject({ ...CACHED, output_tokens: 5 });
  });

  it("gives an OpenAI client the teacher's cache reads as cached_tokens, within prompt_tokens, streamed or not", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "What did the cache keep?" }];
    const whole = CACHED.input_tokens + CACHED.cache_creation_input_tokens + CACHED.cache_read_input_tokens;
    const completion = await openai.chat.completions.create({ model: "auto", messages });
    expect(completion.usage).toMatchObject({ prompt_tokens: whole, completion_tokens: 5, total_tokens: whole + 5, prompt_tokens_details: { cached_tokens: CACHED.cache_read_input_tokens } });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await openai.chat.completions.create({ model: "auto", messages, stream: true, stream_options: { include_usage: true } })) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({ prompt_tokens: whole, total_tokens: whole + 5, prompt_tokens_details: { cached_tokens: CACHED.cache_read_input_tokens } });
    const response = await openai.responses.create({ model: "auto", input: "What did the cache keep?" });
    expect(response.usage).toMatchObject({ input_tokens: whole, input_tokens_details: { cached_tokens: CACHED.cache_read_input_tokens } });
  });

  it("gives a Gemini client the teacher's cache reads as cachedContentTokenCount, within promptTokenCount, streamed or not", async () => {
    const ai = new GoogleGenAI({ apiKey: "unused", httpOptions: { baseUrl: server.url, retryOptions: { attempts: 1 } } });
    const whole = CACHED.input_tokens + CACHED.cache_creation_input_tokens + CACHED.cache_read_input_tokens;
    const response = await ai.models.generateContent({ model: "auto", contents: "What did the cache keep?" });
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: whole, cachedContentTokenCount: CACHED.cache_read_input_tokens });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model: "auto", contents: "What did the cache keep?" })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.usageMetadata?.cachedContentTokenCount)).toEqual(chunks.map(() => CACHED.cache_read_input_tokens));
    expect(chunks.at(-1)!.usageMetadata).toMatchObject({ promptTokenCount: whole, totalTokenCount: whole + 5 });
  });

  it("counts the teacher's cache reads as cached tokens in /metrics", async () => {
    const before = cachedTokens(await (await fetch(`${server.url}/metrics`)).text());
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "What did the cache keep?" }] });
    expect(cachedTokens(await (await fetch(`${server.url}/metrics`)).text()) - before).toBe(CACHED.cache_read_input_tokens);
  });

  it("counts the teacher's cache writes as cache_write tokens in /metrics, streamed or not, and nothing for an answer that writes nothing", async () => {
    const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
    const before = cachedTokens(await metrics(), "cache_write");
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "What did the cache keep?" }] });
    expect(cachedTokens(await metrics(), "cache_write") - before).toBe(CACHED.cache_creation_input_tokens);
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    await startAndDelta(anthropic, "What did the cache keep?");
    expect(cachedTokens(await metrics(), "cache_write") - before).toBe(2 * CACHED.cache_creation_input_tokens);
    // The recorded answer's cache_creation_input_tokens is 0: a count stated, of nothing.
    await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "Say hello." }] });
    const text = await metrics();
    expect(cachedTokens(text, "cache_write") - before).toBe(2 * CACHED.cache_creation_input_tokens);
    expect(text).toMatch(/^# HELP wren_tokens_total .*cache_write/m);
  });

  it("totals the teacher's cache reads and cache writes in /v1/router/stats", async () => {
    type Totals = { inputTokens: number; cachedInputTokens: number; cacheWriteInputTokens: number };
    const totals = async () => ((await (await fetch(`${server.url}/v1/router/stats`)).json()) as { byTarget: Record<string, Totals> }).byTarget["anthropic:claude-sonnet-4-6"];
    const before = (await totals()) ?? { inputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0 };
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "What did the cache keep?" }] });
    const after = await totals();
    expect(after!.inputTokens - before.inputTokens).toBe(CACHED.input_tokens + CACHED.cache_creation_input_tokens + CACHED.cache_read_input_tokens);
    expect(after!.cachedInputTokens - before.cachedInputTokens).toBe(CACHED.cache_read_input_tokens);
    expect(after!.cacheWriteInputTokens - before.cacheWriteInputTokens).toBe(CACHED.cache_creation_input_tokens);
  });
});

describe("wren serve: a routed stream a Gemini teacher answers", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("gemini", { recordings: geminiRecordings });
    const router = defaultConfig({ env: {} }, {
      router: {
        healthIntervalMs: 0,
        cloud: "allow",
        teachers: ["gemini:gemini-2.5-flash"],
        providers: { gemini: { baseURL: teacher.url, cloud: true } },
      },
    }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { GEMINI_API_KEY: "gm-test" }, router });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("has the prompt's count its upstream's first chunk states in message_start, not 0", async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const { start, delta, first } = await startAndDelta(anthropic, "Say hello.");
    expect(first).toBe("message_start");
    expect(teacher.requests.at(-1)!.path).toMatch(/:streamGenerateContent\?alt=sse$/);
    expect(start.message.usage).toMatchObject({ input_tokens: 12, cache_read_input_tokens: 0, output_tokens: 0 });
    expect(delta.usage.input_tokens).toBe(12);
  });

  it("has the prompt's count in every chunk of wren's own Gemini stream, the first one's included", async () => {
    const ai = new GoogleGenAI({ apiKey: "unused", httpOptions: { baseUrl: server.url, retryOptions: { attempts: 1 } } });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model: "auto", contents: "Say hello." })) chunks.push(chunk);
    expect(teacher.requests.at(-1)!.path).toMatch(/:streamGenerateContent\?alt=sse$/);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.usageMetadata?.promptTokenCount)).toEqual(chunks.map(() => 12));
  });

  it("gives the teacher's context-cache reads as cached tokens in every dialect, streamed or not", async () => {
    const { promptTokenCount: whole, cachedContentTokenCount: cached } = GEMINI_CACHED;
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const { start, delta } = await startAndDelta(anthropic, "What did the cache keep?");
    expect(start.message.usage).toMatchObject({ input_tokens: whole - cached, cache_read_input_tokens: cached, output_tokens: 0 });
    expect(delta.usage).toMatchObject({ input_tokens: whole - cached, cache_read_input_tokens: cached });
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "What did the cache keep?" }];
    const completion = await openai.chat.completions.create({ model: "auto", messages });
    expect(completion.usage).toMatchObject({ prompt_tokens: whole, total_tokens: whole + 5, prompt_tokens_details: { cached_tokens: cached } });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await openai.chat.completions.create({ model: "auto", messages, stream: true, stream_options: { include_usage: true } })) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({ prompt_tokens: whole, prompt_tokens_details: { cached_tokens: cached } });
    const before = cachedTokens(await (await fetch(`${server.url}/metrics`)).text());
    await openai.chat.completions.create({ model: "auto", messages });
    expect(cachedTokens(await (await fetch(`${server.url}/metrics`)).text()) - before).toBe(cached);
  });
});
