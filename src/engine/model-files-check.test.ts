import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { checkModelFiles } from "./model-files-check.js";

describe("checkModelFiles on a file checked before", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-files-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // `wren run` checks its model before it starts the backend, and the engine checks it again when
  // it loads it: a real model's header (a 150,000-token vocabulary) takes 0.1-0.2 s of CPU to read.
  it("reads an unchanged file once, and a changed one again", async () => {
    const file = path.join(dir, "model.gguf");
    copyFileSync(await syntheticModel({ seed: 21 }), file);
    const first = await checkModelFiles(file);
    expect(await checkModelFiles(file)).toBe(first);

    // The same path, other content: read again.
    copyFileSync(await syntheticModel({ seed: 22, nLayer: 3 }), file);
    const other = await checkModelFiles(file);
    expect(other).not.toBe(first);
    expect(other.blockCount).toBe(3);

    // Cut short in place: refused, as on a first check.
    writeFileSync(file, readFileSync(file).subarray(0, 4096));
    await expect(checkModelFiles(file)).rejects.toMatchObject({ code: "model_invalid" });
  });
});
