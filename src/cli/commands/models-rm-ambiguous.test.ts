import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { putEntry, readManifest } from "../../models/manifest.js";

const REPO = "wren-test/two-GGUF";

/**
 * `wren models rm hf:org/repo` when the store holds two quantisations of that repository: which one
 * the user means is not said, so neither is removed; the error names the reference of each.
 */
describe("wren models rm of a reference that names two stored models", () => {
  let home: string;
  let modelsDir: string;
  let env: Record<string, string>;
  const fileOf = (quant: string): string => path.join(modelsDir, "hf", REPO, `two-${quant}.gguf`);

  beforeEach(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-ambiguous-"));
    modelsDir = path.join(home, "models");
    env = { WREN_HOME: home };
    mkdirSync(path.join(modelsDir, "hf", REPO), { recursive: true });
    for (const quant of ["Q4_K_M", "Q8_0"]) {
      writeFileSync(fileOf(quant), randomBytes(1000));
      await putEntry(modelsDir, {
        ref: `hf:${REPO}:${quant}`, file: `hf/${REPO}/two-${quant}.gguf`, parts: [], size: 1000, sha256: null, partSha256: [], revision: null,
        source: "hf", repo: REPO, repoFile: `two-${quant}.gguf`, quant, added: "2026-01-01T00:00:00.000Z", lastUsed: null,
      });
    }
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it("removes neither, exits non-zero and names the reference of each", async () => {
    const removed = await runCli(["models", "rm", `hf:${REPO}`], { env });
    expect(removed.stdout).toBe("");
    expect(removed.code).not.toBe(0);
    expect(removed.stderr).toContain(`hf:${REPO} names 2 models in wren's store: hf:${REPO}:Q4_K_M, hf:${REPO}:Q8_0. wren removed none of them.`);
    expect(removed.stderr).toContain(`\`wren models rm hf:${REPO}:Q4_K_M\``);
    expect(removed.stderr).toContain(`\`wren models rm hf:${REPO}:Q8_0\``);
    expect(existsSync(fileOf("Q4_K_M"))).toBe(true);
    expect(existsSync(fileOf("Q8_0"))).toBe(true);
    expect((await readManifest(modelsDir)).models).toHaveLength(2);
  });

  it("a quantisation names one: only it is removed; then the reference without one names the other alone", async () => {
    const one = await runCli(["models", "rm", `hf:${REPO}:Q8_0`], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain(`Removed hf:${REPO}:Q8_0`);
    expect(existsSync(fileOf("Q8_0"))).toBe(false);
    expect(existsSync(fileOf("Q4_K_M"))).toBe(true);
    const rest = await runCli(["models", "rm", `hf:${REPO}`], { env });
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toContain(`Removed hf:${REPO}:Q4_K_M`);
    expect((await readManifest(modelsDir)).models).toHaveLength(0);
  });
});
