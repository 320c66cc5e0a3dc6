import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectStream, resultText, userText, type StreamPart } from "../protocol/index.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

async function all(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe.runIf(hasSharedModels)("engine on the real TinyStories model", () => {
  let engine: Engine;
  let stories: LocalModel;
  let chat: LocalModel;

  beforeAll(async () => {
    // One thread: the tiny models gain nothing from more, and a shared CI core stays free.
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    stories = await engine.loadModel(sharedModels.stories, { contextSize: 512, sequences: 2 });
    chat = await engine.loadModel(sharedModels.chat, { contextSize: 512 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("reports the CPU backend when asked for cpu, with no layers offloaded", () => {
    expect(engine.backend.requested).toBe("cpu");
    expect(engine.backend.used).toBe("cpu");
    expect(stories.info.gpuLayers).toBe(0);
    expect(engine.backend.threads).toBeGreaterThan(0);
  });

  it("continues a story greedily, keeping leading spaces in streamed text", async () => {
    const parts = await all(stories.doStream({ messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 20 }));
    expect(parts[0]).toEqual({ type: "stream-start", provider: "local", modelId: "stories260K" });
    const deltas = parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : []));
    const text = deltas.join("");
    expect(text).toMatch(/^, there was a little girl named Lily/);
    expect(deltas.slice(1).some((d) => d.startsWith(" "))).toBe(true);
    const finish = parts.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type !== "finish") return;
    expect(finish.finishReason).toBe("length");
    expect(finish.usage.outputTokens).toBe(20);
    expect(finish.usage.inputTokens).toBeGreaterThan(3);
    expect(finish.timings?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it("gives the same text for the same seed and different text for another", async () => {
    const req = { messages: [], rawPrompt: "Once upon a time", temperature: 1, maxOutputTokens: 30 };
    const a = resultText(await stories.doGenerate({ ...req, seed: 42 }));
    const b = resultText(await stories.doGenerate({ ...req, seed: 42 }));
    const c = resultText(await stories.doGenerate({ ...req, seed: 7 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("ends before a stop sequence and leaves it out", async () => {
    const result = await stories.doGenerate({ messages: [], rawPrompt: "Once upon a time", temperature: 0, stopSequences: ["Lily"], maxOutputTokens: 50 });
    expect(resultText(result)).toMatch(/^, there was a little girl named ?$/);
    expect(result.finishReason).toBe("stop");
    expect(result.stopSequence).toBe("Lily");
  });

  it("constrains output to a JSON schema", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" } },
      required: ["name", "age"],
    };
    const result = await stories.doGenerate({
      messages: [],
      rawPrompt: "Once upon a time",
      temperature: 0,
      maxOutputTokens: 60,
      responseFormat: { type: "json", schema },
    });
    const value = JSON.parse(resultText(result)) as { name: unknown; age: unknown };
    expect(typeof value.name).toBe("string");
    expect(Number.isInteger(value.age)).toBe(true);
  });

  it("answers a chat with the model's own template", async () => {
    const result = await chat.doGenerate({ messages: [userText("Hi there")], temperature: 0 });
    expect(resultText(result)).toBe(CHAT_MODEL_REPLY);
    expect(result.finishReason).toBe("stop");
    expect(chat.info.hasChatTemplate).toBe(true);
    expect(chat.info.chatFormat).toMatch(/ChatML|Jinja/i);
    expect(await chat.countTokens({ messages: [userText("Hi there")] })).toBe(result.usage.inputTokens);
  });

  it("counts every token of an answer cut by max tokens, whitespace a JSON grammar held back included", async () => {
    // Under the JSON grammar this model writes "{" and then tabs, which node-llama-cpp holds and drops.
    for (const maxOutputTokens of [5, 20]) {
      const result = await chat.doGenerate({ messages: [userText("hi")], responseFormat: { type: "json" }, maxOutputTokens, temperature: 0 });
      expect(result.finishReason).toBe("length");
      expect(result.usage.outputTokens).toBe(maxOutputTokens);
    }
  });

  it("forces a tool call whose arguments match the tool's schema", async () => {
    const result = await chat.doGenerate({
      messages: [userText("What is the weather in Paris?")],
      tools: [
        {
          name: "get_weather",
          inputSchema: {
            type: "object",
            properties: { city: { type: "string", enum: ["Paris", "London"] }, unit: { enum: ["C", "F"] } },
            required: ["city", "unit"],
          },
        },
      ],
      toolChoice: { type: "tool", toolName: "get_weather" },
      maxOutputTokens: 80,
    });
    expect(result.finishReason).toBe("tool-calls");
    const call = result.content.find((p) => p.type === "tool-call");
    expect(call?.type === "tool-call" && call.toolName).toBe("get_weather");
    const input = (call as { input: { city: unknown; unit: unknown } }).input;
    expect(["Paris", "London"]).toContain(input.city);
    expect(["C", "F"]).toContain(input.unit);
  });

  it("stops within 100 ms of an abort and stays usable", async () => {
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    let abortedAt = 0;
    for await (const part of stories.doStream({ messages: [], rawPrompt: "Once upon a time", temperature: 1, seed: 1 }, { signal: controller.signal })) {
      parts.push(part);
      if (part.type === "text-delta" && abortedAt === 0 && parts.length > 5) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const elapsed = performance.now() - abortedAt;
    expect(elapsed).toBeLessThan(100);
    const finish = parts.at(-1);
    expect(finish).toMatchObject({ type: "finish", finishReason: "abort" });
    expect(stories.stats().active).toBe(0);
    const next = await stories.doGenerate({ messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 5 });
    expect(next.usage.outputTokens).toBe(5);
  });

  it("frees the sequence when the consumer stops reading", async () => {
    for await (const part of stories.doStream({ messages: [], rawPrompt: "Once", temperature: 0 })) {
      if (part.type === "text-delta") break;
    }
    expect(stories.stats().active).toBe(0);
  });

  it("decodes two requests at once on two sequences, and queues a third", async () => {
    const req = { messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 40 };
    const runs = [stories.doGenerate(req), stories.doGenerate(req), stories.doGenerate(req)];
    await new Promise((r) => setTimeout(r, 1));
    const seen = stories.stats();
    expect(seen.capacity).toBe(2);
    const results = await Promise.all(runs);
    expect(new Set(results.map(resultText)).size).toBe(1);
    expect(stories.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it("embeds text into vectors of the model's width", async () => {
    const result = await stories.doEmbed(["a cat", "a dog"]);
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toHaveLength(64);
    expect(result.embeddings[0]).not.toEqual(result.embeddings[1]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it("serves a request that asks for its own context size", async () => {
    const result = await stories.doGenerate({ messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 5, contextLength: 128 });
    expect(result.usage.outputTokens).toBe(5);
    const tooLong = await stories.doGenerate({ messages: [], rawPrompt: "Once upon a time ".repeat(40), temperature: 0, maxOutputTokens: 2, contextLength: 32 });
    expect(tooLong.usage.inputTruncated).toBe(true);
  });

  it("rejects bad sampling values with an error part naming the field", async () => {
    await expect(collectStream(stories.doStream({ messages: [], rawPrompt: "x", temperature: -1 }))).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringMatching(/temperature/),
    });
  });
});
