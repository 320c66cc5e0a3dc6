import { ApiError, GoogleGenAI, Type, type Content, type GenerateContentResponse } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatBody } from "../../test/helpers/fake-upstreams/scripted-teacher.js";
import { serveChatWithTeacher, TEACHER_MODEL, type ServedChat } from "../../test/helpers/served-chat.js";
import { hasSharedModels } from "../../test/helpers/shared-models.js";

const KEY = "enum-s3cret";
const MOODS = ["positive", "negative", "neutral"];
const review: Content[] = [{ role: "user", parts: [{ text: "Classify the mood of this review: 'The soup was cold.'" }] }];
const moodSchema = { type: Type.STRING, format: "enum", enum: MOODS };

/** The teacher answers as OpenAI's structured outputs do: the JSON its schema asks for, as the message text. */
function teacherScript(body: ChatBody) {
  return body["response_format"] ? { text: '{"answer":"negative"}' } : { text: "I would rather chat." };
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

describe.runIf(hasSharedModels)("Gemini text/x.enum answers through the official @google/genai client", () => {
  let served: ServedChat;
  let ai: GoogleGenAI;

  beforeAll(async () => {
    served = await serveChatWithTeacher(teacherScript, { apiKey: KEY });
    ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: served.server.url, retryOptions: { attempts: 1 } } });
  });
  afterAll(async () => {
    await served?.close();
  });

  it("the local model's answer is exactly one of the values, as plain text, streamed or not", async () => {
    const config = { temperature: 0, maxOutputTokens: 64, responseMimeType: "text/x.enum", responseSchema: moodSchema };
    const full = await ai.models.generateContent({ model: "chat", contents: review, config });
    expect(MOODS).toContain(full.text);
    expect(full.candidates?.[0]?.finishReason).toBe("STOP");
    expect(full.sdkHttpResponse?.headers?.["x-wren-provider"]).toBe("local");

    // responseJsonSchema, the other spelling, and the streamed route: the value arrives whole.
    const chunks = await collect(
      await ai.models.generateContentStream({ model: "chat", contents: review, config: { ...config, responseSchema: undefined, responseJsonSchema: { type: "string", enum: MOODS } } }),
    );
    const streamed = chunks.map((c) => c.text ?? "").join("");
    expect(MOODS).toContain(streamed);
    expect(streamed).toBe(full.text);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
  });

  it("maxOutputTokens and the usage count the value's tokens, not the JSON wren asks the model for; a cut answer gives as much of the value as was written, streamed or not", async () => {
    // The synthetic model writes a token a character: N tokens of value are N characters of it.
    for (const maxOutputTokens of [1, 3, 5]) {
      const config = { temperature: 0, maxOutputTokens, responseMimeType: "text/x.enum", responseSchema: moodSchema };
      const full = await ai.models.generateContent({ model: "chat", contents: review, config });
      expect(full.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
      const text = full.text ?? "";
      expect(text).toHaveLength(maxOutputTokens);
      expect(MOODS.some((m) => m.startsWith(text) && m !== text)).toBe(true);
      expect(full.usageMetadata?.candidatesTokenCount).toBe(maxOutputTokens);
      const chunks = await collect(await ai.models.generateContentStream({ model: "chat", contents: review, config }));
      expect(chunks.map((c) => c.text ?? "").join("")).toBe(text);
      expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
      expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(maxOutputTokens);
    }
    // Room for the value and its end: the whole value, STOP, its tokens alone counted.
    const whole = await ai.models.generateContent({ model: "chat", contents: review, config: { temperature: 0, maxOutputTokens: 12, responseMimeType: "text/x.enum", responseSchema: moodSchema } });
    expect(MOODS).toContain(whole.text);
    expect(whole.candidates?.[0]?.finishReason).toBe("STOP");
    expect(whole.usageMetadata?.candidatesTokenCount).toBe(whole.text?.length);
  });

  it("values with quotes, backslashes and line breaks are held to exactly by the local model's grammar", async () => {
    const values = ['say "no"', "back\\slash", "two\nlines"];
    const config = { temperature: 0, maxOutputTokens: 64, responseMimeType: "text/x.enum", responseSchema: { type: Type.STRING, enum: values } };
    const full = await ai.models.generateContent({ model: "chat", contents: review, config });
    expect(values).toContain(full.text);
    expect(full.candidates?.[0]?.finishReason).toBe("STOP");
    expect(full.usageMetadata?.candidatesTokenCount).toBeLessThanOrEqual((full.text ?? "").length);
  });

  it("a teacher is asked for the enum by its JSON schema, and its JSON answer comes back as the bare value", async () => {
    const config = { responseMimeType: "text/x.enum", responseSchema: moodSchema };
    const full = await ai.models.generateContent({ model: TEACHER_MODEL, contents: review, config });
    expect(full.text).toBe("negative");
    expect(full.sdkHttpResponse?.headers?.["x-wren-provider"]).toBe("openai");
    expect(served.teacher.requests.at(-1)?.["response_format"]).toEqual({
      type: "json_schema",
      json_schema: {
        name: "enum_answer",
        schema: { type: "object", properties: { answer: { type: "string", enum: MOODS } }, required: ["answer"], additionalProperties: false },
        strict: true,
      },
    });
    const chunks = await collect(await ai.models.generateContentStream({ model: TEACHER_MODEL, contents: review, config }));
    expect(chunks.map((c) => c.text ?? "").join("")).toBe("negative");
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
  });

  it("a teacher's value longer than maxOutputTokens is cut to it, counted as the usage counts it, with finish reason MAX_TOKENS, as Gemini cuts it", async () => {
    // The teacher writes `{"answer":"negative"}` in 7 tokens: 4 of the object, 3 of the value.
    const cut = await ai.models.generateContent({ model: TEACHER_MODEL, contents: review, config: { responseMimeType: "text/x.enum", responseSchema: moodSchema, maxOutputTokens: 1 } });
    expect(cut.text).toBe("neg");
    expect(cut.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
    expect(cut.usageMetadata?.candidatesTokenCount).toBe(1);
  });

  it("refuses text/x.enum without a schema, with a schema that is not a STRING enum, or with an empty enum: ApiError 400 INVALID_ARGUMENT saying what is wrong", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /'text\/x\.enum' needs a responseSchema/],
      [{ responseSchema: { type: Type.OBJECT, properties: { mood: { type: Type.STRING, enum: MOODS } } } }, /responseSchema must be a STRING schema with an enum/],
      [{ responseSchema: { type: Type.STRING } }, /responseSchema must be a STRING schema with an enum/],
      [{ responseJsonSchema: { type: "integer", enum: [1, 2] } }, /responseJsonSchema must be a STRING schema with an enum/],
      [{ responseSchema: { type: Type.STRING, enum: [] } }, /responseSchema\.enum is empty/],
      [{ responseJsonSchema: { enum: ["yes", 2] } }, /responseJsonSchema\.enum\[1\] is 2, not a string/],
    ];
    for (const [schema, message] of cases) {
      for (const model of ["chat", TEACHER_MODEL]) {
        const error = await apiError(ai.models.generateContent({ model, contents: review, config: { responseMimeType: "text/x.enum", ...schema } }));
        expect(error.status).toBe(400);
        expect(error.message).toMatch(/INVALID_ARGUMENT/);
        expect(error.message).toMatch(message);
      }
    }
  });
});
