import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonStatus, ensureDaemon, stopDaemon } from "../../src/runtime/daemon.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { cliPath, runCli } from "../helpers/cli.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren daemon start | stop | status | logs", () => {
  let home: string;
  let env: Record<string, string>;
  const files = () => daemonFiles(path.join(home, "state"));

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-daemon-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512" };
  });
  /** Every daemon pid a test saw: killed at the end even when an assertion failed half-way. */
  const seen = new Set<number>();
  const remember = (pid: number | undefined): void => {
    if (pid) seen.add(pid);
  };
  afterAll(async () => {
    await stopDaemon({ env: { ...process.env, ...env } }).catch(() => false);
    for (const pid of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await rm(home, { recursive: true, force: true });
  });

  const chat = async (url: string): Promise<string> => {
    const res = await fetch(`${url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }] }) });
    return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
  };

  it("starts once, reports its status, refuses a second daemon, and stops", async () => {
    const before = await runCli(["daemon", "status"], { env });
    expect(before.code).toBe(3);
    expect(before.stdout).toContain("not running");

    const started = await runCli(["daemon", "start", "--model", sharedModels.chat, "--port", "0"], { env, timeoutMs: 90_000 });
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const [, pid, url] = /pid (\d+), (http:\/\/\S+)/.exec(started.stdout) ?? [];
    remember(Number(pid));
    expect(Number(pid)).toBeGreaterThan(0);
    expect(await chat(url!)).toBe(CHAT_MODEL_REPLY);

    const status = await runCli(["daemon", "status", "--json"], { env });
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as { pid: number; url: string; uptimeSeconds: number; activeRequests: number; models: Array<{ id: string; loaded: boolean }> };
    expect(json).toMatchObject({ pid: Number(pid), url, activeRequests: 0, models: [{ id: "synthetic-bigram-chatml", loaded: true }, { id: "auto" }, { id: "default" }] });
    expect(json.uptimeSeconds).toBeGreaterThanOrEqual(0);
    const text = await runCli(["daemon", "status"], { env });
    expect(text.stdout).toMatch(new RegExp(`pid\\s+${pid}[\\s\\S]*uptime[\\s\\S]*address\\s+${url}[\\s\\S]*requests\\s+0 active[\\s\\S]*synthetic-bigram-chatml \\(loaded\\)`));

    const again = await runCli(["daemon", "start", "--model", sharedModels.chat, "--port", "0"], { env });
    expect(again.stdout).toContain(`pid ${pid},`);

    const rival = await runCli(["serve", "--daemon", "--model", sharedModels.chat, "--port", "0"], { env });
    expect(rival.code).not.toBe(0);
    expect(rival.stderr).toContain(`already running (pid ${pid})`);

    expect((await runCli(["daemon", "logs"], { env })).stdout).toContain("serving synthetic-bigram-chatml");

    const stopped = await runCli(["daemon", "stop"], { env });
    expect(stopped.stdout).toContain("stopped");
    expect((await runCli(["daemon", "status"], { env })).code).toBe(3);
  });

  it("detects a stale PID file, and ensureDaemon starts (and restarts once) the daemon on demand", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => dead.once("exit", r));
    await writeFile(files().pid, `${dead.pid}\n`);
    const fullEnv = { ...process.env, ...env };
    expect((await daemonStatus({ env: fullEnv })).running).toBe(false);
    await expect(readFile(files().pid, "utf8")).rejects.toThrow();

    const options = { env: fullEnv, command: [process.execPath, cliPath], serveArgs: ["--model", sharedModels.chat, "--port", "0"] };
    const url = await ensureDaemon(options);
    expect(await chat(url)).toBe(CHAT_MODEL_REPLY);
    const first = await daemonStatus({ env: fullEnv });
    remember(first.pid);
    expect(await ensureDaemon(options)).toBe(url);

    process.kill(first.pid!, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
    const revived = await ensureDaemon(options);
    const second = await daemonStatus({ env: fullEnv });
    remember(second.pid);
    expect(second.running).toBe(true);
    expect(second.pid).not.toBe(first.pid);
    expect(await chat(revived)).toBe(CHAT_MODEL_REPLY);
    expect(await stopDaemon({ env: fullEnv })).toBe(true);
  });
});
