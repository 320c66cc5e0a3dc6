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

  it("is the model's one queue: its sequences at once, then FIFO up to maxQueued, then 429 naming the model", async () => {
    const busy = new SequencePool(model, { contextSize: 128, sequences: 1, threads: 1, maxQueued: 2, modelId: "stories" });
    try {
      const first = await busy.acquire(undefined);
      const order: string[] = [];
      const second = busy.acquire(undefined).then((lease) => (order.push("second"), lease));
      const third = busy.acquire(undefined).then((lease) => (order.push("third"), lease));
      await expect.poll(() => busy.stats()).toEqual({ active: 1, queued: 2, capacity: 1 });
      await expect(busy.acquire(undefined)).rejects.toMatchObject({ code: "overloaded", status: 429, retryAfter: 1, message: expect.stringMatching(/^Model 'stories' is busy/) });
      first.release();
      const secondLease = await second;
      expect(order).toEqual(["second"]);
      expect(secondLease.waitedMs).toBeGreaterThanOrEqual(0);
      secondLease.release();
      (await third).release();
      expect(order).toEqual(["second", "third"]);
      expect(busy.stats()).toEqual({ active: 0, queued: 0, capacity: 1 });
      // A request with a context size of its own takes a place in the same line.
      const own = await busy.acquire(64);
      const after = busy.acquire(undefined);
      await expect.poll(() => busy.stats()).toEqual({ active: 1, queued: 1, capacity: 1 });
      own.release();
      (await after).release();
      expect(busy.stats()).toEqual({ active: 0, queued: 0, capacity: 1 });
    } finally {
      await busy.dispose();
    }
  });

  it("refuses those waiting when the model unloads, and frees their places", async () => {
    const busy = new SequencePool(model, { contextSize: 128, sequences: 1, threads: 1, maxQueued: 4, modelId: "stories" });
    const held = await busy.acquire(undefined);
    const waiting = busy.acquire(undefined).catch((error: unknown) => error);
    await expect.poll(() => busy.stats().queued).toBe(1);
    await busy.dispose();
    expect(await waiting).toMatchObject({ code: "not_ready" });
    held.release();
    await expect(busy.acquire(undefined)).rejects.toMatchObject({ code: "not_ready" });
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
