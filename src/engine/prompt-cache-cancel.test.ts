import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { SequencePool } from "./sequence-pool.js";

describe("a request cancelled while its sequence is being prepared", () => {
  let llama: Llama;
  let model: LlamaModel;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-cache-cancel-"));
    llama = await getLlama({ gpu: false, maxThreads: 1 });
    model = await llama.loadModel({ modelPath: await syntheticModel({ seed: 21 }), gpuLayers: 0 });
  });
  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const prompt = (letter: string): Token[] => model.tokenize(`${letter} `.repeat(48)).slice(0, 48);
  const states = async (): Promise<number> => (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".state")).length;

  it("neither saves what the sequence holds nor restores a state: it fails as cancelled, the sequence as it was", async () => {
    const pool = new SequencePool(model, {
      contextSize: 256,
      sequences: 1,
      threads: 1,
      maxQueued: 4,
      promptCache: { dir, maxBytes: 1024 ** 3, maxEntries: 64 },
    });
    try {
      const [a, b] = [prompt("a"), prompt("b")];
      const use = async (tokens: Token[]): Promise<void> => {
        const lease = await pool.acquire(undefined, undefined, tokens);
        // As a generation does: what the sequence holds past the shared prefix goes, the rest is evaluated.
        const held = lease.sequence.contextTokens;
        let shared = 0;
        while (shared < held.length && held[shared] === tokens[shared]) shared++;
        await lease.sequence.eraseContextTokenRanges([{ start: shared, end: held.length }]);
        await lease.sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(shared));
        lease.release();
      };
      await use(a);
      // `b` evicts `a`, whose state is saved.
      await use(b);
      expect(pool.promptStats()).toMatchObject({ savedStates: 1, restoredTokens: 0 });
      expect(await states()).toBe(1);

      // Asking for `a` again would save `b` and restore `a`; the client goes away once the request
      // has its sequence, before either is done.
      const controller = new AbortController();
      const ticket = await pool.admit(controller.signal);
      const taking = ticket.take(undefined, controller.signal, a);
      controller.abort();
      await expect(taking).rejects.toMatchObject({ code: "aborted" });
      expect(pool.promptStats()).toMatchObject({ savedStates: 1, restoredTokens: 0 });
      expect(await states()).toBe(1);

      // The sequence still holds `b`, and its place in the pool was given back.
      const lease = await pool.acquire(undefined, undefined, b);
      expect(lease.reuse).toEqual({ cachedTokens: b.length - 1, restoredTokens: 0 });
      expect(lease.sequence.contextTokens).toEqual(b);
      lease.release();
      expect(pool.stats()).toMatchObject({ active: 0, queued: 0 });
    } finally {
      await pool.dispose();
    }
  });
});
