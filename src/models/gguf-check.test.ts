import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { CHATML, str, u32, type SyntheticModelOptions } from "../../test/helpers/gguf-writer.js";
import { hasSharedModels, projectRoot, sharedModels } from "../../test/helpers/shared-models.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
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

describe("inspectGgufFile on synthetic models", () => {
  it("summarises a valid model as written", async () => {
    const summary = await inspectGgufFile(
      await syntheticModel({ tensorType: "Q8_0", nEmbd: 64, nLayer: 3, nHead: 4, nHeadKv: 1, nFf: 96, contextLength: 333, vocabSize: 700, ...CHATML }),
    );
    expect(summary).toMatchObject({
      architecture: "llama",
      name: "wren-synthetic",
      fileType: "Q8_0",
      blockCount: 3,
      embeddingLength: 64,
      headCount: 4,
      headCountKv: 1,
      feedForwardLength: 96,
      contextLength: 333,
      vocabSize: 700,
      tensorCount: 3 + 3 * 9,
      chatTemplate: CHATML.chatTemplate,
    });
  });

  const requiredKeys = [
    "general.architecture",
    "llama.context_length",
    "llama.embedding_length",
    "llama.block_count",
    "llama.feed_forward_length",
    "llama.attention.head_count",
    "llama.attention.layer_norm_rms_epsilon",
    "tokenizer.ggml.model",
    "tokenizer.ggml.tokens",
  ];
  it.each(requiredKeys)("refuses a model without %s, naming the key", async (key) => {
    const error = await refusal(await syntheticModel({ omitKeys: [key] }));
    expect(error.code).toBe("model_invalid");
    expect(error.message).toContain(`lacks the metadata key \`${key}\``);
  });

  it.each<[string, SyntheticModelOptions["overrideKeys"]]>([
    ["a zero head count", { "llama.attention.head_count": u32(0) }],
    ["a zero feed-forward width", { "llama.feed_forward_length": u32(0) }],
    ["a head count that is text", { "llama.attention.head_count": str("four") }],
  ])("refuses %s", async (_, overrideKeys) => {
    const error = await refusal(await syntheticModel({ ...(overrideKeys ? { overrideKeys } : {}) }));
    expect(error.code).toBe("model_invalid");
    expect(error.message).toContain("has an impossible value for");
  });
});

/** Runs test/helpers/load-after-check.ts in a child process: check the header, then load. */
function loadInChild(model: string, ...flags: string[]): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const script = path.join(projectRoot, "test", "helpers", "load-after-check.ts");
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", script, model, ...flags], { cwd: projectRoot }, (error, stdout) => {
      const failure = error as (Error & { code?: number | string; signal?: string | null }) | null;
      resolve({
        code: failure ? (typeof failure.code === "number" ? failure.code : null) : 0,
        signal: failure?.signal ?? null,
        stdout,
      });
    });
  });
}

describe("the check runs before llama.cpp could abort the process", () => {
  // Five processes each start llama.cpp at once: on a busy 2-core machine that took past the
  // default minute. A bound, not a timing assertion.
  it("refuses files that would kill the process, which exits normally; good files still load", { timeout: 240_000 }, async () => {
    const noFeedForward = await syntheticModel({ omitKeys: ["llama.feed_forward_length"] });
    const noHeads = await syntheticModel({ omitKeys: ["llama.attention.head_count"] });
    const zeroHeads = await syntheticModel({ overrideKeys: { "llama.attention.head_count": u32(0) } });
    const good = await syntheticModel({});
    const [loaded, unchecked, ...checked] = await Promise.all([
      loadInChild(good),
      // What llama.cpp does on its own: abort (SIGABRT, exit status 134 in a shell).
      loadInChild(noFeedForward, "--no-check"),
      loadInChild(noFeedForward),
      loadInChild(noHeads),
      loadInChild(zeroHeads),
    ]);
    expect(unchecked.code === 134 || unchecked.signal === "SIGABRT").toBe(true);
    for (const run of checked) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^refused model_invalid: .*\n$/);
    }
    expect(checked[0].stdout).toContain("llama.feed_forward_length");
    expect(checked[1].stdout).toContain("llama.attention.head_count");
    expect(loaded).toMatchObject({ code: 0, stdout: "loaded\n" });
  });
});
