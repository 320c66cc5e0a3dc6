import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { u32 } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { SequencePool, type SequenceLease } from "./sequence-pool.js";

describe("saved states of a model whose KV cache cannot be cut (sliding-window attention, recurrent)", () => {
  let llama: Llama;
  let model: LlamaModel;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-cache-swa-"));
    llama = await getLlama({ gpu: false, maxThreads: 1 });
    // Declares a 16-token sliding window: node-llama-cpp then cannot erase a restored state's tail
    // without evaluating the whole prompt again (llama.cpp itself ignores the key for this
    // architecture, so the model still runs).
    model = await llama.loadModel({ modelPath: await syntheticModel({ seed: 21, overrideKeys: { "llama.attention.sliding_window": u32(16) } }), gpuLayers: 0 });
  });
  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("are restored only where the whole state is a prefix of the prompt, never to be cut back", async () => {
    expect(model.fileInsights.swaSize).toBe(16);
    const pool = new SequencePool(model, {
      contextSize: 256,
      sequences: 1,
      threads: 1,
      maxQueued: 4,
      promptCache: { dir, maxBytes: 1024 ** 3, maxEntries: 64 },
    });
    try {
      const words = (letter: string, n: number): Token[] => model.tokenize(`${letter} `.repeat(n)).slice(0, n);
      const a = words("a", 48);
      const [x, y, z] = [words("x", 16), words("y", 16), words("z", 16)];
      const use = async (tokens: Token[]): Promise<SequenceLease> => {
        const lease = await pool.acquire(undefined, undefined, tokens);
        const held = lease.sequence.contextTokens;
        let shared = 0;
        while (shared < held.length && held[shared] === tokens[shared]) shared++;
        await lease.sequence.eraseContextTokenRanges([{ start: shared, end: held.length }]);
        await lease.sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(shared));
        lease.release();
        return lease;
      };
      const other = words("b", 48);
      await use([...a, ...x]);
      await use(other);
      // Shares 48 of the saved state's 64 tokens: restored, its last 16 would have to go.
      expect((await use([...a, ...y])).reuse.restoredTokens).toBe(0);
      await use(other);
      // The whole saved state starts the prompt: restored, nothing to cut.
      expect((await use([...a, ...x, ...z])).reuse.restoredTokens).toBeGreaterThan(0);
    } finally {
      await pool.dispose();
    }
  });
});
