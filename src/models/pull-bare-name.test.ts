import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { writeSyntheticModel } from "../../test/helpers/gguf-writer.js";
import { listModels } from "./listing.js";
import { manifestPath, readManifest, type ManifestEntry } from "./manifest.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

const REPO = "wren-test/bare-GGUF";
const SAME_QUANT = "wren-test/twins-GGUF";
const UNNAMED = "wren-test/plain-GGUF";
const COMMIT = "c".repeat(40);
const OLD = "a".repeat(40);
const QUANTS = ["Q8_0", "Q4_K_M"] as const;

/**
 * A model pulled as `hf:org/repo` (wren picks the quantisation) is recorded, and listed, under the
 * reference that names it alone: `hf:org/repo:Q4_K_M`, or its file where the quantisation does not
 * tell the repository's files apart. The listed name then keeps working once another quantisation
 * of the repository is pulled; stores an older wren wrote with bare names read the same way.
 */
describe("the name a bare Hub pull is stored under", () => {
  let sources: string;
  let hub: FakeHub;
  let modelsDir: string;
  const env = (): Record<string, string> => ({ HF_ENDPOINT: hub.url });
  const sourceOf = (name: string): string => path.join(sources, name);
  const listed = async (): Promise<string[]> => (await listModels({ modelsDir, env: {}, remote: false })).models.map((m) => m.name);

  /** Writes the manifest as an older wren left it: `hf:org/repo` for a model pulled so. */
  function oldStore(entries: Array<{ ref: string; quant: string; revision?: string }>): void {
    const models: ManifestEntry[] = entries.map(({ ref, quant, revision }) => {
      const repoFile = `bare-${quant}.gguf`;
      const file = `hf/${REPO}/${repoFile}`;
      mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
      copyFileSync(sourceOf(repoFile), path.join(modelsDir, file));
      return {
        ref, file, parts: [], size: statSync(sourceOf(repoFile)).size, sha256: null, partSha256: [], revision: revision ?? COMMIT,
        source: "hf", repo: REPO, repoFile, quant, added: "2026-01-01T00:00:00.000Z", lastUsed: null,
      };
    });
    writeFileSync(manifestPath(modelsDir), `${JSON.stringify({ version: 1, models }, null, 2)}\n`);
  }

  beforeAll(async () => {
    sources = mkdtempSync(path.join(os.tmpdir(), "wren-bare-name-src-"));
    const names = [...QUANTS.map((q) => `bare-${q}.gguf`), "a-Q4_K_M.gguf", "b-Q4_K_M.gguf", "plain.gguf"];
    for (const [seed, name] of names.entries()) await writeSyntheticModel(sourceOf(name), { seed });
    const served = (files: string[]) => files.map((name) => ({ path: name, content: readFileSync(sourceOf(name)) }));
    hub = await startFakeHub({
      repos: {
        [REPO]: { commit: COMMIT, files: served(QUANTS.map((q) => `bare-${q}.gguf`)) },
        [SAME_QUANT]: { commit: COMMIT, files: served(["a-Q4_K_M.gguf", "b-Q4_K_M.gguf"]) },
        [UNNAMED]: { commit: COMMIT, files: served(["plain.gguf"]) },
      },
    });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(sources, { recursive: true, force: true });
  });
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-bare-name-"));
    hub.requests.length = 0;
  });
  afterEach(() => {
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it("hf:org/repo is recorded by the quantisation wren picked, and the listed names resolve once a second is pulled", async () => {
    const bare = await pullModel(`hf:${REPO}`, { modelsDir, env: env() });
    expect(bare).toMatchObject({ downloaded: true, entry: { ref: `hf:${REPO}:Q4_K_M`, quant: "Q4_K_M" } });
    await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env: env() });
    expect(await listed()).toEqual([`hf:${REPO}:Q4_K_M`, `hf:${REPO}:Q8_0`]);
    const models = (await listModels({ modelsDir, env: {}, remote: false })).models;
    for (const model of models) {
      expect(await resolveModelRef(model.name, { modelsDir, env: env(), offline: true })).toMatchObject({ path: model.path, ref: model.name, source: "store" });
    }
  });

  it("by its file where the quantisation does not tell the repository's files apart, or names none", async () => {
    const twin = await pullModel(`hf:${SAME_QUANT}`, { modelsDir, env: env() });
    expect(twin.entry).toMatchObject({ ref: `hf:${SAME_QUANT}/a-Q4_K_M.gguf`, repoFile: "a-Q4_K_M.gguf" });
    const plain = await pullModel(`hf:${UNNAMED}`, { modelsDir, env: env() });
    expect(plain.entry).toMatchObject({ ref: `hf:${UNNAMED}/plain.gguf`, repoFile: "plain.gguf" });
    expect(await listed()).toEqual([`hf:${SAME_QUANT}/a-Q4_K_M.gguf`, `hf:${UNNAMED}/plain.gguf`]);
    expect(await resolveModelRef(`hf:${SAME_QUANT}/a-Q4_K_M.gguf`, { modelsDir, env: env(), offline: true })).toMatchObject({ path: twin.path, source: "store" });
  });

  it("a store an older wren wrote with a bare name lists the full reference; one stored still answers the bare name", async () => {
    oldStore([{ ref: `hf:${REPO}`, quant: "Q4_K_M" }]);
    expect(await listed()).toEqual([`hf:${REPO}:Q4_K_M`]);
    const q4 = path.join(modelsDir, "hf", REPO, "bare-Q4_K_M.gguf");
    for (const name of [`hf:${REPO}`, `hf:${REPO}:Q4_K_M`]) {
      expect(await resolveModelRef(name, { modelsDir, env: env(), offline: true })).toMatchObject({ path: q4, ref: `hf:${REPO}:Q4_K_M`, source: "store" });
    }
    // A pull of another quantisation keeps it.
    await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env: env() });
    expect(await listed()).toEqual([`hf:${REPO}:Q4_K_M`, `hf:${REPO}:Q8_0`]);
    expect((await readManifest(modelsDir)).models.map((m) => m.ref)).toEqual([`hf:${REPO}:Q4_K_M`, `hf:${REPO}:Q8_0`]);
  });

  it("an older bare name whose quantisation another stored model has is listed by its file", async () => {
    oldStore([{ ref: `hf:${REPO}`, quant: "Q8_0" }, { ref: `hf:${REPO}:Q8_0`, quant: "Q8_0" }]);
    const manifest = JSON.parse(readFileSync(manifestPath(modelsDir), "utf8")) as { models: ManifestEntry[] };
    // The second is another file of that quantisation (a repository that renamed its file since).
    const other = manifest.models[1];
    if (!other) throw new Error("no second entry");
    other.file = `hf/${REPO}/renamed-Q8_0.gguf`;
    other.repoFile = "renamed-Q8_0.gguf";
    copyFileSync(sourceOf("bare-Q8_0.gguf"), path.join(modelsDir, other.file));
    writeFileSync(manifestPath(modelsDir), JSON.stringify(manifest));
    expect(await listed()).toEqual([`hf:${REPO}/bare-Q8_0.gguf`, `hf:${REPO}:Q8_0`]);
    expect(await resolveModelRef(`hf:${REPO}/bare-Q8_0.gguf`, { modelsDir, env: env(), offline: true })).toMatchObject({ path: path.join(modelsDir, "hf", REPO, "bare-Q8_0.gguf") });
  });

  it("pull --update hf:org/repo with one other quantisation stored updates that one, not the Hub's pick beside it", async () => {
    const q8 = path.join(modelsDir, "hf", REPO, "bare-Q8_0.gguf");
    oldStore([{ ref: `hf:${REPO}:Q8_0`, quant: "Q8_0", revision: OLD }]);
    writeFileSync(q8, "an older revision");
    const pulled = await pullModel(`hf:${REPO}`, { modelsDir, env: env(), update: true });
    expect(pulled).toMatchObject({ path: q8, downloaded: true, entry: { ref: `hf:${REPO}:Q8_0`, revision: COMMIT } });
    expect(readFileSync(q8)).toEqual(readFileSync(sourceOf("bare-Q8_0.gguf")));
    expect(hub.requests.filter((r) => r.path.includes("bare-Q4_K_M"))).toEqual([]);
    expect((await readManifest(modelsDir)).models.map((m) => m.ref)).toEqual([`hf:${REPO}:Q8_0`]);

    const statuses: string[] = [];
    const again = await pullModel(`hf:${REPO}`, { modelsDir, env: env(), update: true, onStatus: (s) => statuses.push(s) });
    expect(again).toMatchObject({ path: q8, downloaded: false });
    expect(statuses).toEqual([`hf:${REPO}:Q8_0 is already at the newest revision (${COMMIT.slice(0, 12)}).`]);
  });
});
