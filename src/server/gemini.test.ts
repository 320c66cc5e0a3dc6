/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { CallOptions, ChatRequest, StreamPart } from "../protocol/index.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse, type JsonResponse } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";

const REPLY = "Hi from Gemini's side.";

/** A model that says a few words, then fails: an error after output started. */
class FailingMidway extends ScriptedModel {
  override async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    void request;
    void options;
    yield { type: "stream-start", provider: "scripted", modelId: "broken" };
    yield { type: "text-start", id: "0" };
    yield { type: "text-delta", id: "0", delta: "Half" };
    yield { type: "text-delta", id: "0", delta: " an answer" };
    yield { type: "error", error: { code: "upstream_error", message: "The teacher went away.", status: 502 } };
  }
}

function setup(options: { apiKey?: string } = {}) {
  const model = new ScriptedModel("tiny", (req) =>
    req.toolChoice && typeof req.toolChoice === "object"
      ? { text: "Let me check.", toolCalls: [{ name: req.toolChoice.toolName, input: '{"city":"Oslo"}' }] }
      : { text: REPLY, inputTokens: 9 },
  );
  const broken = new FailingMidway("broken", () => ({}));
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
  const { app } = createServerApp({
    host: new ScriptedHost(new Map([["tiny", model], ["broken", broken]]), { aliases: { tiny: ["tiny-alias"] } }),
    logger,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> =>
    Promise.resolve(app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }));
  const get = (path: string, headers: Record<string, string> = {}): Promise<JsonResponse> => Promise.resolve(app.request(path, { headers }));
  return { get, lines, model, post };
}

const hello = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
const weather = {
  functionDeclarations: [
    {
      name: "weather",
      description: "Weather of a city",
      parameters: { type: "OBJECT", properties: { city: { type: "STRING", nullable: true }, days: { type: "INTEGER", format: "int32" } }, required: ["city"], propertyOrdering: ["city", "days"] },
    },
  ],
};

/** What the embedding routes answer for a raw vector: scaled to length 1. */
const unit = (v: number[]): number[] => v.map((x) => x / Math.sqrt(v.reduce((sum, y) => sum + y * y, 0)));

