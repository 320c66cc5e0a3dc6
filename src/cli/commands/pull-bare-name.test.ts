import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, watchCli } from "../../../test/helpers/cli.js";
import { startFakeHub, type FakeHub } from "../../../test/helpers/fake-hub.js";
import { syntheticModel } from "../../../test/helpers/synthetic-models.js";
import { manifestPath, type ManifestEntry } from "../../models/manifest.js";

const REPO = "wren-test/picked-GGUF";
const BARE = `hf:${REPO}`;
const FRESH_REPO = "wren-test/picking-GGUF";
const QUANTS = ["Q8_0", "Q4_K_M"] as const;

/** Waits, without a deadline of its own (the test's timeout is the bound), until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(50);
}

/**
 * `wren pull hf:org/repo` lets wren pick the quantisation; the model is stored and listed under the
 * one it picked (`hf:org/repo:Q4_K_M`), so the name `wren models list` shows runs, and `wren run`
 * and `wren models rm` agree on what `hf:org/repo` names once a second quantisation is pulled.
 */
describe("the name a model pulled as hf:org/repo is listed under", () => {
  let hub: FakeHub;
  let sources: Record<string, string>;
  const homes: string[] = [];

  /** A wren home whose Ollama and LM Studio folders are empty and whose Hub is the fake one. */
  function home(): { env: Record<string, string>; modelsDir: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-bare-pull-"));
    homes.push(dir);
    return { env: { WREN_HOME: dir, HOME: dir, HF_ENDPOINT: hub.url, OLLAMA_HOST: "http://127.0.0.1:9" }, modelsDir: path.join(dir, "models") };
  }
  const storedNames = async (env: Record<string, string>): Promise<string[]> => {
    const listed = await runCli(["models", "list", "--json"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as { models: Array<{ name: string; source: string }> }).models.filter((m) => m.source === "store").map((m) => m.name);
  };

  beforeAll(async () => {
    sources = {};
    for (const [seed, quant] of QUANTS.entries()) sources[quant] = await syntheticModel({ seed, name: `picked-${quant}` });
    const files = QUANTS.map((q) => ({ path: `picked-${q}.gguf`, content: readFileSync(sources[q] ?? "") }));
    hub = await startFakeHub({ repos: { [REPO]: { files }, [FRESH_REPO]: { files: files.map((f) => ({ ...f, path: f.path.replace("picked", "picking") })) } } });
  });
  afterAll(async () => {
    await hub.close();
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  });

  it("is the quantisation wren picked: the listed names run, and rm of hf:org/repo is refused as run is", async () => {
    const { env, modelsDir } = home();
    const pulled = await runCli(["pull", BARE], { env });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`Pulled ${BARE}:Q4_K_M`);
    expect((await runCli(["pull", `${BARE}:Q8_0`], { env })).code).toBe(0);
    expect(await storedNames(env)).toEqual([`${BARE}:Q4_K_M`, `${BARE}:Q8_0`]);

    const run = await runCli(["run", "--offline", "--model", `${BARE}:Q4_K_M`, "--max-tokens", "2", "hi"], { env });
    expect(run.code, run.stderr).toBe(0);
    const info = await runCli(["models", "info", `${BARE}:Q8_0`], { env });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain(path.join(modelsDir, "hf", REPO, "picked-Q8_0.gguf"));

    for (const args of [["run", "--offline", "--model", BARE, "--max-tokens", "2", "hi"], ["models", "rm", BARE]]) {
      const refused = await runCli(args, { env });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`${BARE} names 2 models in wren's store: ${BARE}:Q4_K_M, ${BARE}:Q8_0.`);
    }
    expect(await storedNames(env)).toEqual([`${BARE}:Q4_K_M`, `${BARE}:Q8_0`]);
    const removed = await runCli(["models", "rm", `${BARE}:Q4_K_M`], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed ${BARE}:Q4_K_M`);
    expect(await storedNames(env)).toEqual([`${BARE}:Q8_0`]);
  }, 120_000);

  it("a store an older wren wrote with the bare name lists the full one, and rm and run agree on the bare name", async () => {
    const { env, modelsDir } = home();
    mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
    const models: ManifestEntry[] = QUANTS.map((quant) => {
      const file = `hf/${REPO}/picked-${quant}.gguf`;
      copyFileSync(sources[quant] ?? "", path.join(modelsDir, file));
      return {
        ref: quant === "Q4_K_M" ? BARE : `${BARE}:${quant}`, file, parts: [], size: statSync(path.join(modelsDir, file)).size, sha256: null, partSha256: [],
        revision: null, source: "hf", repo: REPO, repoFile: `picked-${quant}.gguf`, quant, added: "2026-01-01T00:00:00.000Z", lastUsed: null,
      };
    });
    writeFileSync(manifestPath(modelsDir), JSON.stringify({ version: 1, models }));
    expect(await storedNames(env)).toEqual([`${BARE}:Q8_0`, `${BARE}:Q4_K_M`]);
    for (const args of [["run", "--offline", "--model", BARE, "--max-tokens", "2", "hi"], ["models", "rm", BARE]]) {
      const refused = await runCli(args, { env });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`${BARE} names 2 models in wren's store: ${BARE}:Q8_0, ${BARE}:Q4_K_M.`);
    }
    expect(existsSync(path.join(modelsDir, "hf", REPO, "picked-Q4_K_M.gguf"))).toBe(true);
    const info = await runCli(["models", "info", `${BARE}:Q4_K_M`], { env });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain(path.join(modelsDir, "hf", REPO, "picked-Q4_K_M.gguf"));
    const removed = await runCli(["models", "rm", `${BARE}:Q4_K_M`], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(await storedNames(env)).toEqual([`${BARE}:Q8_0`]);
  }, 120_000);

  it("rm during a first pull of hf:org/repo names the pull by the name it will be listed under, however the model is named", async () => {
    const { env, modelsDir } = home();
    const fresh = `hf:${FRESH_REPO}`;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    hub.faults.beforeBody = () => gate;
    const pull = watchCli(["pull", fresh], { env });
    const partial = path.join(modelsDir, "hf", FRESH_REPO, "picking-Q4_K_M.gguf.partial");
    try {
      await until(() => pull.exited() || existsSync(partial));
      expect(pull.exited(), `the pull ended before its download began: ${pull.stderr()}`).toBe(false);
      for (const name of [fresh, `${fresh}:Q4_K_M`]) {
        const removed = await runCli(["models", "rm", name], { env });
        expect(removed.stderr).toContain(`${fresh}:Q4_K_M is being downloaded by another wren process (pid ${pull.child.pid})`);
        expect(removed.code).toBe(1);
        expect(existsSync(partial)).toBe(true);
      }
    } finally {
      release();
      hub.resetFaults();
    }
    expect(await pull.exit, pull.stderr()).toBe(0);
    expect(pull.stdout()).toContain(`Pulled ${fresh}:Q4_K_M`);
    expect(await storedNames(env)).toEqual([`${fresh}:Q4_K_M`]);
  }, 120_000);
});
