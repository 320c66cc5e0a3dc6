import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { GGUF_CORRUPTIONS, writeCorruptGguf, writeTruncatedGguf, type GgufCorruption } from "../../test/helpers/gguf-corrupt.js";
import { writeGguf } from "../../test/helpers/gguf-format.js";
import { str, u32 } from "../../test/helpers/gguf-writer.js";
import { hasSharedModels, projectRoot, sharedModels } from "../../test/helpers/shared-models.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { inspectGgufFile } from "./gguf-check.js";
import { checkGgufHeader } from "./gguf-header-check.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-gguf-bounds-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(file: string, named = file): Promise<WrenError> {
  const error: unknown = await inspectGgufFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  const wren = error as WrenError;
  expect(wren.code).toBe("model_invalid");
  expect(wren.toLine()).not.toContain("\n");
  expect(wren.message).toContain(named);
  expect(wren.hint).toBeTruthy();
  return wren;
}

const expected: Record<GgufCorruption, RegExp> = {
  "over-long key": /is not a valid GGUF file: the key of metadata entry 1 of 19 \(at byte 24\) is 3000000000 bytes long; GGUF allows at most 65535\.$/,
  "huge string": /is not a valid GGUF file: metadata `general\.architecture` declares a string of 1099511627776 bytes \(the limit is 268435456\)\.$/,
  "string past the end": /is truncated or damaged: metadata `general\.architecture` declares a string of 100000000 bytes at byte \d+, but only \d+ bytes of the file remain\.$/,
  "huge array": /is not a valid GGUF file: metadata `tokenizer\.ggml\.tokens` declares an array of 1099511627776 items \(the limit is 16777216\)\.$/,
  "array past the end": /is truncated or damaged: metadata `tokenizer\.ggml\.tokens` declares an array of 10000000 string items \(at least 80000000 bytes\)/,
  "unknown value type": /is not a valid GGUF file: metadata `general\.architecture` has value type 13, which is not a GGUF type \(0 to 12\)\.$/,
  "unknown array item type": /metadata `tokenizer\.ggml\.tokens` is an array of value type 99, which is not a GGUF type/,
  "array of arrays": /metadata `tokenizer\.ggml\.tokens` is an array of arrays, which llama\.cpp cannot read\.$/,
  "tensor count beyond the file": /is truncated or damaged: its header declares 1000000 tensors and 19 metadata entries, which need at least 24000247 bytes, but the whole file has \d+\.$/,
  "over-long tensor name": /the name of tensor 1 of 21 is 4294967301 bytes long; llama\.cpp allows at most 63\.$/,
  "too many dimensions": /tensor `token_embd\.weight` has 1000 dimensions; llama\.cpp allows at most 4\.$/,
  "version 4": /has GGUF version 4, which wren cannot read\.$/,
  "a big-endian version": /has a big-endian GGUF, which wren cannot read\.$/,
};

describe("checkGgufHeader: every length and count is bounded before anything else reads the file", () => {
  it("walks a valid header to its end", async () => {
    const file = await syntheticModel({});
    const bytes = await readFile(file);
    const facts = await checkGgufHeader(file, bytes.length);
    expect(facts).toMatchObject({ version: 3, tensorCount: 21, metadataCount: 19 });
    // Tensor data starts at the next 32-byte boundary after the descriptions.
    expect(facts.headerEnd).toBeGreaterThan(bytes.indexOf("blk.1.ffn_down.weight"));
    expect(Math.ceil(facts.headerEnd / 32) * 32).toBeLessThan(bytes.length);
  });

  it.each(Object.keys(GGUF_CORRUPTIONS) as GgufCorruption[])("refuses a header with %s, in one line", async (corruption) => {
    const file = await writeCorruptGguf(path.join(dir, `${corruption.replace(/\W+/g, "-")}.gguf`), corruption);
    const error = await refusal(file);
    expect(error.message).toMatch(expected[corruption]);
  });

  it("refuses a file cut short inside its metadata", async () => {
    const file = await writeTruncatedGguf(path.join(dir, "cut.gguf"));
    const error = await refusal(file);
    expect(error.message).toMatch(/is truncated: its header goes on past the end of the file, at byte \d+ \(an interrupted download\?\)\.$/);
  });

  it.each([
    ["an alignment that is not a power of two", { "general.alignment": u32(24) }, /`general\.alignment` is 24; it must be a power of two/],
    ["an alignment that is text", { "general.alignment": str("32") }, /`general\.alignment` has value type string; GGUF requires u32/],
  ] as const)("refuses %s", async (_, overrideKeys, message) => {
    const error = await refusal(await syntheticModel({ overrideKeys }));
    expect(error.message).toMatch(message);
  });

  it("refuses a key that appears twice", async () => {
    const file = path.join(dir, "duplicate.gguf");
    await writeGguf(file, [["general.architecture", str("llama")], ["general.name", str("a")], ["general.architecture", str("llama")]], []);
    const error = await refusal(file);
    expect(error.message).toMatch(/metadata key `general\.architecture` appears twice\.$/);
  });

  it.runIf(hasSharedModels)("checks every part of a split model before it is read", async () => {
    const first = path.join(dir, "split-00001-of-00002.gguf");
    await copyFile(sharedModels.stories, first);
    const missing = await refusal(first, path.join(dir, "split-00002-of-00002.gguf"));
    expect(missing.message).toContain("A part of the split model is missing");
    expect(missing.message).toContain("split-00002-of-00002.gguf");
    await writeCorruptGguf(path.join(dir, "split-00002-of-00002.gguf"), "over-long key");
    const corrupt = await refusal(first, path.join(dir, "split-00002-of-00002.gguf"));
    expect(corrupt.message).toContain("split-00002-of-00002.gguf is not a valid GGUF file: the key of metadata entry 1");
  });
});

/** Runs test/helpers/load-after-check.ts in a child process: check the header, then load. */
function loadInChild(model: string): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const script = path.join(projectRoot, "test", "helpers", "load-after-check.ts");
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", script, model], { cwd: projectRoot }, (error, stdout) => {
      const failure = error as (Error & { code?: number | string; signal?: string | null }) | null;
      resolve({ code: failure ? (typeof failure.code === "number" ? failure.code : null) : 0, signal: failure?.signal ?? null, stdout });
    });
  });
}

describe("a corrupt header never takes the process down", () => {
  it("refuses the over-long key, huge lengths and counts in a process that then exits normally", async () => {
    const corruptions: GgufCorruption[] = ["over-long key", "huge string", "huge array", "tensor count beyond the file", "over-long tensor name"];
    const files = await Promise.all(corruptions.map((c) => writeCorruptGguf(path.join(dir, `child-${c.replace(/\W+/g, "-")}.gguf`), c)));
    const runs = await Promise.all(files.map((file) => loadInChild(file)));
    for (const [i, run] of runs.entries()) {
      expect({ corruption: corruptions[i], code: run.code, signal: run.signal }).toEqual({ corruption: corruptions[i], code: 0, signal: null });
      expect(run.stdout).toMatch(/^refused model_invalid: .*\n$/);
    }
  });
});
