import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest, Message } from "../protocol/index.js";
import { resultText, userText } from "../protocol/index.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

/** A system prompt long enough to be worth saving (over 32 tokens) and unique to each conversation. */
function system(n: number): Message {
  // A different first letter each: the conversations share only the template's own start.
  return { role: "system", content: `${"ABCDEFGH"[n] ?? "Z"}: you answer questions about the fox and the fence.` };
}

function ask(messages: Message[]): ChatRequest {
  return { messages, temperature: 0, maxOutputTokens: 4 };
}

// Everything asserted here is a token count: which sequence a request lands on and what it held are
// decided before generation starts, so the figures do not depend on timing or scheduling.
describe("prompt reuse across requests and conversations", () => {
  let engine: Engine;
  let single: LocalModel;
  let pooled: LocalModel;
  let cacheDir: string;
  let modelPath: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-cache-"));
    modelPath = await syntheticModel({ seed: 14, ...CHATML });
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    single = await engine.loadModel(modelPath, { id: "single", contextSize: 256, sequences: 1, promptCache: { dir: cacheDir, maxEntries: 64 } });
    pooled = await engine.loadModel(modelPath, { id: "pooled", contextSize: 256, sequences: 2, promptCache: { dir: cacheDir, maxEntries: 64 } });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it("reports the shared prefix of a repeated request as cached: all its tokens but the last, which is evaluated again", async () => {
    const request = ask([system(0), userText("Where?")]);
    const count = await single.countTokens(request);
    const first = await single.doGenerate(request);
    expect(first.usage.inputTokens).toBe(count);
    expect(first.usage.cachedInputTokens).toBe(0);
    const second = await single.doGenerate(request);
    expect(second.usage.inputTokens).toBe(count);
    expect(second.usage.cachedInputTokens).toBe(count - 1);
    expect(second.usage.restoredInputTokens).toBe(0);
    expect(resultText(second)).toBe(resultText(first));
  });

  it("reports the earlier prompt as cached when a conversation continues", async () => {
    const opening = ask([system(1), userText("Where?")]);
    const first = await single.doGenerate(opening);
    const followUp = ask([...opening.messages, { role: "assistant", content: [{ type: "text", text: resultText(first) }] }, userText("Cat?")]);
    const second = await single.doGenerate(followUp);
    // The follow-up's rendering starts with the whole opening prompt; the reply may tokenize apart
    // from how it was sampled, so only the opening is certain to match.
    expect(second.usage.cachedInputTokens).toBeGreaterThanOrEqual(first.usage.inputTokens);
    expect(second.usage.cachedInputTokens).toBeLessThan(second.usage.inputTokens);
  });

  it("gives each of four interleaved conversations on two sequences its own prefix back", async () => {
    const openings = [2, 3, 4, 5].map((n) => ask([system(n), userText("Where?")]));
    const firsts = [];
    const start = pooled.promptStats();
    for (const opening of openings) firsts.push(await pooled.doGenerate(opening));
    // Only the template's "<|im_start|>system\n" is common to them.
    for (const first of firsts) expect(first.usage.cachedInputTokens).toBeLessThan(first.usage.inputTokens / 3);
    // The last two reuse that opening (a sequence another conversation used): true cached tokens, but no hit.
    expect(firsts.slice(2).every((first) => (first.usage.cachedInputTokens ?? 0) > 0)).toBe(true);
    expect(pooled.promptStats().hits - start.hits).toBe(0);
    expect(pooled.promptStats().misses - start.misses).toBe(4);
    // Conversations 2 and 3 were pushed out of both sequences by 4 and 5: their states were saved.
    expect((await readdir(cacheDir, { recursive: true })).filter((f) => f.endsWith(".state")).length).toBeGreaterThanOrEqual(2);
    const before = pooled.promptStats();
    for (const [i, opening] of openings.entries()) {
      const first = firsts[i];
      if (!first) throw new Error("missing first turn");
      const followUp = ask([...opening.messages, { role: "assistant", content: [{ type: "text", text: resultText(first) }] }, userText("Cat?")]);
      const second = await pooled.doGenerate(followUp);
      expect(second.usage.cachedInputTokens, `conversation ${i + 2}`).toBeGreaterThanOrEqual(first.usage.inputTokens);
    }
    const after = pooled.promptStats();
    expect(after.hits - before.hits).toBe(4);
    expect(after.misses - before.misses).toBe(0);
    // At least the two conversations pushed out came back from saved states.
    expect(after.restoredTokens - before.restoredTokens).toBeGreaterThanOrEqual(2 * (firsts[0]?.usage.inputTokens ?? 0) - 4);
  });
});

describe("saved prompt states", () => {
  let engine: Engine;
  let model: LocalModel;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-cache-"));
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    model = await engine.loadModel(await syntheticModel({ seed: 14, ...CHATML }), { contextSize: 256, sequences: 1, promptCache: { dir: cacheDir, maxEntries: 2 } });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  const states = async (): Promise<string[]> => (await readdir(cacheDir, { recursive: true })).filter((f) => f.endsWith(".state"));

  it("keeps at most the configured number, the most recent, and removes them with the model", async () => {
    const openings = [2, 3, 4, 5].map((n) => ask([system(n), userText("Where?")]));
    for (const opening of openings) await model.doGenerate(opening);
    // Three prompts were pushed out of the one sequence; the oldest of them was dropped.
    expect(model.promptStats().savedStates).toBe(2);
    expect(await states()).toHaveLength(2);
    const oldest = await model.doGenerate(openings[0] ?? ask([]));
    expect(oldest.usage.restoredInputTokens).toBe(0);
    const kept = await model.doGenerate(openings[2] ?? ask([]));
    expect(kept.usage.restoredInputTokens).toBeGreaterThan(0);
    await model.dispose();
    expect(await states()).toHaveLength(0);
  });
});

describe("without prompt reuse", () => {
  let engine: Engine;
  let model: LocalModel;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    model = await engine.loadModel(await syntheticModel({ seed: 14, ...CHATML }), { contextSize: 256, sequences: 2, promptCache: { reuse: false } });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("loses the prefixes of conversations whose sequence was taken by another (the comparison the option exists for)", async () => {
    const openings = [2, 3, 4, 5].map((n) => ask([system(n), userText("Where?")]));
    const first = await model.doGenerate(openings[0] ?? ask([]));
    for (const opening of openings.slice(1)) await model.doGenerate(opening);
    const again = await model.doGenerate(openings[0] ?? ask([]));
    // The template's "<|im_start|>system\n" is all that can match.
    expect(again.usage.cachedInputTokens).toBeLessThan(first.usage.inputTokens / 3);
    expect(model.promptStats().restoredTokens).toBe(0);
  });
});
