import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userText, type LanguageModel, type StreamPart } from "../protocol/index.js";
import { Router } from "../router/router.js";
import { startServer, type RunningServer } from "../runtime/serve.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

const note = { name: "note", inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } };
const other = { name: "other", inputSchema: { type: "object", properties: {} } };

async function parts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of stream) out.push(part);
  return out;
}

/**
 * A forced tool call (tool_choice required or named) cut off by max tokens: the call comes back with
 * its arguments as far as they were written and finish reason length, as OpenAI answers one, so a
 * client sees what was cut rather than an empty answer. Scripted models: each reply piece is a token.
 */
describe("a forced tool call cut off by max tokens", () => {
  let engine: Engine;
  let one: LocalModel;
  let two: LocalModel;
  let server: RunningServer;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    const oneFile = await syntheticModel({ ...CHATML, contextLength: 512, reply: ['{"text', '": "', "hello", '!"}'] });
    one = await engine.loadModel(oneFile, { id: "one", contextSize: 512 });
    two = await engine.loadModel(await syntheticModel({ ...CHATML, contextLength: 512, reply: ['{"name', '": "note', '", "arguments', '": {"text', '": "hi', '"}}'] }), { id: "two", contextSize: 512 });
    server = await startServer({ models: [{ path: oneFile, id: "scripted", contextSize: 512 }], host: "127.0.0.1", port: 0, engine, preload: true });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.dispose();
  });

  it("returns the one forced tool's partial arguments with finish reason length", async () => {
    const streamed = await parts(one.doStream({ messages: [userText("hi")], tools: [note], toolChoice: "required", maxOutputTokens: 3, temperature: 0 }));
    const call = streamed.find((p) => p.type === "tool-call");
    expect(call).toMatchObject({ toolName: "note", input: '{"text": "hello' });
    expect(streamed.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
    const whole = await one.doGenerate({ messages: [userText("hi")], tools: [note], toolChoice: { type: "tool", toolName: "note" }, maxOutputTokens: 3, temperature: 0 });
    expect(whole.finishReason).toBe("length");
    expect(whole.content.filter((p) => p.type === "tool-call").map((p) => p.toolName)).toEqual(["note"]);
  });

  it("among several tools, names the one chosen once its name is written, with its arguments so far", async () => {
    const request = { messages: [userText("hi")], tools: [note, other], toolChoice: "required" as const, temperature: 0 };
    const cut = await parts(two.doStream({ ...request, maxOutputTokens: 4 }));
    expect(cut.find((p) => p.type === "tool-call")).toMatchObject({ toolName: "note", input: '{"text' });
    expect(cut.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
    // Cut before the name is whole: there is no call to name, and the answer is empty, still `length`.
    const early = await parts(two.doStream({ ...request, maxOutputTokens: 1 }));
    expect(early.some((p) => p.type === "tool-call")).toBe(false);
    expect(early.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
    // Given room, the call is whole and ends as a call.
    const whole = await parts(two.doStream({ ...request, maxOutputTokens: 50 }));
    expect(whole.find((p) => p.type === "tool-call")).toMatchObject({ toolName: "note", input: '{"text":"hi"}' });
    expect(whole.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
  });

  it("reaches an OpenAI client through wren serve as a tool call with finish_reason length", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const tools = [{ type: "function" as const, function: { name: note.name, parameters: note.inputSchema } }];
    const completion = await openai.chat.completions.create({
      model: "scripted",
      messages: [{ role: "user", content: "hi" }],
      tools,
      tool_choice: { type: "function", function: { name: "note" } },
      max_tokens: 3,
      temperature: 0,
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("length");
    expect(choice?.message.tool_calls?.map((c) => (c.type === "function" ? c.function : undefined))).toEqual([{ name: "note", arguments: '{"text": "hello' }]);
  });

  it("through the router: no repair turn for a call cut by the client's own limit, the cut call comes back", async () => {
    const sent: unknown[] = [];
    const counted: LanguageModel = {
      provider: one.provider,
      modelId: one.modelId,
      doStream: (request, options) => (sent.push(request), one.doStream(request, options)),
      doGenerate: (request, options) => (sent.push(request), one.doGenerate(request, options)),
    };
    const router = new Router({
      targets: [{ id: "local:one", model: counted, leavesMachine: false, local: { contextLength: 512, tokenCounter: one } }],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "local:one" }] } },
      consent: { policy: "allow" },
    });
    const result = await router.doGenerate({ messages: [userText("hi")], tools: [note], toolChoice: "required", maxOutputTokens: 3, temperature: 0 });
    expect(result.finishReason).toBe("length");
    expect(result.content).toEqual([{ type: "tool-call", toolCallId: expect.any(String), toolName: "note", input: '{"text": "hello' }]);
    expect(sent).toHaveLength(1);
  });
});
