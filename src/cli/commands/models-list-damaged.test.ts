import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { writeTruncatedGguf } from "../../../test/helpers/gguf-corrupt.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { listModels } from "../../models/listing.js";
import { putEntry } from "../../models/manifest.js";

/**
 * `wren models list` with damaged files among the models: listed, since they are there, but marked
 * as not runnable with why, rather than shown as models with a few unknown columns.
 */
describe.runIf(hasSharedModels)("wren models list with damaged models", () => {
  async function homeWithDamage(): Promise<{ home: string; modelsDir: string }> {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-list-damaged-"));
    const modelsDir = path.join(home, "models");
    const lm = path.join(home, ".lmstudio", "models", "someorg", "Mixed-GGUF");
    mkdirSync(lm, { recursive: true });
    copyFileSync(sharedModels.chat, path.join(lm, "good-F32.gguf"));
    await writeTruncatedGguf(path.join(lm, "cut-Q4_K_M.gguf"));
    writeFileSync(path.join(lm, "html-Q8_0.gguf"), "<!doctype html><title>404</title>");
    // A stored model whose file was deleted by hand.
    const stored = path.join(modelsDir, "hf", "org", "Gone-GGUF", "gone-Q8_0.gguf");
    mkdirSync(path.dirname(stored), { recursive: true });
    copyFileSync(sharedModels.chat, stored);
    await putEntry(modelsDir, {
      ref: "hf:org/Gone-GGUF:Q8_0", file: "hf/org/Gone-GGUF/gone-Q8_0.gguf", parts: [], size: 566944, sha256: null, partSha256: [], revision: null,
      source: "hf", repo: "org/Gone-GGUF", repoFile: "gone-Q8_0.gguf", quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    rmSync(stored);
    return { home, modelsDir };
  }

  it("gives each damaged model the reason it cannot run, and none to a good one", async () => {
    const { home, modelsDir } = await homeWithDamage();
    const { models } = await listModels({ modelsDir, home, env: {}, remote: false });
    const problem = (name: string): string | null | undefined => models.find((m) => m.name === name)?.problem;
    expect(problem("someorg/Mixed-GGUF/good-F32.gguf")).toBeNull();
    expect(problem("someorg/Mixed-GGUF/cut-Q4_K_M.gguf")).toMatch(/truncated|cut short|ends/i);
    expect(problem("someorg/Mixed-GGUF/html-Q8_0.gguf")).toMatch(/not a GGUF/i);
    expect(problem("hf:org/Gone-GGUF:Q8_0")).toMatch(/missing/i);
  });

  it("prints them marked, with the reason, and exits 0", async () => {
    const { home, modelsDir } = await homeWithDamage();
    const result = await runCli(["models", "list", "--models-dir", modelsDir], {
      env: { HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), XDG_DATA_HOME: path.join(home, ".local/share"), OLLAMA_HOST: "127.0.0.1:9" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^someorg\/Mixed-GGUF\/good-F32\.gguf .* lmstudio +ok$/m);
    expect(result.stdout).toMatch(/^someorg\/Mixed-GGUF\/cut-Q4_K_M\.gguf .* damaged$/m);
    expect(result.stdout).toMatch(/^hf:org\/Gone-GGUF:Q8_0 .* missing$/m);
    expect(result.stdout).toMatch(/^\s*someorg\/Mixed-GGUF\/html-Q8_0\.gguf: .*not a GGUF/im);
    expect(result.stdout).toMatch(/^\s*hf:org\/Gone-GGUF:Q8_0: .*missing/im);
  });
});
