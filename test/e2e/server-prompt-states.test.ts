import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHATML } from "../helpers/gguf-writer.js";
import { syntheticModel } from "../helpers/synthetic-models.js";

/** The scripted model's every answer: one CJK character per token, so a prompt holding it tokenizes alike. */
const PIECES = Array.from({ length: 24 }, (_, i) => String.fromCodePoint(0x4e00 + i));
const ANSWER = PIECES.join("");

/** The value of the one sample of `name` whose labels include every one of `labels`. */
function sample(metrics: string, name: string, labels: string[]): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(" ") + 1));
}

// One sequence, requests awaited one after another: which prompt the sequence holds, which state was
// saved and what is restored are decided before generation, so every count below is exact.
describe("wren serve with saved prompt states (engine.promptCache.entries)", () => {
  let server: RunningServer;
  let engine: Engine;
  let openai: OpenAI;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-states-"));
    engine = await Engine.create({ gpu: "cpu", threads: 1, promptCache: { dir: cacheDir, maxEntries: 8 } });
    server = await startServer({
      models: [{ path: await syntheticModel({ ...CHATML, seed: 5, reply: PIECES }), id: "scripted", contextSize: 256, sequences: 1 }],
      host: "127.0.0.1",
      port: 0,
      engine,
      preload: true,
    });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.dispose();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  const metrics = async (): Promise<string> => (await fetch(`${server.url}/metrics`)).text();
  const states = async (): Promise<string[]> => (await readdir(cacheDir, { recursive: true })).filter((f) => f.endsWith(".state"));
  const ask = (system: string) => ({
    model: "scripted",
    messages: [
      { role: "system" as const, content: system },
      { role: "user" as const, content: "Where?" },
    ],
    temperature: 0,
  });

  it("restores a conversation's prompt from its saved state after another took its sequence: cached_tokens and /metrics count it", async () => {
    const a = ask("Conversation A: you answer questions about the fox, the fence and the river bank.");
    const b = ask("Conversation B: you answer questions about the owl, the barn and the long road home.");
    const first = await openai.chat.completions.create(a);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    await openai.chat.completions.create(b);
    // B took the only sequence: A's prompt was saved before it was overwritten.
    expect(await states()).toHaveLength(1);
    const restoredBefore = sample(await metrics(), "wren_prompt_cache_restored_tokens_total", ['model="scripted"']);
    const again = await openai.chat.completions.create(a);
    const prompt = first.usage?.prompt_tokens ?? 0;
    expect(again.usage?.prompt_tokens).toBe(prompt);
    // All of A's prompt but the last token, which is always evaluated again.
    expect(again.usage?.prompt_tokens_details?.cached_tokens).toBe(prompt - 1);
    expect(again.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    // Restored from the file: all of that but the template's opening, which B's prompt shares and
    // the sequence still held.
    const restored = sample(await metrics(), "wren_prompt_cache_restored_tokens_total", ['model="scripted"']) - (Number.isNaN(restoredBefore) ? 0 : restoredBefore);
    expect(restored).toBeGreaterThan(prompt / 2);
    expect(restored).toBeLessThan(prompt);
  });

  it("/metrics counts the predicted tokens of speculative decoding (prompt lookup, the default), accepted and rejected", async () => {
    const edit = { model: "scripted", messages: [{ role: "user" as const, content: `Copy this out:\n${ANSWER}` }], temperature: 0 };
    const before = await metrics();
    const labels = ['model="scripted"', 'predictor="lookup"'];
    const accepted0 = sample(before, "wren_speculative_tokens_total", [...labels, 'result="accepted"']);
    expect(sample(before, "wren_speculative_tokens_total", [...labels, 'result="rejected"'])).toBeGreaterThanOrEqual(0);
    const reply = await openai.chat.completions.create(edit);
    expect(reply.choices[0]?.message.content).toBe(ANSWER);
    const accepted = sample(await metrics(), "wren_speculative_tokens_total", [...labels, 'result="accepted"']) - accepted0;
    // The answer is in the prompt: after its first two tokens, lookup predicts the rest.
    expect(accepted).toBeGreaterThanOrEqual(PIECES.length / 2);
  });
});
