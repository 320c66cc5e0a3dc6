import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedModels } from "../../../test/helpers/shared-models.js";
import { adapterMismatch, inspectLoraAdapter } from "../../models/adapter-check.js";
import { readSafetensors, writeLoraGguf } from "./lora-gguf.js";

/** A safetensors file as the trainers write it: 8-byte header length, JSON header, F32 data. */
async function writeSafetensors(file: string, tensors: Record<string, { shape: number[]; fill: (i: number) => number }>, metadata: Record<string, string>): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const blobs: Buffer[] = [];
  let offset = 0;
  for (const [name, { shape, fill }] of Object.entries(tensors)) {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = Buffer.from(Float32Array.from({ length: count }, (_, i) => fill(i)).buffer);
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.length] };
    offset += data.length;
    blobs.push(data);
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  await writeFile(file, Buffer.concat([length, json, ...blobs]));
}

describe("trained LoRA tensors to a GGUF LoRA adapter", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-lora-gguf-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes llama.cpp's layout (ggml [in, r] and [r, out], alpha, base name) that fits stories260K", async () => {
    const tensors: Record<string, { shape: number[]; fill: (i: number) => number }> = {};
    for (let layer = 0; layer < 5; layer++) {
      tensors[`blk.${layer}.attn_q.weight.lora_a`] = { shape: [4, 64], fill: (i) => i / 1000 };
      tensors[`blk.${layer}.attn_q.weight.lora_b`] = { shape: [64, 4], fill: (i) => -i / 1000 };
      tensors[`blk.${layer}.attn_v.weight.lora_a`] = { shape: [4, 64], fill: (i) => i / 500 };
      tensors[`blk.${layer}.attn_v.weight.lora_b`] = { shape: [32, 4], fill: (i) => i / 250 };
    }
    const source = path.join(dir, "adapter.safetensors");
    await writeSafetensors(source, tensors, { alpha: "8", rank: "4" });
    const read = await readSafetensors(source);
    expect(read.metadata).toEqual({ alpha: "8", rank: "4" });
    expect(read.tensors.get("blk.0.attn_v.weight.lora_b")?.data[5]).toBeCloseTo(5 / 250, 6);

    const out = path.join(dir, "adapter.gguf");
    await writeLoraGguf(out, read.tensors, { alpha: 8, name: "pets", baseName: "stories260K" });
    const info = await inspectLoraAdapter(out);
    expect(info).toMatchObject({ architecture: "llama", alpha: 8, baseName: "stories260K" });
    expect(info.tensors.get("blk.3.attn_q.weight.lora_a")).toEqual([64, 4]);
    expect(info.tensors.get("blk.3.attn_v.weight.lora_b")).toEqual([4, 32]);
    expect(await adapterMismatch(info, sharedModels.stories)).toBeUndefined();
  });

  it("refuses tensors it cannot name in an adapter, and a file that is not safetensors", async () => {
    const source = path.join(dir, "odd.safetensors");
    await writeSafetensors(source, { "model.layers.0.q_proj.lora_A.weight": { shape: [4, 64], fill: () => 0 } }, {});
    const read = await readSafetensors(source);
    await expect(writeLoraGguf(path.join(dir, "odd.gguf"), read.tensors, { alpha: 8, name: "x", baseName: "y" })).rejects.toThrow(/model\.layers\.0\.q_proj\.lora_A\.weight/);
    const junk = path.join(dir, "junk.safetensors");
    await writeFile(junk, "not a tensor file at all");
    await expect(readSafetensors(junk)).rejects.toThrow(/unreadable/);
  });
});
