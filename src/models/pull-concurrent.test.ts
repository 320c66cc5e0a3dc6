import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { readManifest } from "./manifest.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

/** Pulls of one model at once, in one process (a server's `/api/pull` from two clients): one download, one good file. */
describe("two pulls of the same model at once", () => {
  const content = randomBytes(400_000);
  const other = randomBytes(300_000);
  let hub: FakeHub;
  let modelsDir: string;

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { "wren-test/twice-GGUF": { files: [{ path: "twice-Q8_0.gguf", content }, { path: "twice-Q4_K_M.gguf", content: other }] } } });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-twice-"));
    hub.requests.length = 0;
    hub.resetFaults();
  });

  it("by the same name and by two names of one file: the second waits, both end with the one good file, downloaded once", async () => {
    hub.faults.chunkSize = 16_384;
    hub.faults.delayMsPerChunk = 5;
    const env = { HF_ENDPOINT: hub.url };
    const [a, b, c] = await Promise.all([
      pullModel("hf:wren-test/twice-GGUF:Q8_0", { modelsDir, env }),
      pullModel("hf:wren-test/twice-GGUF:Q8_0", { modelsDir, env }),
      pullModel("hf:wren-test/twice-GGUF/twice-Q8_0.gguf", { modelsDir, env }),
    ]);
    expect(new Set([a.path, b.path, c.path]).size).toBe(1);
    expect(readFileSync(a.path).equals(content)).toBe(true);
    expect(hub.downloads("twice-Q8_0.gguf").length).toBe(1);
    expect([a, b, c].filter((r) => r.downloaded).length).toBe(1);
    const entries = (await readManifest(modelsDir)).models;
    expect(entries.map((e) => e.file)).toEqual(["hf/wren-test/twice-GGUF/twice-Q8_0.gguf"]);
    const dir = path.join(modelsDir, "hf/wren-test/twice-GGUF");
    expect(readdirSync(dir)).toEqual(["twice-Q8_0.gguf"]);
  });

  it("a model resolved for loading while it is being pulled waits for the pull and gets the whole file", async () => {
    hub.faults.chunkSize = 16_384;
    hub.faults.delayMsPerChunk = 5;
    const env = { HF_ENDPOINT: hub.url };
    const pulling = pullModel("hf:wren-test/twice-GGUF:Q4_K_M", { modelsDir, env });
    const loading = resolveModelRef("hf:wren-test/twice-GGUF:Q4_K_M", { modelsDir, env });
    const [pulled, resolved] = await Promise.all([pulling, loading]);
    expect(resolved.path).toBe(pulled.path);
    expect(readFileSync(resolved.path).equals(other)).toBe(true);
    expect(hub.downloads("twice-Q4_K_M.gguf").length).toBe(1);
  });
});
