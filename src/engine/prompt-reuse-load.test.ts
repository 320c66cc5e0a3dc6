import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest, Message } from "../protocol/index.js";
import { userText } from "../protocol/index.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

/** A small deterministic generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// What must hold whatever the scheduling: with saved prompt states, prefix routing, speculative
// decoding (the defaults) and cancellations, a model under concurrent load answers every request.
// Twelve conversations on four sequences with room for six saved states, so states are saved,
// evicted and restored while other sequences decode; prompts span two batches of 512 tokens. Two
// bugs failed this before they were fixed: a saved state holding a speculative step's unused cells
// ("Eval has failed" for every later batch with that sequence), and the batch loop losing a long
// prompt's first logits when it handed its lock over ("The context size is too small").
describe("prompt reuse under concurrent load", () => {
  let engine: Engine;
  let model: LocalModel;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-cache-"));
    engine = await Engine.create({ gpu: "cpu", threads: 1, speculative: "auto" });
    const file = await syntheticModel({ seed: 14, ...CHATML, contextLength: 4096 });
    model = await engine.loadModel(file, { contextSize: 1024, sequences: 4, maxQueued: 64, promptCache: { dir: cacheDir, maxEntries: 6 } });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it("answers every request of interleaved conversations, some cancelled, with states saved and restored", async () => {
    const rnd = random(7);
    const conversations: Message[][] = Array.from({ length: 12 }, (_, n) => [
      { role: "system", content: `${n} ${"the fox jumps over the fence and ".repeat(4 + (n % 5))}` },
    ]);
    const failures: string[] = [];
    let answered = 0;
    const client = async (): Promise<void> => {
      for (let k = 0; k < 40; k++) {
        const conversation = conversations[Math.floor(rnd() * conversations.length)] ?? [];
        conversation.push(userText(`q${k} ${"more words here ".repeat(Math.floor(rnd() * 3))}`));
        if (conversation.length > 8) conversation.splice(1, 2);
        const request: ChatRequest = { messages: [...conversation], temperature: 0, maxOutputTokens: 40 };
        const controller = new AbortController();
        if (rnd() < 0.3) setTimeout(() => controller.abort(), Math.floor(rnd() * 6));
        let text = "";
        let error: { code?: string; message: string } | undefined;
        try {
          for await (const part of model.doStream(request, { signal: controller.signal })) {
            if (part.type === "text-delta") text += part.delta;
            if (part.type === "error") error = part.error;
          }
        } catch (thrown) {
          error = thrown as { code?: string; message: string };
        }
        if (!error) {
          conversation.push({ role: "assistant", content: [{ type: "text", text }] });
          answered++;
          continue;
        }
        conversation.pop();
        // A request cancelled before it was answered may end with the abort's own error.
        if (!controller.signal.aborted || error.code !== "aborted") failures.push(error.message);
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    const stats = model.promptStats();
    // The workload did what it is for: states were restored while other sequences decoded.
    expect(stats.restoredTokens).toBeGreaterThan(0);
    expect(stats.savedStates).toBeGreaterThan(0);
  });
});
