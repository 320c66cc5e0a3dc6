import { getLlama, type Llama, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { SequencePool } from "./sequence-pool.js";

describe.runIf(hasSharedModels)("sequence pool on the real TinyStories model", () => {
  let llama: Llama;
  let model: LlamaModel;
  let pool: SequencePool;

  beforeAll(async () => {
    llama = await getLlama({ gpu: false });
    model = await llama.loadModel({ modelPath: sharedModels.stories, gpuLayers: 0 });
    pool = new SequencePool(model, { contextSize: 256, sequences: 2, threads: 1, maxQueued: 8 });
    await pool.warm();
  });
  afterAll(async () => {
    await pool?.dispose();
    await model?.dispose();
    await llama?.dispose();
  });

  it("frees a context of a client-chosen size once its last request is done, keeping the default", async () => {
    expect(pool.contextCount).toBe(1);
    const lease = await pool.acquire(128);
    expect(lease.contextSize).toBe(128);
    expect(pool.contextCount).toBe(2);
    lease.release();
    await expect.poll(() => pool.contextCount).toBe(1);
    // Sizes a client makes up one after another never pile up contexts.
    for (const size of [64, 96, 160]) {
      const each = await pool.acquire(size);
      expect(pool.contextCount).toBe(2);
      each.release();
    }
    await expect.poll(() => pool.contextCount).toBe(1);
    const normal = await pool.acquire(undefined);
    expect(normal.contextSize).toBe(256);
    normal.release();
    expect(pool.contextCount).toBe(1);
  });

  it("gives a request whose size was freed while it waited a live context, never the freed one", async () => {
    const first = await pool.acquire(128);
    const second = pool.acquire(128);
    first.release();
    const lease = await second;
    expect(lease.contextSize).toBe(128);
    expect(pool.contextCount).toBe(2);
    lease.release();
    await expect.poll(() => pool.contextCount).toBe(1);
  });
});
