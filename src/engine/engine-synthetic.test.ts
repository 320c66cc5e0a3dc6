import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, userText } from "../protocol/index.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

// The same engine paths on models the project generates, so they are covered where ../shared is absent.
describe("engine on generated models", () => {
  let engine: Engine;
  let plain: LocalModel;
  let chat: LocalModel;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    plain = await engine.loadModel(await syntheticModel({ seed: 11 }), { id: "plain", contextSize: 256, sequences: 2 });
    chat = await engine.loadModel(await syntheticModel({ seed: 12, ...CHATML }), { id: "chat", contextSize: 256 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("completes greedily and deterministically, with exact token counts", async () => {
    const req = { messages: [], rawPrompt: "hello world", temperature: 0, maxOutputTokens: 8 };
    const a = await plain.doGenerate(req);
    const b = await plain.doGenerate(req);
    expect(resultText(a)).toBe(resultText(b));
    expect(a.usage.outputTokens).toBeLessThanOrEqual(8);
    expect(a.usage.inputTokens).toBe(await plain.countTokens(req));
  });

  it("uses the chat template the file carries", async () => {
    expect(chat.info.hasChatTemplate).toBe(true);
    expect(plain.info.hasChatTemplate).toBe(false);
    const result = await chat.doGenerate({ messages: [{ role: "system", content: "Be brief." }, userText("hi")], temperature: 0, maxOutputTokens: 6 });
    expect(result.usage.inputTokens).toBeGreaterThan(4);
    expect(["stop", "length"]).toContain(result.finishReason);
  });

  it("constrains output to a schema even with random weights", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" }, n: { enum: [1, 2, 3] } }, required: ["ok", "n"] };
    const result = await plain.doGenerate({ messages: [], rawPrompt: "x", temperature: 0, maxOutputTokens: 40, responseFormat: { type: "json", schema } });
    const value = JSON.parse(resultText(result)) as { ok: unknown; n: unknown };
    expect(typeof value.ok).toBe("boolean");
    expect([1, 2, 3]).toContain(value.n);
  });

  it("refuses a model that will not fit the memory it may use, before loading it", async () => {
    const file = await syntheticModel({ seed: 11 });
    await expect(engine.loadModel(file, { contextSize: 256, memoryLimitBytes: 1000 })).rejects.toMatchObject({
      code: "model_too_large",
      message: expect.stringMatching(/will not fit/),
      hint: expect.stringMatching(/smaller model/),
    });
    expect(engine.models).toHaveLength(2);
  });

  it("ends a forced tool call cut off by max tokens with finish reason length and the call as far as it went", async () => {
    const tool = { name: "note", inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } };
    const result = await chat.doGenerate({ messages: [userText("hi")], tools: [tool], toolChoice: "required", maxOutputTokens: 3 });
    expect(result.finishReason).toBe("length");
    const calls = result.content.filter((p) => p.type === "tool-call");
    expect(calls.map((c) => c.toolName)).toEqual(["note"]);
    // Not JSON yet: the arguments stay as the text written so far.
    expect(typeof calls[0]?.input).toBe("string");
  });

  it("rejects a tool choice that names an undeclared tool", async () => {
    await expect(
      chat.doGenerate({ messages: [userText("hi")], tools: [{ name: "a", inputSchema: { type: "object" } }], toolChoice: { type: "tool", toolName: "b" } }),
    ).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(/"b"/) });
  });

  it("rejects images for a text-only model with a clear error", async () => {
    await expect(
      chat.doGenerate({ messages: [{ role: "user", content: [{ type: "image", data: "aGk=", mediaType: "image/png" }] }] }),
    ).rejects.toMatchObject({ code: "unsupported" });
  });

  it("refuses a second request past the queue limit with a retryable overload", async () => {
    const busy = await engine.loadModel(await syntheticModel({ seed: 11 }), { id: "busy", contextSize: 128, sequences: 1, maxQueued: 0 });
    const controller = new AbortController();
    // The grammar forbids stopping before 100 items, so the first request holds the only sequence.
    const long = { type: "array", items: { const: "x" }, minItems: 100 };
    const first = busy.doGenerate({ messages: [], rawPrompt: "a", responseFormat: { type: "json", schema: long } }, { signal: controller.signal });
    while (busy.stats().active === 0) await new Promise((r) => setTimeout(r, 1));
    await expect(busy.doGenerate({ messages: [], rawPrompt: "b" })).rejects.toMatchObject({ code: "overloaded", isRetryable: true });
    controller.abort();
    expect((await first).finishReason).toBe("abort");
    await busy.dispose();
    expect(engine.models.map((m) => m.modelId)).not.toContain("busy");
  });
});
