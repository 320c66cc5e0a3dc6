import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { inspectGgufFile } from "./gguf-check.js";
import { estimateMemory } from "./gguf-info.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-gguf-check-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the check and returns the WrenError it throws. */
async function refusal(file: string): Promise<WrenError> {
  const error: unknown = await inspectGgufFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  const wren = error as WrenError;
  expect(wren.toLine()).not.toContain("\n");
  expect(wren.hint).toBeTruthy();
  return wren;
}

describe("inspectGgufFile: files that are not models", () => {
  it("reports a missing file as model_not_found", async () => {
    const error = await refusal(path.join(dir, "nope.gguf"));
    expect(error.code).toBe("model_not_found");
    expect(error.message).toContain("nope.gguf");
  });

  it("refuses a directory", async () => {
    const error = await refusal(dir);
    expect(error.code).toBe("model_invalid");
    expect(error.message).toContain("is a directory");
  });

  it("refuses a text file named .gguf", async () => {
    const file = path.join(dir, "notes.gguf");
    await writeFile(file, "this is not a model\n");
    const error = await refusal(file);
    expect(error.code).toBe("model_invalid");
    expect(error.message).toContain("is a text file");
  });

  it("recognises a Git LFS pointer", async () => {
    const file = path.join(dir, "lfs.gguf");
    await writeFile(file, "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n");
    const error = await refusal(file);
    expect(error.message).toContain("Git LFS pointer");
    expect(error.hint).toContain("git lfs pull");
  });

  it("refuses an empty file", async () => {
    const file = path.join(dir, "empty.gguf");
    await writeFile(file, "");
    const error = await refusal(file);
    expect(error.message).toContain("is empty");
  });
});

describe.runIf(hasSharedModels)("inspectGgufFile on stories260K.gguf", () => {
  it("summarises the real header", async () => {
    const summary = await inspectGgufFile(sharedModels.stories);
    expect(summary).toMatchObject({
      architecture: "llama",
      blockCount: 5,
      embeddingLength: 64,
      contextLength: 2048,
      headCount: 8,
      headCountKv: 4,
      feedForwardLength: 172,
      fileType: "F32",
      tensorCount: 48,
      vocabSize: 512,
      fileSize: 1185376,
      chatTemplate: undefined,
      tokenizerModel: "llama",
    });
    expect(summary.parameterCount).toBeGreaterThan(250_000);
    expect(summary.parameterCount).toBeLessThan(300_000);
    expect(summary.metadata["llama.attention.head_count_kv"]).toBe(4);
    expect(summary.metadata["tokenizer.ggml.tokens"]).toBe("[array of 512 items]");
  });

  it("reads the chat template of the ChatML model", async () => {
    const summary = await inspectGgufFile(sharedModels.chat);
    expect(summary.chatTemplate).toContain("<|im_start|>");
  });

  it("refuses a truncated copy, at any cut", async () => {
    const bytes = await readFile(sharedModels.stories);
    // Inside the magic+header, inside the metadata, inside the tensor data, one byte short.
    for (const cut of [10, 5000, 600_000, bytes.length - 1]) {
      const file = path.join(dir, `cut-${cut}.gguf`);
      await writeFile(file, bytes.subarray(0, cut));
      const error = await refusal(file);
      expect(error.code).toBe("model_invalid");
      expect(error.message).toContain("is truncated");
    }
  });

  it("estimates weights plus KV cache", async () => {
    const summary = await inspectGgufFile(sharedModels.stories);
    const small = estimateMemory(summary, 256);
    const large = estimateMemory(summary, 2048);
    expect(small.weightsBytes).toBe(summary.tensorDataBytes);
    // 5 layers × 4 KV heads × (8 + 8) dims × 2 bytes per token.
    expect(large.kvCacheBytes).toBe(5 * 4 * 16 * 2 * 2048);
    expect(large.totalBytes).toBeGreaterThan(small.totalBytes);
  });
});
