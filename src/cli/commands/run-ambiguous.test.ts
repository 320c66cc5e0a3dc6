import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { syntheticModel } from "../../../test/helpers/synthetic-models.js";
import { putEntry, readManifest } from "../../models/manifest.js";

const REPO = "wren-test/two-GGUF";
const BARE = `hf:${REPO}`;

/**
 * `hf:org/repo` with two of its quantisations in the store names no one model: every command that
 * resolves it (run, serve --model, models info, pull --offline) exits non-zero with the full
 * reference of each, instead of running whichever the store lists first.
 */
describe("commands given hf:org/repo when two of its quantisations are stored", () => {
  let home: string;
  let env: Record<string, string>;
  let q4: string;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-run-ambiguous-"));
    const modelsDir = path.join(home, "models");
    // Nothing may reach a Hub: a port nobody listens on.
    env = { WREN_HOME: home, HOME: home, HF_ENDPOINT: "http://127.0.0.1:9" };
    mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
    for (const [seed, quant] of ["Q8_0", "Q4_K_M"].entries()) {
      const source = await syntheticModel({ seed, name: `two-${quant}` });
      const file = `hf/${REPO}/two-${quant}.gguf`;
      copyFileSync(source, path.join(modelsDir, file));
      if (quant === "Q4_K_M") q4 = path.join(modelsDir, file);
      await putEntry(modelsDir, {
        ref: `${BARE}:${quant}`, file, parts: [], size: statSync(source).size, sha256: null, partSha256: [], revision: null,
        source: "hf", repo: REPO, repoFile: `two-${quant}.gguf`, quant, added: "2026-01-01T00:00:00.000Z", lastUsed: null,
      });
    }
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  const commands: Array<[string, string[]]> = [
    ["run", ["run", "--model", BARE, "--max-tokens", "2", "hi"]],
    ["run --offline", ["run", "--offline", "--model", BARE, "--max-tokens", "2", "hi"]],
    ["serve --model", ["serve", "--offline", "--port", "0", "--model", BARE]],
    ["models info", ["models", "info", BARE]],
    ["pull --offline", ["pull", "--offline", BARE]],
  ];

  it.each(commands)("%s exits 2 and names the reference of each, running neither", async (_name, args) => {
    const result = await runCli(args, { env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`${BARE} names 2 models in wren's store: ${BARE}:Q8_0, ${BARE}:Q4_K_M.`);
    expect(result.stderr).toContain(`Name the one to use by its full reference: ${BARE}:Q8_0 or ${BARE}:Q4_K_M.`);
    expect((await readManifest(path.join(home, "models"))).models.map((m) => m.lastUsed)).toEqual([null, null]);
  });

  it("the full reference of one is used", async () => {
    const info = await runCli(["models", "info", `${BARE}:Q4_K_M`], { env });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Model: +hf:wren-test\/two-GGUF:Q4_K_M \(store\)$/m);
    expect(info.stdout).toContain(q4);
  });
});
