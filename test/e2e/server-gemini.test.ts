import path from "node:path";
import { ApiError, GoogleGenAI, Type, type Content, type GenerateContentResponse } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RunningServer } from "../../src/runtime/serve.js";
import type { ChatBody, ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { serveChatWithTeacher, type ServedChat } from "../helpers/served-chat.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModelsDir } from "../helpers/shared-models.js";

/** The ChatML model's 128k twin: Gemini CLI's prompts (a long system text and its tool list) need many thousand tokens. */
const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

const KEY = "gm-s3cret";
const hello: Content[] = [{ role: "user", parts: [{ text: "Say hello." }] }];
// Far past the 512-token context of model `chat`.
const tooLong: Content[] = [{ role: "user", parts: [{ text: "hello world ".repeat(400) }] }];

const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  parametersJsonSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

/** The teacher calls get_weather first, then answers from the function's result. */
function teacherScript(body: ChatBody) {
  const last = body.messages.at(-1);
  return last?.role === "tool" ? { text: `It is ${String(last.content)} in Oslo.` } : { toolCalls: [{ name: "get_weather", arguments: { city: "Oslo" }, id: "call_teacher_1" }] };
}

async function collect(stream: AsyncGenerator<GenerateContentResponse>): Promise<GenerateContentResponse[]> {
  const chunks: GenerateContentResponse[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe.runIf(hasSharedModels)("wren serve with the official @google/genai client", () => {
  let served: ServedChat;
  let server: RunningServer;
  let teacher: ScriptedTeacher;
  let ai: GoogleGenAI;

  beforeAll(async () => {
    served = await serveChatWithTeacher(teacherScript, { aliases: ["tiny-chat"], apiKey: KEY, extraModels: [{ path: chat128k, id: "chat-128k", contextSize: 16384, sequences: 1 }] });
    ({ server, teacher } = served);
    ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.url, retryOptions: { attempts: 1 } } });
  });
  afterAll(async () => {
    await served?.close();
  });

  it("generateContent and generateContentStream give the model's reply, with consistent usage", async () => {
    const full = await ai.models.generateContent({ model: "chat", contents: hello, config: { temperature: 0, seed: 42, maxOutputTokens: 64 } });
    expect(full.text).toBe(CHAT_MODEL_REPLY);
    expect(full.candidates?.[0]?.finishReason).toBe("STOP");
    expect(full.modelVersion).toBe("chat");
    expect(full.responseId).toBeTruthy();
    const usage = full.usageMetadata!;
    expect(usage.promptTokenCount).toBeGreaterThan(0);
    expect(usage.candidatesTokenCount).toBeGreaterThan(0);
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount! + usage.candidatesTokenCount!);
    expect(full.sdkHttpResponse?.headers?.["x-wren-provider"]).toBe("local");

    const chunks = await collect(await ai.models.generateContentStream({ model: "tiny-chat", contents: hello, config: { temperature: 0, seed: 42, maxOutputTokens: 64 } }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.text ?? "").join("")).toBe(CHAT_MODEL_REPLY);
    expect(new Set(chunks.map((c) => c.responseId)).size).toBe(1);
    const last = chunks.at(-1)!;
    expect(last.candidates?.[0]?.finishReason).toBe("STOP");
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: usage.promptTokenCount, candidatesTokenCount: usage.candidatesTokenCount, totalTokenCount: usage.totalTokenCount });
    // As Gemini's own stream: every chunk states the prompt's count, the first one's included.
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.usageMetadata).toEqual({ promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount, promptTokensDetails: [{ modality: "TEXT", tokenCount: usage.promptTokenCount }] });
    }
  });

  it("finish reasons: MAX_TOKENS when maxOutputTokens cuts the answer, STOP at a stop sequence (left out of the text)", async () => {
    const cut = await ai.models.generateContent({ model: "chat", contents: hello, config: { maxOutputTokens: 3 } });
    expect(cut.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
    expect(cut.usageMetadata?.candidatesTokenCount).toBe(3);
    expect(CHAT_MODEL_REPLY.startsWith(cut.text ?? "-")).toBe(true);
    const stopped = await ai.models.generateContent({ model: "chat", contents: hello, config: { stopSequences: ["tiny"] } });
    expect(stopped.candidates?.[0]?.finishReason).toBe("STOP");
    expect(stopped.text).toMatch(/^Hello from the ?$/);
  });

  it("a repeated prompt states the tokens the model reused as cachedContentTokenCount, within promptTokenCount, in every chunk", async () => {
    const system = Array.from({ length: 6 }, (_, i) => `Rule ${i}: keep answers short, exact and kind to the user.`).join("\n");
    const config = { systemInstruction: system, temperature: 0, seed: 42, maxOutputTokens: 64 };
    const first = await ai.models.generateContent({ model: "chat", contents: hello, config });
    const prompt = first.usageMetadata!.promptTokenCount!;
    const chunks = await collect(await ai.models.generateContentStream({ model: "chat", contents: hello, config }));
    expect(chunks.length).toBeGreaterThan(1);
    // All its tokens but the last, whose logits start the answer, as a local model reuses a repeated prompt.
    const cached = { promptTokenCount: prompt, cachedContentTokenCount: prompt - 1, cacheTokensDetails: [{ modality: "TEXT", tokenCount: prompt - 1 }] };
    for (const chunk of chunks) expect(chunk.usageMetadata).toMatchObject(cached);
  });

  it("goes through the router like every dialect: auto answers locally and says so", async () => {
    const res = await ai.models.generateContent({ model: "auto", contents: hello });
    expect(res.text).toBe(CHAT_MODEL_REPLY);
    expect(res.modelVersion).toBe("auto");
    const headers = res.sdkHttpResponse?.headers ?? {};
    expect([headers["x-wren-provider"], headers["x-wren-model"], headers["x-wren-route"], headers["x-wren-reason"]]).toEqual(["local", "chat", "default", "local"]);
  });

  it("countTokens agrees with the prompt count of a generation", async () => {
    const counted = await ai.models.countTokens({ model: "chat", contents: hello });
    const full = await ai.models.generateContent({ model: "chat", contents: hello });
    expect(counted.totalTokens).toBe(full.usageMetadata?.promptTokenCount);
  });

  it("models.list and models.get show the served models and the router's names", async () => {
    const names: string[] = [];
    for await (const model of await ai.models.list()) names.push(model.name ?? "");
    expect(names).toEqual(["models/chat", "models/chat-128k", "models/auto", "models/default"]);
    const model = await ai.models.get({ model: "tiny-chat" });
    expect(model).toMatchObject({ name: "models/chat", inputTokenLimit: 512, supportedActions: expect.arrayContaining(["generateContent", "countTokens"]) });
  });

  it("embedContent: one vector per content, as batchEmbedContents sends them", async () => {
    const res = await ai.models.embedContent({ model: "chat", contents: ["hello", "a longer text to embed"] });
    const vectors = res.embeddings?.map((e) => e.values ?? []) ?? [];
    expect(vectors).toHaveLength(2);
    expect(vectors[0]!.length).toBeGreaterThan(0);
    expect(vectors[1]).toHaveLength(vectors[0]!.length);
    expect(vectors.flat().every(Number.isFinite)).toBe(true);
    const short = await ai.models.embedContent({ model: "chat", contents: "hello", config: { outputDimensionality: 4 } });
    expect(short.embeddings?.[0]?.values).toEqual(vectors[0]!.slice(0, 4));
  });

  it("responseSchema: the answer is JSON that validates", async () => {
    // Bounded fields: the synthetic model would otherwise write one string until maxOutputTokens.
    const res = await ai.models.generateContent({
      model: "chat",
      contents: hello,
      config: {
        maxOutputTokens: 200,
        responseMimeType: "application/json",
        responseSchema: {
          type: Type.OBJECT,
          properties: { greeting: { type: Type.STRING, maxLength: "16" }, mood: { type: Type.STRING, format: "enum", enum: ["happy", "calm"] } },
          required: ["greeting", "mood"],
        },
      },
    });
    const parsed: unknown = JSON.parse(res.text ?? "");
    expect(z.strictObject({ greeting: z.string().max(16), mood: z.enum(["happy", "calm"]) }).safeParse(parsed).success).toBe(true);
  });

  it("a function call round trip through a teacher: the call streams back, its response reaches the teacher as a tool result", async () => {
    const config = { tools: [{ functionDeclarations: [weatherTool] }] };
    const chunks = await collect(await ai.models.generateContentStream({ model: "openai:gpt-4o-mini", contents: [{ role: "user", parts: [{ text: "Weather in Oslo?" }] }], config }));
    const calls = chunks.flatMap((c) => c.functionCalls ?? []);
    expect(calls).toEqual([{ id: "call_teacher_1", name: "get_weather", args: { city: "Oslo" } }]);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
    expect(chunks[0]?.sdkHttpResponse?.headers?.["x-wren-provider"]).toBe("openai");

    const history: Content[] = [
      { role: "user", parts: [{ text: "Weather in Oslo?" }] },
      { role: "model", parts: calls.map((call) => ({ functionCall: call })) },
      { role: "user", parts: [{ functionResponse: { id: calls[0]!.id!, name: "get_weather", response: { output: "cold" } } }] },
    ];
    const answer = await ai.models.generateContent({ model: "openai:gpt-4o-mini", contents: history, config });
    expect(answer.text).toBe("It is cold in Oslo.");
    const sent = teacher.requests.at(-1)!;
    expect(sent.tools?.map((t) => t.function.name)).toEqual(["get_weather"]);
    expect(sent.messages.slice(-2)).toMatchObject([
      { role: "assistant", tool_calls: [{ id: "call_teacher_1", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
      { role: "tool", tool_call_id: "call_teacher_1", content: "cold" },
    ]);
  });

  it("a prompt too long for the context is the SDK's ApiError 400 INVALID_ARGUMENT with the numbers, streamed or not", async () => {
    for (const attempt of [
      () => ai.models.generateContent({ model: "chat", contents: tooLong }),
      async () => collect(await ai.models.generateContentStream({ model: "chat", contents: tooLong })),
    ]) {
      const error = await apiError(attempt());
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/INVALID_ARGUMENT/);
      const m = /The input token count \((\d+)\) exceeds the maximum number of tokens allowed \((\d+)\)/.exec(error.message);
      expect(m, error.message).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(Number(m![2]));
      expect(Number(m![2])).toBeLessThanOrEqual(512);
    }
    expect((await ai.models.generateContent({ model: "chat", contents: hello })).text).toBe(CHAT_MODEL_REPLY);
  });

  it("an unknown model is ApiError 404 NOT_FOUND, and a wrong key 401 UNAUTHENTICATED", async () => {
    const missing = await apiError(ai.models.generateContent({ model: "gemini-9-ultra", contents: hello }));
    expect(missing.status).toBe(404);
    expect(missing.message).toMatch(/NOT_FOUND/);
    const stranger = new GoogleGenAI({ apiKey: "wrong", httpOptions: { baseUrl: server.url, retryOptions: { attempts: 1 } } });
    const refused = await apiError(stranger.models.generateContent({ model: "chat", contents: hello }));
    expect(refused.status).toBe(401);
    expect(refused.message).toMatch(/UNAUTHENTICATED/);
  });

  it("Gemini CLI's shape: streamed with alt=sse, a long system instruction, tools by parametersJsonSchema and thinkingConfig", async () => {
    const system = Array.from({ length: 250 }, (_, i) => `Rule ${i}: keep answers short, exact and kind to the user.`).join("\n");
    const chunks = await collect(
      await ai.models.generateContentStream({
        model: "chat-128k",
        contents: [{ role: "user", parts: [{ text: "<session_context>This is the Gemini CLI.</session_context>" }] }, ...hello],
        config: {
          systemInstruction: { role: "user", parts: [{ text: system }] },
          tools: [{ functionDeclarations: [weatherTool, { name: "read_file", description: "Reads a file", parametersJsonSchema: { type: "object", properties: { absolute_path: { type: "string" } }, required: ["absolute_path"] } }] }],
          thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
          temperature: 0,
          topP: 1,
        },
      }),
    );
    expect(chunks.map((c) => c.text ?? "").join("")).toBe(CHAT_MODEL_REPLY);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
    expect(chunks.at(-1)?.usageMetadata?.promptTokenCount).toBeGreaterThan(4_000);
    expect(chunks[0]?.usageMetadata?.promptTokenCount).toBe(chunks.at(-1)?.usageMetadata?.promptTokenCount);
    // Thousands of prompt tokens on two busy cores: room beyond the default minute.
  }, 180_000);
});
