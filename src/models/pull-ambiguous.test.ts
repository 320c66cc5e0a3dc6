import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { writeSyntheticModel } from "../../test/helpers/gguf-writer.js";
import { putEntry, readManifest } from "./manifest.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

const REPO = "wren-test/three-GGUF";
const COMMIT = "c".repeat(40);
const QUANTS = ["Q8_0", "Q4_K_M", "F16"] as const;

/**
 * `hf:org/repo` (no quantisation) when the store holds two quantisations of the repository: wren
 * never answers with whichever the store lists first. Resolving it (run, serve --model, models
 * info) is refused with the full reference of each; a pull asks the Hub which it would pick.
 */
describe("a bare Hub reference naming two stored quantisations", () => {
  let sources: string;
  let hub: FakeHub;
  let modelsDir: string;
  const env = (): Record<string, string> => ({ HF_ENDPOINT: hub.url });
  const sourceOf = (quant: string): string => path.join(sources, `three-${quant}.gguf`);

  /** Puts the file of `quant` in the store, as a pull of it at the Hub's commit would have. */
  async function store(quant: string): Promise<string> {
    const file = `hf/${REPO}/three-${quant}.gguf`;
    mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
    copyFileSync(sourceOf(quant), path.join(modelsDir, file));
    await putEntry(modelsDir, {
      ref: `hf:${REPO}:${quant}`, file, parts: [], size: statSync(sourceOf(quant)).size, sha256: hub.sha256(REPO, `three-${quant}.gguf`), partSha256: [],
      revision: COMMIT, source: "hf", repo: REPO, repoFile: `three-${quant}.gguf`, quant, added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    return path.join(modelsDir, file);
  }

  beforeAll(async () => {
    sources = mkdtempSync(path.join(os.tmpdir(), "wren-ambiguous-src-"));
    for (const [seed, quant] of QUANTS.entries()) await writeSyntheticModel(sourceOf(quant), { seed });
    hub = await startFakeHub({ repos: { [REPO]: { commit: COMMIT, files: QUANTS.map((q) => ({ path: `three-${q}.gguf`, content: readFileSync(sourceOf(q)) })) } } });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(sources, { recursive: true, force: true });
  });
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-ambiguous-"));
    hub.requests.length = 0;
  });
  afterEach(() => {
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it("resolving it is refused, naming the reference of each, online or offline, and nothing is marked used", async () => {
    await store("Q8_0");
    await store("Q4_K_M");
    for (const offline of [false, true]) {
      const error = await resolveModelRef(`hf:${REPO}`, { modelsDir, env: env(), offline }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrenError);
      expect(error).toMatchObject({ code: "bad_request", message: `hf:${REPO} names 2 models in wren's store: hf:${REPO}:Q8_0, hf:${REPO}:Q4_K_M.` });
      expect((error as WrenError).hint).toBe(`Name the one to use by its full reference: hf:${REPO}:Q8_0 or hf:${REPO}:Q4_K_M.`);
    }
    expect(hub.requests).toEqual([]);
    expect((await readManifest(modelsDir)).models.map((m) => m.lastUsed)).toEqual([null, null]);
  });

  it("a quantisation names one, and with one stored the bare reference resolves to it", async () => {
    const q8 = await store("Q8_0");
    expect(await resolveModelRef(`hf:${REPO}`, { modelsDir, env: env(), offline: true })).toMatchObject({ path: q8, ref: `hf:${REPO}:Q8_0`, source: "store" });
    const q4 = await store("Q4_K_M");
    expect(await resolveModelRef(`hf:${REPO}:Q4_K_M`, { modelsDir, env: env(), offline: true })).toMatchObject({ path: q4, source: "store" });
    expect(await resolveModelRef(`hf:${REPO}:q8_0`, { modelsDir, env: env(), offline: true })).toMatchObject({ path: q8, source: "store" });
  });

  it("a pull takes the quantisation the Hub picks (Q4_K_M), already stored, not the store's first", async () => {
    await store("Q8_0");
    const q4 = await store("Q4_K_M");
    const pulled = await pullModel(`hf:${REPO}`, { modelsDir, env: env() });
    expect(pulled).toMatchObject({ path: q4, downloaded: false, entry: { ref: `hf:${REPO}:Q4_K_M` } });
    expect(hub.downloads(`three-Q4_K_M.gguf`)).toEqual([]);
  });

  it("a pull downloads the Hub's pick when the two stored are others", async () => {
    await store("Q8_0");
    await store("F16");
    const pulled = await pullModel(`hf:${REPO}`, { modelsDir, env: env() });
    expect(pulled).toMatchObject({ downloaded: true, entry: { ref: `hf:${REPO}:Q4_K_M`, quant: "Q4_K_M", repoFile: "three-Q4_K_M.gguf" } });
    expect(readFileSync(pulled.path)).toEqual(readFileSync(sourceOf("Q4_K_M")));
    expect((await readManifest(modelsDir)).models.map((m) => m.quant)).toEqual(["Q8_0", "F16", "Q4_K_M"]);
    // Recorded by the quantisation wren took: the refusal names each stored model by its own reference.
    const error = await resolveModelRef(`hf:${REPO}`, { modelsDir, env: env(), offline: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "bad_request", message: `hf:${REPO} names 3 models in wren's store: hf:${REPO}:Q8_0, hf:${REPO}:F16, hf:${REPO}:Q4_K_M.` });
  });

  it("pull --update checks the Hub's pick against its own stored revision, not the store's first", async () => {
    await store("Q8_0");
    const q4 = await store("Q4_K_M");
    const statuses: string[] = [];
    const pulled = await pullModel(`hf:${REPO}`, { modelsDir, env: env(), update: true, onStatus: (s) => statuses.push(s) });
    expect(pulled).toMatchObject({ path: q4, downloaded: false, entry: { ref: `hf:${REPO}:Q4_K_M` } });
    expect(statuses).toEqual([`hf:${REPO}:Q4_K_M is already at the newest revision (${COMMIT.slice(0, 12)}).`]);
  });
});
