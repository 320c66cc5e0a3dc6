import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { u32 } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";

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

describe("an engine that a model failed to load in", () => {
  it("still stops, however long after the failure it is stopped", async () => {
    // embedding_length says 128, the tensors are narrower: the header passes wren's checks, llama.cpp refuses the model.
    const bad = await syntheticModel({ seed: 11, overrideKeys: { "llama.embedding_length": u32(128) } });
    const engine = await Engine.create({ gpu: "cpu", threads: 1 });
    await expect(engine.loadModel(bad, { contextSize: 256 })).rejects.toMatchObject({ code: "model_load_failed" });
    // node-llama-cpp holds the backend for the model that failed to load until that model is
    // disposed; once it has been collected, nothing can, and stopping the backend waited forever.
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await settlesWithin(engine.dispose(), 15_000)).toBe(true);
  });
});