describe("Gemini generateContent", () => {
  it("answers with system text, history, function calls and responses converted, and Google's response shape", async () => {
    const { post, model } = setup();
    const res = await post("/v1beta/models/tiny:generateContent", {
      systemInstruction: { role: "user", parts: [{ text: "Be kind." }, { text: "Be brief." }] },
      contents: [
        { role: "user", parts: [{ text: "weather?" }] },
        { role: "model", parts: [{ text: "thinking…", thought: true }, { functionCall: { name: "weather", args: { city: "Oslo" } }, thoughtSignature: "sig" }] },
        { role: "user", parts: [{ functionResponse: { name: "weather", response: { output: "cold" } } }, { text: "and tomorrow?" }] },
      ],
      tools: [weather, { googleSearch: {} }],
      generationConfig: { temperature: 0.2, topP: 0.9, topK: 5, maxOutputTokens: 64, stopSequences: ["END"], seed: 7, candidateCount: 1, thinkingConfig: { thinkingBudget: 0, includeThoughts: false } },
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
    });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json).toMatchObject({
      candidates: [{ content: { role: "model", parts: [{ text: REPLY }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 6, totalTokenCount: 15 },
      modelVersion: "tiny",
    });
    expect(json.responseId).toMatch(/^[0-9a-f]{24}$/);
    expect(res.headers.get("x-wren-provider")).toBe("local");
    const req = model.requests.at(-1)!;
    expect(req).toMatchObject({ temperature: 0.2, topP: 0.9, topK: 5, maxOutputTokens: 64, stopSequences: ["END"], seed: 7 });
    expect(req.messages).toEqual([
      { role: "system", content: "Be kind.\nBe brief." },
      { role: "user", content: [{ type: "text", text: "weather?" }] },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_0", toolName: "weather", input: { city: "Oslo" } }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "call_0", toolName: "weather", output: "cold" }] },
      { role: "user", content: [{ type: "text", text: "and tomorrow?" }] },
    ]);
    // Gemini's OpenAPI-style schema as JSON Schema; the search tool is left out.
    expect(req.tools).toEqual([
      {
        name: "weather",
        description: "Weather of a city",
        inputSchema: { type: "object", properties: { city: { type: ["string", "null"] }, days: { type: "integer" } }, required: ["city"] },
      },
    ]);
  });

  it("reads snake_case field names (Google's curl examples), inline images and function-calling config", async () => {
    const { post, model } = setup();
    const res = await post("/v1beta/models/tiny:generateContent", {
      system_instruction: { role: "system", parts: [{ text: "Terse." }] },
      contents: [{ role: "user", parts: [{ text: "what is this?" }, { inline_data: { mime_type: "image/png", data: "iVBORw0KGgo=" } }] }],
      tools: [{ function_declarations: [{ name: "weather", parameters_json_schema: { type: "object", properties: { city_name: { type: "string" } } } }] }],
      tool_config: { function_calling_config: { mode: "ANY", allowed_function_names: ["weather"] } },
      generation_config: { max_output_tokens: 32, response_mime_type: "text/plain" },
    });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.candidates[0].content.parts).toEqual([{ text: "Let me check." }, { functionCall: { id: "call_0", name: "weather", args: { city: "Oslo" } } }]);
    expect(json.candidates[0].finishReason).toBe("STOP");
    const req = model.requests.at(-1)!;
    expect(req.messages[0]).toEqual({ role: "system", content: "Terse." });
    expect(req.messages[1]).toEqual({ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image", data: "iVBORw0KGgo=", mediaType: "image/png" }] });
    // Property names are the client's own: never renamed.
    expect(req.tools).toEqual([{ name: "weather", inputSchema: { type: "object", properties: { city_name: { type: "string" } } } }]);
    expect(req).toMatchObject({ maxOutputTokens: 32, toolChoice: { type: "tool", toolName: "weather" } });
  });

  it("maps responseSchema and responseJsonSchema to a JSON response format, and NONE to no tools", async () => {
    const { post, model } = setup();
    await post("/v1beta/models/tiny:generateContent", {
      ...hello,
      generationConfig: { responseMimeType: "application/json", responseSchema: { type: "OBJECT", properties: { n: { type: "NUMBER" } } } },
    });
    expect(model.requests.at(-1)!.responseFormat).toEqual({ type: "json", schema: { type: "object", properties: { n: { type: "number" } } } });
    await post("/v1beta/models/tiny:generateContent", { ...hello, generationConfig: { responseMimeType: "application/json", responseJsonSchema: { type: "array" } } });
    expect(model.requests.at(-1)!.responseFormat).toEqual({ type: "json", schema: { type: "array" } });
    await post("/v1beta/models/tiny:generateContent", { ...hello, tools: [weather], toolConfig: { functionCallingConfig: { mode: "NONE" } } });
    expect(model.requests.at(-1)!.toolChoice).toBe("none");
  });

  it("answers text/x.enum with the bare value: the model is asked for the enum as JSON, which is unwrapped, streamed or not", async () => {
    const answers: Record<string, string> = { quoted: '{"answer": "say \\"no\\""}', cut: '{"answer": "sa', bare: '"yes"' };
    const model = new ScriptedModel("classifier", (req) => ({ text: answers[Object.keys(answers).find((k) => JSON.stringify(req.messages).includes(k)) ?? ""] ?? "", chunk: 3 }));
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["classifier", model]])), logger: pino({ level: "silent" }) });
    const ask = (path: string, text: string): Promise<JsonResponse> =>
      Promise.resolve(
        app.request(`/v1beta/models/classifier:${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ contents: [{ role: "user", parts: [{ text }] }], generationConfig: { responseMimeType: "TEXT/X.ENUM", responseSchema: { type: "STRING", format: "enum", enum: ["yes", 'say "no"'] } } }),
        }),
      );
    const full = await (await ask("generateContent", "quoted")).json();
    expect(full.candidates[0].content.parts).toEqual([{ text: 'say "no"' }]);
    expect(model.requests.at(-1)!.responseFormat).toEqual({
      type: "json",
      name: "enum_answer",
      schema: { type: "object", properties: { answer: { type: "string", enum: ["yes", 'say "no"'] } }, required: ["answer"], additionalProperties: false },
      strict: true,
      answerKey: "answer",
    });
    const chunks = parseSse(await (await ask("streamGenerateContent?alt=sse", "quoted")).text()).map((e) => JSON.parse(e.data));
    expect(chunks).toHaveLength(1);
    expect(chunks[0].candidates[0]).toMatchObject({ content: { parts: [{ text: 'say "no"' }] }, finishReason: "STOP" });
    // A JSON string alone is a value too; an answer cut short gives the value as far as it was written.
    expect((await (await ask("generateContent", "bare")).json()).candidates[0].content.parts).toEqual([{ text: "yes" }]);
    const cut = JSON.parse(await (await ask("streamGenerateContent", "cut")).text());
    expect(cut.map((c: { candidates: Array<{ content: { parts: Array<{ text: string }> } }> }) => c.candidates[0]!.content.parts[0]?.text ?? "").join("")).toBe("sa");
  });

  it("logs the fields it does not read at debug level, and still answers", async () => {
    const { post, lines } = setup();
    const res = await post("/v1beta/models/tiny:generateContent", { ...hello, futureField: 1, generationConfig: { audioTimestamp: true } });
    expect(res.status).toBe(200);
    const log = lines.map((l) => JSON.parse(l)).find((l) => l.msg?.startsWith("Gemini request: fields"));
    expect(log.fields).toEqual(["futureField", "generationConfig.audioTimestamp"]);
  });
});

describe("Gemini streamGenerateContent", () => {
  it("streams SSE chunks with alt=sse: text in order, one responseId, the last chunk with finish reason and usage", async () => {
    const { post } = setup();
    const res = await post("/v1beta/models/tiny:streamGenerateContent?alt=sse", hello);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const chunks = parseSse(await res.text()).map((e) => JSON.parse(e.data));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.candidates[0].content.parts.map((p: { text: string }) => p.text).join("")).join("")).toBe(REPLY);
    for (const c of chunks) expect(c.candidates[0].content.parts).toHaveLength(1);
    expect(new Set(chunks.map((c) => c.responseId)).size).toBe(1);
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined && c.usageMetadata === undefined)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: "STOP" }], usageMetadata: { promptTokenCount: 9, totalTokenCount: 15 }, wren_provenance: { provider: "local" } });
  });

  it("states the prompt's cached tokens as cachedContentTokenCount, within promptTokenCount, where the model reports any, streamed or not", async () => {
    /** A model whose prompt of 12 tokens had `cached` read from a cache, said before its first token and at its finish. */
    class PromptCaching extends ScriptedModel {
      constructor(private readonly cached: number) {
        super("tiny", () => ({ text: REPLY, inputTokens: 12 }));
      }
      override async *doStream(request: ChatRequest, options?: { signal?: AbortSignal }): AsyncIterable<StreamPart> {
        for await (const part of super.doStream(request, options)) {
          yield part.type === "finish" ? { ...part, usage: { ...part.usage, cachedInputTokens: this.cached } } : part;
          if (part.type === "stream-start") yield { type: "input-usage", usage: { inputTokens: 12, cachedInputTokens: this.cached } };
        }
      }
    }
    const answer = async (cached: number) => {
      const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", new PromptCaching(cached)]])) });
      const request = (path: string) => app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(hello) });
      const whole = (await (await request("/v1beta/models/tiny:generateContent")).json()) as { usageMetadata: Record<string, unknown> };
      const chunks = parseSse(await (await request("/v1beta/models/tiny:streamGenerateContent?alt=sse")).text()).map((e) => JSON.parse(e.data) as { usageMetadata: Record<string, unknown> });
      return { whole: whole.usageMetadata, chunks: chunks.map((c) => c.usageMetadata) };
    };
    const cached = await answer(10);
    const details = { cachedContentTokenCount: 10, cacheTokensDetails: [{ modality: "TEXT", tokenCount: 10 }] };
    expect(cached.whole).toMatchObject({ promptTokenCount: 12, ...details });
    expect(cached.chunks.length).toBeGreaterThan(1);
    for (const usage of cached.chunks) expect(usage).toMatchObject({ promptTokenCount: 12, ...details });
    // Gemini leaves the field out when nothing came from a cache.
    const uncached = await answer(0);
    for (const usage of [uncached.whole, ...uncached.chunks]) {
      expect(usage).toMatchObject({ promptTokenCount: 12 });
      expect(usage).not.toHaveProperty("cachedContentTokenCount");
      expect(usage).not.toHaveProperty("cacheTokensDetails");
    }
  });

  it("streams a JSON array without alt=sse, and a function call as one part", async () => {
    const { post } = setup();
    const res = await post("/v1beta/models/tiny:streamGenerateContent", { ...hello, tools: [weather], toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } } });
    expect(res.headers.get("content-type")).toContain("application/json");
    const chunks = JSON.parse(await res.text());
    expect(Array.isArray(chunks)).toBe(true);
    expect(chunks.at(-1).candidates[0]).toEqual({ content: { role: "model", parts: [{ functionCall: { id: "call_0", name: "weather", args: { city: "Oslo" } } }] }, finishReason: "STOP", index: 0 });
    const text = chunks.flatMap((c: { candidates: Array<{ content: { parts: Array<{ text?: string }> } }> }) => c.candidates[0]!.content.parts.map((p) => p.text ?? "")).join("");
    expect(text).toBe("Let me check.");
  });

  it("ends a stream that fails after output with Google's error body, after the text it had", async () => {
    const { post } = setup();
    const sse = parseSse(await (await post("/v1beta/models/broken:streamGenerateContent?alt=sse", hello)).text()).map((e) => JSON.parse(e.data));
    expect(sse.slice(0, -1).map((c) => c.candidates[0].content.parts[0].text).join("")).toBe("Half an answer");
    expect(sse.at(-1)).toMatchObject({ error: { code: 502, status: "UNAVAILABLE", message: expect.stringMatching(/teacher went away/) } });
    const array = JSON.parse(await (await post("/v1beta/models/broken:streamGenerateContent", hello)).text());
    expect(array.at(-1)).toMatchObject({ error: { code: 502, status: "UNAVAILABLE" } });
  });
});

describe("Gemini countTokens, models and embeddings", () => {
  it("counts contents, or a whole generateContentRequest with its system text", async () => {
    const { post } = setup();
    expect(await (await post("/v1beta/models/tiny:countTokens", hello)).json()).toEqual({ totalTokens: 3, promptTokensDetails: [{ modality: "TEXT", tokenCount: 3 }] });
    const whole = await post("/v1beta/models/tiny:countTokens", { generateContentRequest: { model: "models/tiny", systemInstruction: { parts: [{ text: "Be kind." }] }, ...hello } });
    expect((await whole.json()).totalTokens).toBe(6);
  });

  it("lists and gets models by name or alias, in pages", async () => {
    const { get } = setup();
    const list = await (await get("/v1beta/models")).json();
    expect(list.models.map((m: { name: string }) => m.name)).toEqual(["models/tiny", "models/broken"]);
    expect(list.models[0]).toMatchObject({ displayName: "tiny", inputTokenLimit: 2048, supportedGenerationMethods: expect.arrayContaining(["generateContent", "countTokens", "embedContent"]) });
    const first = await (await get("/v1beta/models?pageSize=1")).json();
    expect(first).toMatchObject({ models: [{ name: "models/tiny" }], nextPageToken: "1" });
    expect(await (await get("/v1beta/models?pageSize=1&pageToken=1")).json()).toEqual({ models: [expect.objectContaining({ name: "models/broken" })] });
    expect((await (await get("/v1beta/models/tiny-alias")).json()).name).toBe("models/tiny");
    expect((await (await get("/v1beta/models/models/tiny")).json()).name).toBe("models/tiny");
  });

  it("embeds one content and a batch", async () => {
    const { post } = setup();
    expect(await (await post("/v1beta/models/tiny:embedContent", { content: { parts: [{ text: "abc" }] } })).json()).toEqual({ embedding: { values: unit([3, 0.5, -1]) } });
    const batch = await post("/v1beta/models/tiny:batchEmbedContents", {
      requests: [{ model: "models/tiny", content: { parts: [{ text: "ab" }] }, outputDimensionality: 2 }, { model: "models/tiny", content: { parts: [{ text: "abcd" }] } }],
    });
    // As Gemini's: the whole vector has unit length, one cut to outputDimensionality is not scaled again.
    expect(await batch.json()).toEqual({ embeddings: [{ values: unit([2, 0.5, -1]).slice(0, 2) }, { values: unit([4, 0.5, -1]) }] });
    const empty = await post("/v1beta/models/tiny:batchEmbedContents", { requests: [{ content: { parts: [{ text: "ab" }] } }, { content: { parts: [] } }] });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatchObject({ status: "INVALID_ARGUMENT", message: expect.stringMatching(/requests\[1\]\.content has no text/) });
  });

  it("serves the same under /v1 for Gemini clients, while /v1/models stays OpenAI's for everyone else", async () => {
    const { get, post } = setup();
    const res = await post("/v1/models/tiny:generateContent", hello);
    expect((await res.json()).candidates[0].content.parts[0].text).toBe(REPLY);
    expect((await (await get("/v1/models", { "x-goog-api-client": "google-genai-sdk/2.32.0" })).json()).models[0].name).toBe("models/tiny");
    expect((await (await get("/v1/models")).json()).object).toBe("list");
    const missing = await get("/v1/models/nope", { "x-goog-api-key": "k" });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ code: 404, status: "NOT_FOUND" });
    expect((await (await get("/v1/models/nope")).json()).error.type).toBe("invalid_request_error");
    // An OpenAI model id may hold colons: without a Gemini action it stays OpenAI's.
    expect((await (await get("/v1/models/ft:gpt-4o:org:abc")).json()).error.type).toBe("invalid_request_error");
  });
});

describe("Gemini errors and keys", () => {
  it("refuses bad requests in Google's error shape, with the status the SDK types", async () => {
    const { post } = setup();
    const cases: Array<[string, unknown, number, string, RegExp]> = [
      ["tiny:generateContent", "{", 400, "INVALID_ARGUMENT", /not valid JSON/],
      ["tiny:generateContent", {}, 400, "INVALID_ARGUMENT", /contents is not specified/],
      ["tiny:generateContent", { contents: [{ role: "robot", parts: [{ text: "hi" }] }] }, 400, "INVALID_ARGUMENT", /contents\.0\.role/],
      ["tiny:generateContent", { ...hello, generationConfig: { candidateCount: 2 } }, 400, "INVALID_ARGUMENT", /one candidate/],
      ["tiny:generateContent", { ...hello, generationConfig: { temperature: "warm" } }, 400, "INVALID_ARGUMENT", /generationConfig\.temperature/],
      ["tiny:generateContent", { ...hello, generationConfig: { responseMimeType: "text/x.enum" } }, 400, "INVALID_ARGUMENT", /'text\/x\.enum' needs a responseSchema/],
      ["tiny:generateContent", { ...hello, generationConfig: { responseMimeType: "text/x.enum", responseSchema: { type: "STRING", enum: [] } } }, 400, "INVALID_ARGUMENT", /responseSchema\.enum is empty/],
      ["tiny:generateContent", { ...hello, generationConfig: { responseMimeType: "text/csv" } }, 400, "INVALID_ARGUMENT", /'text\/csv' is not supported/],
      ["tiny:generateContent", { contents: [{ role: "user", parts: [{ inlineData: { mimeType: "audio/wav", data: "AAAA" } }] }] }, 400, "INVALID_ARGUMENT", /audio\/wav/],
      ["tiny:generateContent", { ...hello, tools: [weather], toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["nope"] } } }, 400, "INVALID_ARGUMENT", /'nope'/],
      ["tiny:generateContent", { ...hello, cachedContent: "cachedContents/abc" }, 400, "INVALID_ARGUMENT", /cached contents/],
      ["tiny:streamGenerateContent?alt=proto", hello, 400, "INVALID_ARGUMENT", /alt='proto'/],
      ["gemini-9:generateContent", hello, 404, "NOT_FOUND", /gemini-9/],
      ["tiny:predict", hello, 404, "NOT_FOUND", /no route/],
    ];
    for (const [path, body, status, name, message] of cases) {
      const res = await post(`/v1beta/models/${path}`, body);
      expect(res.status, path).toBe(status);
      const json = await res.json();
      expect(Object.keys(json)).toEqual(["error"]);
      expect(json.error).toMatchObject({ code: status, status: name });
      expect(json.error.message).toMatch(message);
    }
    expect((await (await post("/v1beta/models/tiny:generateContent", hello)).json()).candidates[0].content.parts[0].text).toBe(REPLY);
  });

  it("takes the API key from x-goog-api-key or ?key=, and refuses without one as UNAUTHENTICATED", async () => {
    const { post, get } = setup({ apiKey: "s3cret" });
    const refused = await post("/v1beta/models/tiny:generateContent", hello);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatchObject({ code: 401, status: "UNAUTHENTICATED", message: expect.stringMatching(/x-goog-api-key/) });
    expect((await post("/v1beta/models/tiny:generateContent", hello, { "x-goog-api-key": "wrong" })).status).toBe(401);
    expect((await post("/v1beta/models/tiny:generateContent", hello, { "x-goog-api-key": "s3cret" })).status).toBe(200);
    expect((await get("/v1beta/models?key=s3cret")).status).toBe(200);
    // A key in the URL counts on Gemini's paths only (other dialects never send one there).
    expect((await get("/v1/models?key=s3cret")).status).toBe(401);
  });
});
