import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ChatMLChatWrapper,
  getLlama,
  LlamaChatSession,
  LlamaCompletion,
  LlamaLogLevel,
  readGgufFileInfo,
  resolveChatWrapper,
  type Llama,
} from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quantizeQ8_0, toHalf } from "./gguf-encode.js";
import { CHATML, CHATML_TEMPLATE, writeSyntheticModel, type TensorType } from "./gguf-writer.js";
import { syntheticModel } from "./synthetic-models.js";

// One thread: the suite runs two files at a time, and two llama.cpp threads on two busy cores spin against each other.
const threads = 1;
let dir: string;
let llama: Llama;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-gguf-writer-"));
  llama = await getLlama({ gpu: false, maxThreads: threads, build: "never", logLevel: LlamaLogLevel.error });
});
afterAll(async () => {
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("number encodings", () => {
  it("converts to IEEE half floats, rounding to nearest even", () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.1)).toBe(0x2e66);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(1e-9)).toBe(0);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
  });

  it("quantises Q8_0 blocks as an fp16 scale and 32 signed bytes", () => {
    const values = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 16);
    const out = Buffer.alloc(34);
    quantizeQ8_0(values, out);
    expect(out.readUInt16LE(0)).toBe(toHalf(1 / 127));
    expect(out.readInt8(2)).toBe(-127);
    expect(out.readInt8(2 + 16)).toBe(0);
    expect(out.readInt8(2 + 31)).toBe(Math.round((15 / 16) * 127));
  });
});

describe("determinism and caching", () => {
  it("writes identical bytes for the same seed, different ones for another", async () => {
    const a = path.join(dir, "a.gguf");
    const b = path.join(dir, "b.gguf");
    const c = path.join(dir, "c.gguf");
    await writeSyntheticModel(a, { seed: 7, tensorType: "Q8_0" });
    await writeSyntheticModel(b, { seed: 7, tensorType: "Q8_0" });
    await writeSyntheticModel(c, { seed: 8, tensorType: "Q8_0" });
    const [bytesA, bytesB, bytesC] = await Promise.all([a, b, c].map((file) => readFile(file)));
    expect(bytesA!.equals(bytesB!)).toBe(true);
    expect(bytesA!.equals(bytesC!)).toBe(false);
    expect(bytesA!.length).toBe(bytesC!.length);
  });

  it("caches generated models by their options", async () => {
    const first = await syntheticModel({ seed: 3 });
    expect(await syntheticModel({ seed: 3 })).toBe(first);
    expect(await syntheticModel({ seed: 4 })).not.toBe(first);
    expect(path.dirname(first).startsWith(os.tmpdir())).toBe(true);
  });

  it("leaves out and overrides metadata keys on request", async () => {
    const file = path.join(dir, "malformed.gguf");
    await writeSyntheticModel(file, {
      omitKeys: ["llama.feed_forward_length"],
      overrideKeys: { "llama.context_length": { type: "u32", value: 99 }, "general.extra": { type: "string", value: "x" } },
    });
    const info = await readGgufFileInfo(file, { logWarnings: false });
    expect(info.architectureMetadata.feed_forward_length).toBeUndefined();
    expect(info.architectureMetadata.context_length).toBe(99);
    expect((info.metadata.general as unknown as Record<string, unknown>)["extra"]).toBe("x");
  });
});

describe("synthetic models run in llama.cpp", () => {
  it.each<TensorType>(["F32", "F16", "Q8_0"])("loads and generates a %s model deterministically", async (tensorType) => {
    const modelPath = await syntheticModel({ tensorType, vocabSize: 600 });
    const model = await llama.loadModel({ modelPath });
    try {
      expect(model.fileInfo.metadata.tokenizer.ggml.tokens).toHaveLength(600);
      await using context = await model.createContext({ contextSize: 128, threads });
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const first = await completion.generateCompletionWithMeta("Hello world", { maxTokens: 8, temperature: 0 });
      expect(first.metadata.stopReason).toBe("maxTokens");
      expect(first.response.length).toBeGreaterThan(0);
      const second = await completion.generateCompletion("Hello world", { maxTokens: 8, temperature: 0 });
      expect(second).toBe(first.response);
    } finally {
      await model.dispose();
    }
  });

  it("tokenizes with the byte-level SPM vocabulary, merges included", async () => {
    const model = await llama.loadModel({ modelPath: await syntheticModel({}) });
    try {
      const tokens = model.tokenize("Hello world");
      expect(tokens).toHaveLength(2); // "▁Hello" and "▁world" are merged pieces
      expect(model.detokenize(tokens).trim()).toBe("Hello world");
      const unicode = "héllo ✓";
      expect(model.detokenize(model.tokenize(unicode)).trim()).toBe(unicode); // byte fallback
    } finally {
      await model.dispose();
    }
  });

  it("carries a chat template that node-llama-cpp reads and uses", async () => {
    const model = await llama.loadModel({ modelPath: await syntheticModel({ ...CHATML }) });
    try {
      expect(model.fileInfo.metadata.tokenizer.chat_template).toBe(CHATML_TEMPLATE);
      expect(resolveChatWrapper(model)).toBeInstanceOf(ChatMLChatWrapper);
      expect(model.tokenize("<|im_end|>", true)).toHaveLength(1);
      await using context = await model.createContext({ contextSize: 256, threads });
      const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: "Be brief." });
      expect(session.chatWrapper).toBeInstanceOf(ChatMLChatWrapper);
      const reply = await session.prompt("Hi", { maxTokens: 4, temperature: 0 });
      expect(typeof reply).toBe("string");
    } finally {
      await model.dispose();
    }
  });
});
