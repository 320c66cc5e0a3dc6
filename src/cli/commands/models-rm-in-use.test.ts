import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { putEntry } from "../../models/manifest.js";

/**
 * `wren models rm` of a model the daemon has loaded: the file goes, but the daemon keeps it open, so
 * its disk space comes back only when the daemon lets it go. The user is told, not left to wonder.
 */
describe.runIf(hasSharedModels)("wren models rm of a model the daemon is running", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-in-use-"));
  const env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512" };
  const seen = new Set<number>();

  afterAll(async () => {
    await runCli(["daemon", "stop"], { env });
    for (const pid of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  it("removes it and says the daemon still holds it, and how to get the space back", async () => {
    const modelsDir = path.join(home, "models");
    const file = "hf/wren-test/stories-GGUF/stories-F32.gguf";
    mkdirSync(path.dirname(path.join(modelsDir, file)), { recursive: true });
    copyFileSync(sharedModels.stories, path.join(modelsDir, file));
    const ref = "hf:wren-test/stories-GGUF:F32";
    await putEntry(modelsDir, {
      ref, file, parts: [], size: 1185376, sha256: null, partSha256: [], revision: null,
      source: "hf", repo: "wren-test/stories-GGUF", repoFile: "stories-F32.gguf", quant: "F32", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    const started = await runCli(["daemon", "start", "--model", ref, "--port", "0"], { env, timeoutMs: 120_000 });
    expect(started.code).toBe(0);
    const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { pid?: number };
    if (status.pid) seen.add(status.pid);

    const removed = await runCli(["models", "rm", ref], { env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Removed ${ref}`);
    expect(removed.stdout).toMatch(new RegExp(`wren daemon \\(pid ${status.pid}\\) still has it loaded`));
    expect(removed.stdout).toContain("wren daemon stop");
    expect(existsSync(path.join(modelsDir, file))).toBe(false);
  }, 150_000);
});
