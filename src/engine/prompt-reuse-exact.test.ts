import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, type ChatRequest, type GenerateResult } from "../protocol/index.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

/** Greedy, so an answer depends only on the KV state the prompt is evaluated into. */
const greedy = (rawPrompt: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [], rawPrompt, temperature: 0, seed: 1, maxOutputTokens: 12, ...extra });

/** Openings that differ from their first word, so conversations share only the BOS token. */
const OPENINGS = [
  "Once upon a time there was a little girl named Lily. She loved to play with her ball in the garden",
  "One day a big brown dog ran to the park. The dog was very happy and wanted to find a friend to play",
  "Tom and Sue went to the beach with their mom. They saw a big red boat on the water and",
  "There was a small bird who lived in a tall tree. Every morning the bird sang a song for the sun and",
  "Ben had a new toy car. He liked to race it on the floor of his room, and one day",
];
const TURNS = [" Then she said,", " After that they", " The end. The next day"];

// The tiny TinyStories model has real weights: a state restored for the wrong tokens, model or
// adapter changes its greedy text. Every answer is checked against the same request evaluated on a
// context of its own, from an empty KV cache.
describe.runIf(hasSharedModels)("prompt reuse gives exactly the answers of a fresh evaluation", () => {
  let engine: Engine;
  let reused: LocalModel;
  let fresh: LocalModel;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-exact-"));
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    // Two sequences for five conversations: prompts are pushed out, saved and restored.
    reused = await engine.loadModel(sharedModels.stories, { id: "reused", contextSize: 256, sequences: 2, promptCache: { dir: cacheDir, maxEntries: 3 } });
    // Requests for a context size other than the default get a context of their own, dropped when idle.
    fresh = await engine.loadModel(sharedModels.stories, { id: "fresh", contextSize: 512, sequences: 1, promptCache: { reuse: false } });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  const reference = async (prompt: string): Promise<GenerateResult> => {
    const result = await fresh.doGenerate(greedy(prompt, { contextLength: 256 }));
    expect(result.usage.cachedInputTokens).toBe(0);
    return result;
  };

  it("answers each turn of five interleaved conversations on two sequences as a fresh context does", async () => {
    const prompts = [...OPENINGS];
    let restored = 0;
    for (const turn of [...TURNS, ""]) {
      for (const [i, prompt] of prompts.entries()) {
        const got = await reused.doGenerate(greedy(prompt));
        const want = await reference(prompt);
        expect(resultText(got), `conversation ${i}, prompt ${JSON.stringify(prompt.slice(-40))}`).toBe(resultText(want));
        expect(got.usage.inputTokens).toBe(want.usage.inputTokens);
        expect(got.usage.cachedInputTokens).toBeLessThan(got.usage.inputTokens);
        restored += got.usage.restoredInputTokens ?? 0;
        prompts[i] = prompt + resultText(got) + turn;
      }
    }
    // Both paths were taken: prefixes kept in a sequence and prefixes restored from saved states.
    expect(restored).toBeGreaterThan(0);
    const stats = reused.promptStats();
    expect(stats.cachedTokens).toBeGreaterThan(stats.restoredTokens);
  });

  it("answers five conversations sent at once, two at a time, as a fresh context does", async () => {
    const prompts = OPENINGS.map((o) => `${o} and then`);
    for (const turn of TURNS) {
      const got = await Promise.all(prompts.map((p) => reused.doGenerate(greedy(p))));
      for (const [i, prompt] of prompts.entries()) {
        const text = resultText(got[i]!);
        expect(text, `conversation ${i}`).toBe(resultText(await reference(prompt)));
        prompts[i] = prompt + text + turn;
      }
    }
  });

  it("leaves a sequence exact for the next request when a request is cancelled while its prompt state is saved or restored", async () => {
    const prompts = OPENINGS.map((o) => `${o}. One sunny morning`);
    for (const prompt of prompts) await reused.doGenerate(greedy(prompt));
    // Each conversation again, cancelled at a different moment: before it is admitted, while its
    // sequence's state is saved or a saved one is restored, or while its prompt is evaluated.
    for (const [i, prompt] of prompts.entries()) {
      const controller = new AbortController();
      const stream = reused.doGenerate(greedy(`${prompt} the`), { signal: controller.signal });
      for (let turn = 0; turn < i * 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      await stream.catch(() => undefined);
    }
    for (const prompt of prompts) {
      const got = await reused.doGenerate(greedy(`${prompt} the`));
      expect(resultText(got)).toBe(resultText(await reference(`${prompt} the`)));
      expect(got.usage.cachedInputTokens).toBeLessThan(got.usage.inputTokens);
    }
  });

  it("reports as cached what was reused, and never more: the BOS token of a new prompt, all but one token of a repeated one", async () => {
    const prompt = "A cat sat on a mat and looked at the moon. It was round and bright, and the cat";
    const cold = await reused.doGenerate(greedy(prompt));
    // Every sequence already holds some prompt: only its beginning-of-sequence token is shared.
    expect(cold.usage.cachedInputTokens).toBe(1);
    const again = await reused.doGenerate(greedy(prompt));
    expect(again.usage.cachedInputTokens).toBe(again.usage.inputTokens - 1);
    expect(resultText(again)).toBe(resultText(cold));
    // A request that shares only part of it: that part, no more.
    const partial = prompt.slice(0, prompt.indexOf(" It was")) + " The dog barked at the cat, and the cat";
    const shared = await reused.doGenerate(greedy(partial));
    const head = await reused.countTokens(greedy(prompt.slice(0, prompt.indexOf(" It was"))));
    expect(shared.usage.cachedInputTokens).toBeGreaterThan(0);
    expect(shared.usage.cachedInputTokens).toBeLessThanOrEqual(head);
    expect(resultText(shared)).toBe(resultText(await reference(partial)));
  });

  it("counts a completion prompt too long for the context as the tokens evaluated, and what of them was reused", async () => {
    // Past nine tenths of the context, node-llama-cpp evaluates the BOS token and the prompt's latest tokens.
    const words = Array.from({ length: 300 }, (_, i) => (OPENINGS[i % OPENINGS.length] ?? "").split(" ")[i % 12] ?? "the").join(" ");
    const short = "Lily and the dog played in the park all day long, and when the sun went down they";
    await reused.doGenerate(greedy(short));
    const long = `${short} ${words}`;
    const want = await reference(long);
    expect(want.usage.inputTokens).toBeLessThanOrEqual(256 - 25);
    expect(want.usage.inputTruncated).toBe(true);
    // The whole answer fits beside the tokens kept (the count of all of them left room for one).
    expect(want.usage.outputTokens).toBe(12);
    const first = await reused.doGenerate(greedy(long));
    expect(resultText(first)).toBe(resultText(want));
    expect(first.usage.inputTokens).toBe(want.usage.inputTokens);
    // Its start, which the sequence holding `short` shares, is not what is evaluated.
    expect(first.usage.cachedInputTokens).toBeLessThanOrEqual(1);
    const second = await reused.doGenerate(greedy(long));
    expect(resultText(second)).toBe(resultText(want));
    expect(second.usage.cachedInputTokens).toBe(second.usage.inputTokens - 1);
    // A client's small context (llama.cpp makes it 256 tokens): the prompt is cut to the size asked
    // for, and the answer has the tenth left, not the one token that counting the whole prompt left.
    const small = await fresh.doGenerate(greedy(long, { contextLength: 64 }));
    expect(small.usage).toMatchObject({ inputTokens: 64 - 6, inputTruncated: true, outputTokens: 6 });
  });
});

describe.runIf(hasSharedModels)("prompt reuse never crosses models or adapters", () => {
  let engine: Engine;
  let base: LocalModel;
  let other: LocalModel;
  let fresh: LocalModel;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-exact-"));
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    base = await engine.loadModel(sharedModels.stories, { id: "base", contextSize: 256, sequences: 1, promptCache: { dir: cacheDir, maxEntries: 8 } });
    // The same file with an adapter applied to every request: the same tokens, other KV values.
    other = await engine.loadModel(sharedModels.stories, { id: "other", contextSize: 256, sequences: 1, lora: [{ path: sharedModels.lora, scale: 1 }], promptCache: { dir: cacheDir, maxEntries: 8 } });
    fresh = await engine.loadModel(sharedModels.stories, { id: "fresh", contextSize: 512, sequences: 1, promptCache: { reuse: false } });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  const adapter = (scale: number) => ({ name: `lora@${scale}`, path: sharedModels.lora, scale });

  it("answers a prompt evaluated with one adapter (or none) as a fresh context does with another", async () => {
    const [prompt] = OPENINGS as [string];
    const plain = resultText(await fresh.doGenerate(greedy(prompt, { contextLength: 256 })));
    const adapted = resultText(await fresh.withAdapter(adapter(1)).doGenerate(greedy(prompt, { contextLength: 256 })));
    const half = resultText(await fresh.withAdapter(adapter(0.5)).doGenerate(greedy(prompt, { contextLength: 256 })));
    expect(adapted).not.toBe(plain);
    // Base first, then the adapter at two scales, then base again: each on whatever the others left.
    expect(resultText(await base.doGenerate(greedy(prompt)))).toBe(plain);
    expect(resultText(await base.withAdapter(adapter(1)).doGenerate(greedy(prompt)))).toBe(adapted);
    expect(resultText(await base.withAdapter(adapter(0.5)).doGenerate(greedy(prompt)))).toBe(half);
    expect(resultText(await base.withAdapter(adapter(1)).doGenerate(greedy(prompt)))).toBe(adapted);
    expect(resultText(await base.doGenerate(greedy(prompt)))).toBe(plain);
    // A model loaded with the adapter: its prompts are saved beside the base model's in one folder.
    expect(resultText(await other.doGenerate(greedy(prompt)))).toBe(adapted);
    for (const opening of OPENINGS.slice(1)) await other.doGenerate(greedy(opening));
    for (const opening of OPENINGS.slice(1)) await base.doGenerate(greedy(opening));
    expect(resultText(await other.doGenerate(greedy(prompt)))).toBe(adapted);
    expect(resultText(await base.doGenerate(greedy(prompt)))).toBe(plain);
    // A client's own context size gets a context of its own: nothing saved from the default one is loaded into it.
    const own = await base.doGenerate(greedy(prompt, { contextLength: 128 }));
    expect(own.usage).toMatchObject({ cachedInputTokens: 0, restoredInputTokens: 0 });
    expect(resultText(own)).toBe(resultText(await fresh.doGenerate(greedy(prompt, { contextLength: 128 }))));
  });
});
