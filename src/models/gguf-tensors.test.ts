import { describe, expect, it } from "vitest";
import { sharedModels } from "../../test/helpers/shared-models.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { readTrainableBase } from "./gguf-tensors.js";

describe("a GGUF's weights for training in place", () => {
  it("gives stories260K's shape and where each weight lies", async () => {
    const base = await readTrainableBase(sharedModels.stories);
    expect(base.hparams).toEqual({ nEmbd: 64, nLayer: 5, nHead: 8, nHeadKv: 4, nFf: 172, ropeBase: 10000, rmsEps: expect.closeTo(1e-5, 8) as number, vocab: 512 });
    expect(Object.keys(base.tensors)).toHaveLength(3 + 5 * 9);
    expect(base.tensors["blk.0.attn_k.weight"]).toMatchObject({ shape: [64, 32], type: "F32" });
    // Offsets are from the start of the file, 32-byte aligned, in file order.
    const q = base.tensors["blk.0.attn_q.weight"]!;
    const k = base.tensors["blk.0.attn_k.weight"]!;
    expect(q.offset % 32).toBe(0);
    expect(k.offset - q.offset).toBe(64 * 64 * 4);
  });

  it("refuses quantized weights, saying what to use instead", async () => {
    const quantized = await syntheticModel({ tensorType: "Q8_0", nEmbd: 64, nFf: 128 });
    await expect(readTrainableBase(quantized)).rejects.toMatchObject({ code: "unsupported", message: expect.stringContaining("is quantized") as string, hint: expect.stringContaining("--base-weights") as string });
  });
});
