import { spawn } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, runCli } from "../helpers/cli.js";
import { hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every module specifier the process resolved (test/helpers/trace-imports.mjs). */
  loaded: string[];
}

describe.runIf(hasSharedModels)("wren cmd answered by a wren daemon that already runs its model", () => {
  let home: string;
  let env: Record<string, string>;
  let url: string;
  /** Every daemon pid seen: killed at the end even when an assertion failed half-way. */
  const seen = new Set<number>();

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-cmd-daemon-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "2048" };
    const started = await runCli(["daemon", "start", "--model", sharedModels.stories, "--port", "0"], { env, timeoutMs: 120_000 });
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { pid?: number; url?: string };
    if (status.pid) seen.add(status.pid);
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    url = status.url!;
  }, 150_000);

  afterAll(async () => {
    await runCli(["daemon", "stop"], { env });
    for (const pid of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await rm(home, { recursive: true, force: true });
  });

  /** Generation requests the daemon has started, from its Prometheus counter. */
  const daemonRequests = async (): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return [...text.matchAll(/^wren_model_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  let traces = 0;
  const cmd = async (model: string, ...args: string[]): Promise<Ran> => {
    const trace = path.join(home, `trace-${++traces}.txt`);
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", path.join(projectRoot, "test/helpers/trace-imports.mjs"), cliPath, "cmd", "--json", "--model", model, "--shell", "bash", "--max-tokens", "300", ...args, "list the files here"],
        { cwd: home, env: { ...process.env, ...env, NO_COLOR: "1", WREN_TRACE_IMPORTS: trace }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        readFile(trace, "utf8").then(
          (text) => resolve({ code, stdout, stderr, loaded: text.split("\n") }),
          reject,
        );
      });
    });
  };

  it("sends the request to the daemon serving that model, never loading the engine itself, and says so in its provenance", { timeout: 300_000 }, async () => {
    const before = await daemonRequests();
    const r = await cmd(sharedModels.stories);
    expect(r.stderr).not.toMatch(/wren: /);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { command: string; provenance: unknown; daemon?: { url: string } };
    expect(out.command.length).toBeGreaterThan(0);
    expect(out.provenance).toEqual({ provider: "local", model: "stories260K", reason: "daemon" });
    expect(out.daemon).toEqual({ url });
    expect(await daemonRequests()).toBe(before + 1);
    expect(r.loaded).not.toContain("node-llama-cpp");
  });

  it("--no-daemon loads the model in its own process and leaves the daemon alone", { timeout: 300_000 }, async () => {
    const before = await daemonRequests();
    const r = await cmd(sharedModels.stories, "--no-daemon");
    expect(r.stderr).not.toMatch(/wren: /);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { command: string; provenance: unknown; daemon?: unknown };
    expect(out.command.length).toBeGreaterThan(0);
    expect(out.provenance).toBeNull();
    expect(out).not.toHaveProperty("daemon");
    expect(await daemonRequests()).toBe(before);
    expect(r.loaded).toContain("node-llama-cpp");
  });

  it("a model the daemon does not serve is loaded in-process, the daemon neither asked nor restarted", { timeout: 300_000 }, async () => {
    // The same weights under another name: the daemon serves "stories260K", not "other-model".
    const other = path.join(home, "other-model.gguf");
    await copyFile(sharedModels.stories, other);
    const pidBefore = (JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { pid?: number }).pid;
    const before = await daemonRequests();
    const r = await cmd(other);
    expect(r.stderr).not.toMatch(/wren: /);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { provenance: unknown }).provenance).toBeNull();
    expect(await daemonRequests()).toBe(before);
    expect(r.loaded).toContain("node-llama-cpp");
    expect((JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { pid?: number }).pid).toBe(pidBefore);
  });
});
