import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonStatus, ensureDaemon, stopDaemon } from "../../src/runtime/daemon.js";
import { processAlive } from "../../src/models/lock-owner.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { cliPath, runCli } from "../helpers/cli.js";
import { CHAT_MODEL_REPLY, hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

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
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`wren daemon already running: pid ${pid}, ${url}\n`);

    const rival = await runCli(["serve", "--daemon", "--model", sharedModels.chat, "--port", "0"], { env });
    expect(rival.code).not.toBe(0);
    expect(rival.stderr).toContain(`already running (pid ${pid}, ${url})`);

    expect((await runCli(["daemon", "logs"], { env })).stdout).toContain("serving synthetic-bigram-chatml");

    const stopped = await runCli(["daemon", "stop"], { env });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toBe(`wren daemon stopped (pid ${pid})\n`);
    await until(() => !processAlive(Number(pid)));
    expect((await runCli(["daemon", "status"], { env })).code).toBe(3);
    await expect(readFile(files().pid, "utf8")).rejects.toThrow();
  });

  it("detects a stale PID file, and ensureDaemon starts (and restarts once) the daemon on demand", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => dead.once("exit", r));
    await writeFile(files().pid, `${dead.pid}\n`);
    const fullEnv = { ...process.env, ...env };
    expect((await daemonStatus({ env: fullEnv })).running).toBe(false);
    await expect(readFile(files().pid, "utf8")).rejects.toThrow();

    const options = { env: fullEnv, command: [process.execPath, cliPath], serveArgs: ["--model", sharedModels.chat, "--port", "0"] };
    const { state } = await ensureDaemon(options);
    const url = state.url;
    expect(await chat(url)).toBe(CHAT_MODEL_REPLY);
    const first = await daemonStatus({ env: fullEnv });
    remember(first.pid);
    expect(await ensureDaemon(options)).toMatchObject({ state: { url }, alreadyRunning: true });

    process.kill(first.pid!, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
    const revived = (await ensureDaemon(options)).state.url;
    const second = await daemonStatus({ env: fullEnv });
    remember(second.pid);
    expect(second.running).toBe(true);
    expect(second.pid).not.toBe(first.pid);
    expect(await chat(revived)).toBe(CHAT_MODEL_REPLY);
    expect(await stopDaemon({ env: fullEnv })).toEqual({ outcome: "stopped", pid: second.pid });
  });

  it("never signals a process that only the stale daemon files name: stop and status report it, remove the files, and leave it running", async () => {
    const victim = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const victimPid = victim.pid!;
    // Something answers on the recorded control port, echoing the pid, but cannot prove the token.
    const impostor = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ pid: victimPid, phase: "ready", proof: "0".repeat(64) })));
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    const port = (impostor.address() as AddressInfo).port;
    const stale = {
      "an older wren's bare pid": `${victimPid}\n`,
      "a lock whose control port answers without the token": JSON.stringify({ pid: victimPid, token: randomBytes(32).toString("hex"), controlPort: port, startedAt: new Date().toISOString() }),
    };
    try {
      await mkdir(path.dirname(files().pid), { recursive: true });
      for (const [what, lock] of Object.entries(stale)) {
        await writeFile(files().pid, lock);
        await writeFile(files().state, JSON.stringify({ pid: victimPid, url: `http://127.0.0.1:${port}`, startedAt: new Date().toISOString() }));
        const stopped = await runCli(["daemon", "stop"], { env });
        expect(stopped.code, what).toBe(0);
        expect(stopped.stdout, what).toBe(`wren daemon was not running; removed stale daemon files naming pid ${victimPid}, which could not be confirmed as a wren daemon (it was left alone)\n`);
        await expect(readFile(files().pid, "utf8"), what).rejects.toThrow();
        await expect(readFile(files().state, "utf8"), what).rejects.toThrow();
        expect(processAlive(victimPid), what).toBe(true);
        expect(victim.exitCode, what).toBeNull();

        await writeFile(files().pid, lock);
        const status = await runCli(["daemon", "status", "--json"], { env });
        expect(status.code, what).toBe(3);
        expect(JSON.parse(status.stdout), what).toMatchObject({ running: false });
        expect(processAlive(victimPid), what).toBe(true);
      }
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
      victim.kill("SIGKILL");
    }
    expect(victim.signalCode ?? (await new Promise((r) => victim.once("exit", (_code, signal) => r(signal))))).toBe("SIGKILL");
  });

  it("falls back to SIGTERM only for a confirmed daemon that accepts the shutdown request but never finishes", async () => {
    // A daemon stuck after start-up: wren's own control listener and lock, and nothing that ever gives the lock back.
    const dist = (file: string): string => pathToFileURL(path.join(projectRoot, "dist", "runtime", file)).href;
    const script = [
      `const { openDaemonControl } = await import(${JSON.stringify(dist("daemon-control.js"))});`,
      `const { createLock, daemonFiles } = await import(${JSON.stringify(dist("daemon-state.js"))});`,
      "const control = await openDaemonControl();",
      "const lock = { pid: process.pid, token: control.token, controlPort: control.port, startedAt: new Date().toISOString() };",
      `if (!(await createLock(daemonFiles(${JSON.stringify(path.join(home, "state"))}), lock))) process.exit(1);`,
      "process.stdout.write('ready\\n');",
    ].join("\n");
    const stuck = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    remember(stuck.pid);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => stuck.once("exit", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      stuck.stdout.setEncoding("utf8").on("data", (d: string) => d.includes("ready") && resolve());
      stuck.once("exit", (code) => reject(new Error(`the stand-in daemon exited with ${code}`)));
    });

    const result = await stopDaemon({ env: { ...process.env, ...env }, stopTimeoutMs: 500 });
    expect(result).toEqual({ outcome: "stopped", pid: stuck.pid });
    expect(await exited).toBe("SIGTERM");
    await expect(readFile(files().pid, "utf8")).rejects.toThrow();
  });

  it("two `wren daemon start` at once end with one daemon, both exiting 0 and naming it", async () => {
    const raceEnv = { ...env, WREN_HOME: path.join(home, "race") };
    const start = () => runCli(["daemon", "start", "--model", sharedModels.chat, "--port", "0"], { env: raceEnv, timeoutMs: 90_000 });
    const [a, b] = await Promise.all([start(), start()]);
    const pids = [a, b].map((r) => Number(/pid (\d+),/.exec(r.stdout)?.[1]));
    pids.forEach(remember);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);
    expect(pids[0]).toBe(pids[1]);
    expect([a.stdout, b.stdout].filter((out) => out.startsWith("wren daemon already running: ")).length).toBe(1);
    const raceFiles = daemonFiles(path.join(home, "race", "state"));
    const log = await readFile(raceFiles.log, "utf8");
    expect(log.match(/wren: serving /g)).toHaveLength(1);

    const stopped = await runCli(["daemon", "stop"], { env: raceEnv });
    expect(stopped.stdout).toBe(`wren daemon stopped (pid ${pids[0]})\n`);
  });
});

/** Polls until `done()` holds; the test's own timeout bounds it, so a slow machine only waits longer. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 50));
}
