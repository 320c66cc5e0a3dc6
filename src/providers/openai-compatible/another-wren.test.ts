import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../../test/helpers/fake-upstreams/conformance.js";
import { ScriptedHost, ScriptedModel } from "../../../test/helpers/scripted-host.js";
import { enumAnswerFormat, expectBareEnumAnswers, MOODS, serveChatModel } from "../../../test/helpers/enum-answers.js";
import { expectContinuedFinalMessage } from "../../../test/helpers/continued-answers.js";
import { hasSharedModels } from "../../../test/helpers/shared-models.js";
import type { RunningServer } from "../../runtime/serve.js";
import { collectStream, resultText, userText, type ChatRequest } from "../../protocol/index.js";
import { createServerApp } from "../../server/app.js";
import { createModel } from "../registry.js";

describe("the wren preset: another wren server as a teacher", () => {
  let server: ServerType;
  let url: string;
  const qwen = new ScriptedModel("qwen", (req) =>
    req.tools?.length ? { toolCalls: [{ name: "get_weather", input: '{"city":"Oslo"}' }] } : { text: "Hello from the other wren." },
  );
  beforeAll(async () => {
    const host = new ScriptedHost(new Map([["qwen", qwen]]));
    const { app } = createServerApp({ host });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers streamed and non-streamed, with tool calls, through the openai-compatible provider", async () => {
    const { model, leavesMachine } = createModel("wren:qwen", { env: {}, providers: { wren: { baseURL: url } } });
    expect(leavesMachine).toBe(false);
    expect(resultText(await collectStream(model.doStream({ messages: [userText("Hi")] })))).toBe("Hello from the other wren.");
    expect(resultText(await model.doGenerate({ messages: [userText("Hi")] }))).toBe("Hello from the other wren.");
    const tools = [{ name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } } } }];
    const streamed = await collectStream(model.doStream({ messages: [userText("Weather?")], tools }));
    expect(streamed.content).toEqual([expect.objectContaining({ type: "tool-call", toolName: "get_weather", input: { city: "Oslo" } })]);
    expect(streamed.finishReason).toBe("tool-calls");
    const generated = await model.doGenerate({ messages: [userText("Weather?")], tools });
    expect(generated.content).toEqual([expect.objectContaining({ type: "tool-call", toolName: "get_weather", input: { city: "Oslo" } })]);
  });

  it("asks the other wren to continue a final assistant message that holds only text, as a local model would, and never one with tool calls", async () => {
    const { model } = createModel("wren:qwen", { env: {}, providers: { wren: { baseURL: url } } });
    const prefill: ChatRequest = { messages: [userText("JSON?"), { role: "assistant", content: [{ type: "text", text: "{" }] }], continueFinalMessage: true };
    const toolCall: ChatRequest = {
      messages: [userText("Weather?"), { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_1", toolName: "get_weather", input: { city: "Oslo" } }] }],
      continueFinalMessage: true,
    };
    const seen = (): Array<boolean | undefined> => qwen.requests.slice(-2).map((r) => r.continueFinalMessage);
    await model.doGenerate(prefill);
    await collectStream(model.doStream(prefill));
    expect(seen()).toEqual([true, true]);
    await model.doGenerate(toolCall);
    await collectStream(model.doStream(toolCall));
    expect(seen()).toEqual([undefined, undefined]);
  });
});

describe.runIf(hasSharedModels)("the wren preset's continued final assistant message", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveChatModel();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is continued by the other wren's model, streamed or not: the answer is only the text after it", async () => {
    const { model } = createModel("wren:chat", { env: {}, providers: { wren: { baseURL: `${server.url}/v1` } } });
    await expectContinuedFinalMessage(model);
  });
});

describe.runIf(hasSharedModels)("the wren preset's cached prompt tokens", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveChatModel();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("are the other wren's prompt reuse, as its model reports it: none the first time, all but the last token when the prompt is sent again, streamed or not", async () => {
    const { model } = createModel("wren:chat", { env: {}, providers: { wren: { baseURL: `${server.url}/v1` } } });
    // Long enough (32 tokens and more) for the other wren's prompt cache to keep and reuse.
    const request: ChatRequest = {
      messages: [userText("Tell me about the little wren that sang every morning in the old garden behind the house by the river.")],
      maxOutputTokens: 4,
      temperature: 0,
    };
    const first = await model.doGenerate(request);
    expect(first.usage.inputTokens).toBeGreaterThanOrEqual(32);
    expect(first.usage.cachedInputTokens).toBe(0);
    const again = await model.doGenerate(request);
    expect(again.usage).toMatchObject({ inputTokens: first.usage.inputTokens, cachedInputTokens: first.usage.inputTokens - 1 });
    const streamed = await streamParts(model.doStream(request));
    expect(streamed.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: first.usage.inputTokens, cachedInputTokens: first.usage.inputTokens - 1 } });
  });
});

const KEY = "wren-s3cret";
const enumFormat = enumAnswerFormat();

describe.runIf(hasSharedModels)("the wren preset's enum answer", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await serveChatModel(KEY);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is the other wren's model held to the bare value: the client's max tokens and the usage count the value's tokens, streamed or not", async () => {
    // As docs/router.md has it: the wren preset with the other server's /v1 root and WREN_API_KEY.
    const { model } = createModel("wren:chat", { env: { WREN_API_KEY: KEY }, providers: { wren: { baseURL: `${server.url}/v1` } } });
    await expectBareEnumAnswers(model);
  });

  it("names the provider as configured when the other wren refuses an enum answer, and keeps every other request on its OpenAI API", async () => {
    const { model } = createModel("wren:chat", { env: { WREN_API_KEY: "wrong" }, providers: { wren: { baseURL: `${server.url}/v1` } } });
    expect(model.provider).toBe("wren");
    const request: ChatRequest = { messages: [userText("Mood?")], maxOutputTokens: 3, responseFormat: enumFormat };
    await expect(model.doGenerate(request)).rejects.toMatchObject({ code: "unauthorized", message: expect.stringMatching(/^wren\b/) });
    const streamed = await streamParts(model.doStream(request));
    expect(streamed.at(-1)).toMatchObject({ type: "error", error: { code: "unauthorized", message: expect.stringMatching(/^wren\b/) } });
    // A JSON answer without answerKey is no enum answer: the OpenAI API writes the object itself.
    const { answerKey: _, ...json } = enumFormat;
    const { model: keyed } = createModel("wren:chat", { env: { WREN_API_KEY: KEY }, providers: { wren: { baseURL: `${server.url}/v1` } } });
    const object = JSON.parse(resultText(await keyed.doGenerate({ messages: [userText("Mood?")], maxOutputTokens: 40, temperature: 0, responseFormat: json }))) as { answer: string };
    expect(MOODS).toContain(object.answer);
  });
});

describe.runIf(hasSharedModels)("the wren preset's enum answer from a wren that takes no key", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveChatModel();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is the bare value there too, with no key configured", async () => {
    const { model } = createModel("wren:chat", { env: {}, providers: { wren: { baseURL: `${server.url}/v1/` } } });
    const generated = await model.doGenerate({ messages: [userText("Mood of 'the soup was cold'?")], maxOutputTokens: 3, temperature: 0, responseFormat: enumFormat });
    const value = resultText(generated).replace('{"answer":"', "");
    expect(value).toHaveLength(3);
    expect(MOODS.some((m) => m.startsWith(value))).toBe(true);
    expect(generated.usage.outputTokens).toBe(3);
  });
});
