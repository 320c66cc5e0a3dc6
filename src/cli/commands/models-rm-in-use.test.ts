import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { putEntry } from "../../models/manifest.js";
import { openDaemonControl } from "../../runtime/daemon-control.js";
import { createLock, daemonFiles, writeState } from "../../runtime/daemon-state.js";
import { resolvePaths } from "../../shared/paths.js";

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

/**
 * The daemon serves a model under one name and the user removes it under another: the daemon's
 * status names the file it holds, so the note does not depend on the name either side used.
 */
describe.runIf(hasSharedModels)("wren models rm of a model the daemon serves under another name", () => {
  const file = "hf/wren-test/stories-GGUF/stories-F32.gguf";
  const ref = "hf:wren-test/stories-GGUF:F32";
  const homes: string[] = [];
  const seen = new Set<number>();

  afterAll(async () => {
    for (const home of homes) await runCli(["daemon", "stop"], { env: envOf(home) });
    for (const pid of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  function envOf(home: string): Record<string, string> {
    return { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512" };
  }

  async function storeOne(): Promise<{ home: string; modelsDir: string }> {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-in-use-other-"));
    homes.push(home);
    const modelsDir = path.join(home, "models");
    mkdirSync(path.dirname(path.join(modelsDir, file)), { recursive: true });
    copyFileSync(sharedModels.stories, path.join(modelsDir, file));
    await putEntry(modelsDir, {
      ref, file, parts: [], size: 1185376, sha256: null, partSha256: [], revision: null,
      source: "hf", repo: "wren-test/stories-GGUF", repoFile: "stories-F32.gguf", quant: "F32", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    return { home, modelsDir };
  }

  it.each([
    ["its file, through a link to the models folder", (home: string) => {
      symlinkSync(path.join(home, "models"), path.join(home, "linked-models"));
      return path.join(home, "linked-models", file);
    }],
    ["hf:org/repo without the quantisation", () => "hf:wren-test/stories-GGUF"],
  ])("says the daemon still holds it when the daemon serves it as %s", async (_what, served) => {
    const { home, modelsDir } = await storeOne();
    const env = envOf(home);
    const started = await runCli(["daemon", "start", "--model", served(home), "--port", "0"], { env, timeoutMs: 120_000 });
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { pid?: number; models?: Array<{ id: string; files?: string[] }> };
    if (status.pid) seen.add(status.pid);
    expect(status.models?.map((m) => m.id)).not.toContain(ref);
    // The status names the file as the daemon opened it: absolute.
    const files = status.models?.flatMap((m) => m.files ?? []) ?? [];
    expect(files.map((f) => realpathSync(f))).toEqual([realpathSync(path.join(modelsDir, file))]);

    const removed = await runCli(["models", "rm", ref], { env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Removed ${ref}`);
    expect(removed.stdout).toMatch(new RegExp(`wren daemon \\(pid ${status.pid}\\) still has it loaded`));
    expect(existsSync(path.join(modelsDir, file))).toBe(false);
  }, 150_000);
});

/**
 * A daemon whose status lists no files (that of an older wren) has its models matched by name; a
 * status that lists them is matched by file, whatever the names.
 */
describe("wren models rm and a daemon's status with or without files", () => {
  const ref = "hf:wren-test/tiny-GGUF:Q8_0";
  const file = "hf/wren-test/tiny-GGUF/tiny-Q8_0.gguf";

  async function removeBeside(
    status: Array<Record<string, unknown>> | ((modelsDir: string) => Array<Record<string, unknown>>),
    args: readonly string[] = ["models", "rm", ref],
  ): Promise<{ stdout: string; pid: number }> {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-old-daemon-"));
    const modelsDir = path.join(home, "models");
    mkdirSync(path.dirname(path.join(modelsDir, file)), { recursive: true });
    writeFileSync(path.join(modelsDir, file), "GGUF");
    await putEntry(modelsDir, {
      ref, file, parts: [], size: 4, sha256: null, partSha256: [], revision: null,
      source: "hf", repo: "wren-test/tiny-GGUF", repoFile: "tiny-Q8_0.gguf", quant: "Q8_0", added: "2026-01-01T00:00:00.000Z", lastUsed: null,
    });
    const models = typeof status === "function" ? status(modelsDir) : status;
    // The daemon's control listener proves the lock's pid (this process's); its server answers /status as given.
    await using control = await openDaemonControl(process.pid);
    control.setPhase("ready");
    const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ pid: process.pid, activeRequests: 0, models })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const files = daemonFiles(resolvePaths({ WREN_HOME: home }).stateDir);
      mkdirSync(path.dirname(files.pid), { recursive: true });
      const startedAt = new Date().toISOString();
      expect(await createLock(files, { pid: process.pid, token: control.token, controlPort: control.port, startedAt })).toBe(true);
      await writeState(files, { pid: process.pid, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, startedAt });
      const removed = await runCli(args, { env: { WREN_HOME: home } });
      expect(removed.stderr).toBe("");
      expect(removed.code).toBe(0);
      expect(existsSync(path.join(modelsDir, file))).toBe(false);
      return { stdout: removed.stdout, pid: process.pid };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    }
  }

  it("matches by name when the status lists no files", async () => {
    const held = await removeBeside([{ id: ref, loaded: true, active: 0, queued: 0 }]);
    expect(held.stdout).toContain(`The wren daemon (pid ${held.pid}) still has it loaded`);
    const other = await removeBeside([{ id: "another-model", loaded: true, active: 0, queued: 0 }]);
    expect(other.stdout).toBe(`Removed ${ref} (4 B).\n`);
  });

  it("matches by file when the status lists them: the same name with another file is another model", async () => {
    const elsewhere = await removeBeside([{ id: ref, loaded: true, active: 0, queued: 0, files: [path.join(os.tmpdir(), "another-store", file)] }]);
    expect(elsewhere.stdout).toBe(`Removed ${ref} (4 B).\n`);
  });

  it("wren models prune says which removed model the daemon still holds", async () => {
    const pruned = await removeBeside((modelsDir) => [{ id: "tiny", loaded: true, active: 0, queued: 0, files: [path.join(modelsDir, file)] }], ["models", "prune", "--max-size", "0"]);
    expect(pruned.stdout).toContain(`Removed ${ref} (4 B, last used never).`);
    expect(pruned.stdout).toContain(`The wren daemon (pid ${pruned.pid}) still has ${ref} loaded and serves it: its disk space comes back when the daemon stops`);
  });
});
