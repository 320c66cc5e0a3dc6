import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { inspectLoraAdapter } from "./adapter-check.js";

describe("inspectLoraAdapter on what is not an adapter", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-adapter-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  it("says a text file, a binary file, a directory and a missing file are what they are", async () => {
    const text = file("passwd", "root:x:0:0:root:/root:/bin/bash\n".repeat(4));
    await expect(inspectLoraAdapter(text)).rejects.toMatchObject({ code: "model_invalid", message: `${text} is a text file, not a GGUF LoRA adapter.`, hint: expect.stringContaining("convert_lora_to_gguf") });
    const binary = file("blob.bin", Buffer.from([0, 1, 2, 3, 200, 201, 202, 203, ...new Array(40).fill(7)]));
    await expect(inspectLoraAdapter(binary)).rejects.toMatchObject({ message: `${binary} does not start with the GGUF magic bytes, not a GGUF LoRA adapter.` });
    await expect(inspectLoraAdapter(dir)).rejects.toMatchObject({ code: "model_invalid", message: `${dir} is a directory, not a GGUF LoRA adapter.` });
    await expect(inspectLoraAdapter(path.join(dir, "nope.gguf"))).rejects.toMatchObject({ code: "model_not_found" });
  });
});

describe("inspectLoraAdapter on a cut-short adapter", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-adapter-cut-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // node-llama-cpp reads the header of a cut file happily; llama.cpp only finds the tensors missing
  // once the model is loaded ("data is not within the file bounds").
  it.skipIf(!hasSharedModels)("says a real adapter whose tensor data is cut short is truncated", async () => {
    const cut = path.join(dir, "tales.gguf");
    writeFileSync(cut, readFileSync(sharedModels.lora).subarray(0, 10_000));
    const error = await inspectLoraAdapter(cut).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "model_invalid", hint: expect.stringContaining("convert_lora_to_gguf") });
    expect((error as Error).message).toMatch(/ is truncated: it has 10000 bytes but its header needs at least \d+ /);
    expect((error as Error).message.startsWith(`${cut} is truncated`)).toBe(true);
  });
});
