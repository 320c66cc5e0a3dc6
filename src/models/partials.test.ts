import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { putEntry } from "./manifest.js";
import { partialDownloads, removePartials } from "./partials.js";

const FOLDER = "hf/wren-test/split-GGUF";
const part = (quant: string, n: number): string => `${FOLDER}/big-${quant}-0000${n}-of-00003.gguf`;

describe("the leftovers of interrupted pulls of split models", () => {
  let modelsDir: string;
  const write = (file: string, size: number): void => {
    mkdirSync(path.dirname(path.join(modelsDir, file)), { recursive: true });
    writeFileSync(path.join(modelsDir, file), Buffer.alloc(size));
  };
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-partials-"));
  });
  afterEach(() => {
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it("a pull stopped between parts (part 1 complete, no .partial yet) is listed and removed", async () => {
    write(part("Q4_K_M", 1), 5000);
    expect(await partialDownloads(modelsDir)).toEqual([
      { file: part("Q4_K_M", 1), size: 5000, ref: `hf:wren-test/split-GGUF/big-Q4_K_M-00001-of-00003.gguf`, files: [part("Q4_K_M", 1)], parts: { complete: 1, count: 3 } },
    ]);
    expect((await removePartials(modelsDir, "hf:wren-test/split-GGUF:Q4_K_M")).map((p) => p.files)).toEqual([[part("Q4_K_M", 1)]]);
    expect(readdirSync(path.join(modelsDir, FOLDER))).toEqual([]);
  });

  it("the parts of a stored model, and its update's .partial, are not leftovers", async () => {
    write(part("Q8_0", 1), 100);
    write(part("Q8_0", 2), 100);
    write(`${part("Q8_0", 3)}.partial`, 50);
    await putEntry(modelsDir, {
      ref: "hf:wren-test/split-GGUF:Q8_0", file: part("Q8_0", 1), parts: [part("Q8_0", 2), part("Q8_0", 3)], size: 300, sha256: null, partSha256: [],
      revision: null, source: "hf", repo: "wren-test/split-GGUF", repoFile: "big-Q8_0-00001-of-00003.gguf", quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    expect(await partialDownloads(modelsDir)).toEqual([]);
    expect(await removePartials(modelsDir, "hf:wren-test/split-GGUF/big-Q8_0-00002-of-00003.gguf")).toEqual([]);
    expect(readdirSync(path.join(modelsDir, FOLDER)).sort()).toHaveLength(3);
  });
});
