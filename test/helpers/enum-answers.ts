import { expect } from "vitest";
import { streamParts } from "./fake-upstreams/conformance.js";
import { sharedModels } from "./shared-models.js";
import type { RunningServer } from "../../src/runtime/serve.js";
import { userText, type ChatRequest, type LanguageModel, type ResponseFormat } from "../../src/protocol/index.js";

/** The values of the enum answers these tests ask for. */
export const MOODS = ["positive", "negative", "neutral"];

/** The response format a Gemini `text/x.enum` request becomes (see codecs/gemini-enum.ts): the answer object, marked with its `answerKey`. */
export function enumAnswerFormat(values: string[] = MOODS): Extract<ResponseFormat, { type: "json" }> {
  return {
    type: "json",
    name: "enum_answer",
    schema: { type: "object", properties: { answer: { type: "string", enum: values } }, required: ["answer"], additionalProperties: false },
    strict: true,
    answerKey: "answer",
  };
}

/** A request for an enum answer among `values`, the value held to `maxOutputTokens` tokens. */
export function enumAnswerRequest(values: string[], maxOutputTokens: number): ChatRequest {
  return { messages: [userText("Mood?")], maxOutputTokens, responseFormat: enumAnswerFormat(values) };
}

/**
 * `wren serve` of the shared synthetic chat model as `chat`, asking `apiKey` when given: another
 * wren to send enum answers to. With `peersKey`, it takes that peers key as a LAN peer does
 * (advertised on loopback only, discovering nothing): what `peer:` targets sign their requests with.
 * The server's code loads here, not with the format above.
 */
export async function serveChatModel(apiKey?: string, peersKey?: string): Promise<RunningServer> {
  const { startServer } = await import("../../src/runtime/serve.js");
  const peers = peersKey === undefined ? {} : { peers: { advertise: true, discover: false, key: peersKey, keys: {}, interface: "127.0.0.1", name: `chat-${process.pid}`, refreshSeconds: 10 } };
  return startServer({
    ...peers,
    models: [{ path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 1 }],
    host: "127.0.0.1",
    port: 0,
    gpu: "cpu",
    threads: 1,
    preload: true,
    ...(apiKey === undefined ? {} : { apiKey }),
    env: {},
  });
}

const textOf = (result: { content: Array<{ type: string; text?: string }> }): string => result.content.flatMap((p) => (p.type === "text" && p.text !== undefined ? [p.text] : [])).join("");

/**
 * Checks that `model`, another wren's served synthetic model, is held to the bare value of an enum
 * answer: cut at 1, 3 and 5 tokens it gives exactly that many characters of a mood (the synthetic
 * model writes a token a character) with that usage, streamed or not, and with room it gives a
 * whole mood counted as its length. `each` checks more of every cut answer.
 */
export async function expectBareEnumAnswers(model: LanguageModel, each: (result: Awaited<ReturnType<LanguageModel["doGenerate"]>>) => void = () => undefined): Promise<void> {
  const messages = [userText("Mood of 'the soup was cold'?")];
  for (const max of [1, 3, 5]) {
    const request: ChatRequest = { messages, maxOutputTokens: max, temperature: 0, responseFormat: enumAnswerFormat() };
    const generated = await model.doGenerate(request);
    const text = textOf(generated);
    const value = text.replace('{"answer":"', "");
    expect(text.startsWith('{"answer":"')).toBe(true);
    expect(value).toHaveLength(max);
    expect(MOODS.some((m) => m.startsWith(value) && m !== value)).toBe(true);
    expect(generated.finishReason).toBe("length");
    expect(generated.usage.outputTokens).toBe(max);
    each(generated);
    const parts = await streamParts(model.doStream(request));
    expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("")).toBe(text);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "length", usage: { outputTokens: max } });
  }
  const whole = await model.doGenerate({ messages, maxOutputTokens: 12, temperature: 0, responseFormat: enumAnswerFormat() });
  const answer = JSON.parse(textOf(whole)) as { answer: string };
  expect(MOODS).toContain(answer.answer);
  expect(whole.finishReason).toBe("stop");
  expect(whole.usage.outputTokens).toBe(answer.answer.length);
}
