import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHATML, u32 } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";

/**
 * Models llama.cpp refuses though their headers pass wren's checks. The file runs in a process of
 * its own with one engine: llama.cpp's log reaches only the first backend a process makes
 * (node-llama-cpp 3.21's addon drops its logger when another is made), and the reason a load
 * failed is only in that log.
 */

/** A full garbage collection, on demand (`--expose-gc` for a new context only: this process keeps its flags otherwise). */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

/** Whether `work` settles within `ms`. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** embedding_length says 128, the tensors are narrower: llama.cpp refuses the hyperparameters and logs why. */
const badHeader = { "llama.embedding_length": u32(128) };

describe("models llama.cpp cannot load", () => {
  let engine: Engine;
  let good: string;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    good = await syntheticModel({ ...CHATML, seed: 3 });
    await engine.loadModel(good, { id: "good", contextSize: 256 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("says why, in llama.cpp's words, the models loaded before kept", async () => {
    const file = await syntheticModel({ seed: 11, overrideKeys: badHeader });
    await expect(engine.loadModel(file, { contextSize: 256 })).rejects.toMatchObject({
      code: "model_load_failed",
      // node-llama-cpp's own error says only "Failed to load model"; llama.cpp logged the reason.
      message: `llama.cpp could not load ${file}: error loading model hyperparameters: invalid n_rot: 16, expected 32`,
    });
    expect(engine.models.map((m) => m.modelId)).toEqual(["good"]);
  });

  it("says why for a draft model too", async () => {
    const draft = await syntheticModel({ ...CHATML, seed: 5, nLayer: 1, overrideKeys: badHeader });
    await expect(engine.loadModel(good, { id: "bad-draft", contextSize: 256, draft })).rejects.toMatchObject({
      code: "model_load_failed",
      message: expect.stringMatching(/^llama\.cpp could not load the draft model .*: error loading model hyperparameters: invalid n_rot/) as unknown,
    });
    expect(engine.models.map((m) => m.modelId)).toEqual(["good"]);
  });

  it("still stops, however long after the failures it is stopped", async () => {
    // node-llama-cpp holds the backend for a model that failed to load until that model is
    // disposed; once it has been collected, nothing can, and stopping the backend waited forever.
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await settlesWithin(engine.dispose(), 15_000)).toBe(true);
  });
});
