import { rmSync } from "node:fs";
import { mkdtempSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { manifestPath, readManifest } from "./manifest.js";
import { pullModel } from "./pull.js";

/**
 * A model whose file is in the store but not in its index (manifest.json deleted or replaced, as
 * its own error message once suggested): pulling it again checks the file against the Hub's SHA-256
 * and keeps it, instead of downloading gigabytes that are already there.
 */
describe("pulling a model whose file is already in the store but not in its index", () => {
  let hub: FakeHub;
  const content = randomBytes(300_000);

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { "wren-test/kept-GGUF": { files: [{ path: "kept-Q8_0.gguf", content }] } } });
  });
  afterAll(async () => hub.close());

  it("adopts the file once its SHA-256 matches, with no download", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-"));
    const env = { HF_ENDPOINT: hub.url };
    const first = await pullModel("hf:wren-test/kept-GGUF:Q8_0", { modelsDir, env });
    rmSync(manifestPath(modelsDir));
    hub.requests.length = 0;
    const again = await pullModel("hf:wren-test/kept-GGUF:Q8_0", { modelsDir, env });
    expect(again.path).toBe(first.path);
    expect(readFileSync(again.path).equals(content)).toBe(true);
    expect(hub.downloads("kept-Q8_0.gguf")).toHaveLength(0);
    expect((await readManifest(modelsDir)).models.map((m) => m.sha256)).toEqual([first.entry.sha256]);
  });
});
