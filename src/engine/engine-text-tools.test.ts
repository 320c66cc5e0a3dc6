import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, userText, type ChatRequest, type StreamPart } from "../protocol/index.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

const weather = { name: "get_weather", description: "Weather for a city", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
const ask: ChatRequest = { messages: [userText("Weather in Paris?")], tools: [weather], temperature: 0 };

// Scripted models (bigram weights) in ChatML, a format without function-calling syntax: the tools
// are described in the prompt and the call is parsed from the reply's text.
describe("tool calls written as text by a local model", () => {
  let engine: Engine;
  let tagged: LocalModel;
  let plain: LocalModel;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    tagged = await engine.loadModel(
      await syntheticModel({ ...CHATML, contextLength: 2048, reply: ["Let me check.", "<tool_call>", '{"name": "get_weather", "arguments": {"city": "Paris"}}', "</tool_call>"] }),
      { id: "tagged", contextSize: 1024 },
    );
    plain = await engine.loadModel(await syntheticModel({ ...CHATML, contextLength: 2048, reply: ["It is", " sunny", " {not a call}."] }), { id: "plain", contextSize: 1024 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("turns a <tool_call> reply into a tool call, never into text", async () => {
    const parts: StreamPart[] = [];
    for await (const part of tagged.doStream(ask)) parts.push(part);
    const text = parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("");
    expect(text).toBe("Let me check.");
    expect(parts.find((p) => p.type === "tool-call")).toMatchObject({ toolName: "get_weather", input: '{"city":"Paris"}' });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
  });

  it("tells the model about the tools in its prompt, and only when tools are offered", async () => {
    const withTools = await tagged.countTokens(ask);
    const without = await tagged.countTokens({ messages: ask.messages });
    expect(withTools).toBeGreaterThan(without + 20);
  });

  it("streams a reply without a call as text, braces and all", async () => {
    const result = await plain.doGenerate(ask);
    expect(resultText(result)).toBe("It is sunny {not a call}.");
    expect(result.content.some((p) => p.type === "tool-call")).toBe(false);
    expect(result.finishReason).toBe("stop");
  });

  it("leaves the reply as text when the request offers no tools", async () => {
    const result = await tagged.doGenerate({ messages: ask.messages, temperature: 0 });
    expect(resultText(result)).toContain("<tool_call>");
  });
});
