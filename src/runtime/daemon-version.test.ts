import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHome, standInHomes } from "../../test/helpers/stand-in-daemon-homes.js";
import { loadConfig } from "../config/index.js";
import { openAgentRun } from "./agent.js";
import type { DaemonNotice } from "./daemon-notice.js";
import { daemonStatus, ensureDaemon, filesFor, startDaemon, stopDaemon } from "./daemon.js";
import { processAlive } from "../models/lock-owner.js";
import { newDaemonToken, readLock } from "./daemon-state.js";
import { daemonActiveRequests } from "./daemon-version.js";
import { wrenVersion } from "../shared/version.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = ["--import", pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href];
/** The daemon's stand-in, run from its sources in its own process. */
const command = standInDaemonCommand;
const OLD = "0.0.1-old";

const home = standInHomes("wren-daemon-version-");

/**
 * A daemon that an older wren started, still running after the upgrade. `routed`: the requests its
 * /status reports forwarding through its router; `absent`: it does not report them.
 */
async function oldDaemon(env: NodeJS.ProcessEnv, active = 0, routed: number | "absent" = 0): Promise<number> {
  const { state } = await startDaemon({ env: { ...env, WREN_STAND_IN_VERSION: OLD, WREN_STAND_IN_ACTIVE: String(active), WREN_STAND_IN_ROUTED: String(routed) }, command, startTimeoutMs: 60_000 });
  expect(state.version).toBe(OLD);
  return state.pid;
}

describe("a daemon of another wren version", () => {
  it("is stopped when idle and this wren's daemon started instead; the next client reuses that one", async () => {
    const env = home();
    const old = await oldDaemon(env);
    const first = await ensureDaemon({ env, command, startTimeoutMs: 60_000 });
    expect(first.replaced).toEqual({ pid: old, version: OLD });
    expect(first.outdated).toBeUndefined();
    expect(first.alreadyRunning).toBe(false);
    expect(first.state.pid).not.toBe(old);
    expect(first.state.version).toBe(wrenVersion());
    expect(processAlive(old)).toBe(false);
    const second = await ensureDaemon({ env, command, startTimeoutMs: 60_000 });
    expect(second).toMatchObject({ alreadyRunning: true, state: { pid: first.state.pid } });
    expect(second.replaced).toBeUndefined();
  }, 120_000);

  it("is used as it is while busy, and the caller is told which versions differ; status shows both", async () => {
    const env = home();
    const old = await oldDaemon(env, 2);
    const found = await ensureDaemon({ env, command, startTimeoutMs: 60_000 });
    expect(found).toMatchObject({ alreadyRunning: true, state: { pid: old }, outdated: { pid: old, daemonVersion: OLD, wrenVersion: wrenVersion(), activeRequests: 2 } });
    expect(found.replaced).toBeUndefined();
    expect(processAlive(old)).toBe(true);
    expect(await daemonStatus({ env })).toMatchObject({ running: true, pid: old, version: OLD, wrenVersion: wrenVersion(), activeRequests: 2 });
  }, 120_000);

  it("is used as it is, as busy, when its /status counts no request of its local models but does not say what its router forwards (a wren older than that count): it may be streaming a teacher's answer to another session", async () => {
    const env = home();
    const old = await oldDaemon(env, 0, "absent");
    const found = await ensureDaemon({ env, command, startTimeoutMs: 60_000 });
    expect(found).toMatchObject({ alreadyRunning: true, state: { pid: old }, outdated: { pid: old, daemonVersion: OLD, wrenVersion: wrenVersion(), activeRequests: undefined } });
    expect(found.replaced).toBeUndefined();
    expect(processAlive(old)).toBe(true);
    const lock = await readLock(filesFor(env));
    if (lock.kind !== "lock") throw new Error("no lock");
    expect(await daemonActiveRequests(found.state.url, lock.lock)).toBeUndefined();
  }, 120_000);

  it("is used as it is while its router forwards requests, its local models idle", async () => {
    const env = home();
    const old = await oldDaemon(env, 0, 1);
    const found = await ensureDaemon({ env, command, startTimeoutMs: 60_000 });
    expect(found).toMatchObject({ alreadyRunning: true, state: { pid: old }, outdated: { pid: old, activeRequests: 1 } });
    expect(processAlive(old)).toBe(true);
  }, 120_000);

  it("is replaced once when two clients find it at the same time: neither stops the daemon the other started", async () => {
    const env = home();
    const old = await oldDaemon(env);
    const [a, b] = await Promise.all([ensureDaemon({ env, command, startTimeoutMs: 60_000 }), ensureDaemon({ env, command, startTimeoutMs: 60_000 })]);
    expect(a.state.pid).toBe(b.state.pid);
    expect(a.state.version).toBe(wrenVersion());
    expect(processAlive(old)).toBe(false);
    expect(processAlive(a.state.pid)).toBe(true);
    const lock = await readLock(filesFor(env));
    expect(lock.kind === "lock" && lock.lock.pid).toBe(a.state.pid);
    // The daemon the losing start spawned is gone too: stopped, no daemon comes back after it.
    expect(await stopDaemon({ env })).toMatchObject({ outcome: "stopped" });
    await sleep(2000);
    expect(await daemonStatus({ env })).toMatchObject({ running: false });
  }, 120_000);

  it("stops only the daemon it judged: another one holding the lock by then is left running", async () => {
    const env = home();
    const { state } = await startDaemon({ env, command, startTimeoutMs: 60_000 });
    const found = await readLock(filesFor(env));
    if (found.kind !== "lock") throw new Error("no lock");
    expect(await stopDaemon({ env }, { ...found.lock, token: newDaemonToken() })).toEqual({ outcome: "not-running" });
    expect(processAlive(state.pid)).toBe(true);
    expect(await daemonStatus({ env })).toMatchObject({ running: true, pid: state.pid, version: wrenVersion() });
  }, 120_000);
});

/** Runs wren from its sources (`wren ARGS`) in `cwd`, with stdin closed. */
function wren(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...tsx, path.join(root, "src/bin/cli.ts"), ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the assistant on a busy daemon of another wren version", () => {
  // One busy old daemon for these tests: being busy, it is used as it is, not replaced.
  let env: NodeJS.ProcessEnv = {};
  let old = 0;
  beforeAll(async () => {
    env = standInHome("wren-daemon-version-busy-");
    old = await oldDaemon(env, 1);
  }, 120_000);
  afterAll(async () => {
    if (!env["WREN_HOME"]) return;
    await stopDaemon({ env, stopTimeoutMs: 10_000 }).catch(() => undefined);
    rmSync(env["WREN_HOME"], { recursive: true, force: true });
  });

  it("wren -p says so on stderr, and its JSON result on stdout stays one whole object", async () => {
    const cwd = env["WREN_HOME"] ?? "";
    const run = await wren(["-p", "--daemon", "--output-format", "json", "say hello"], env, cwd);
    expect(run.stderr).toContain(`the wren daemon (pid ${old}) runs wren ${OLD}, this is wren ${wrenVersion()}`);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { result?: string };
    expect(result.result).toBe("Hello from the stand-in.");
    expect(run.stdout).not.toContain(OLD);
  }, 120_000);

  it("hears of it when the first turn reaches the daemon, and when the terminal UI's background load does", async () => {
    const cwd = env["WREN_HOME"] ?? "";
    const { config } = await loadConfig({ env, cwd });
    const expected = { kind: "outdated", daemon: { pid: old, daemonVersion: OLD, wrenVersion: wrenVersion() } };

    const firstTurn: DaemonNotice[] = [];
    await using run = await openAgentRun({ config, daemon: true, allow: [], deny: [], cwd, env, signal: new AbortController().signal, onDaemonNotice: (n) => firstTurn.push(n) });
    const turn = run.run("say hello");
    while (!(await turn.next()).done);
    expect(firstTurn).toMatchObject([expected]);

    const background: DaemonNotice[] = [];
    await using tui = await openAgentRun({ config, model: "local:stand-in", daemon: true, loadInBackground: true, allow: [], deny: [], cwd, env, signal: new AbortController().signal, onDaemonNotice: (n) => background.push(n) });
    const load = tui.localModel;
    if (!load) throw new Error("no background load");
    const ready = new Promise<void>((resolve) => load.subscribe((state) => state.phase === "ready" && resolve()));
    load.start();
    await ready;
    expect(background).toMatchObject([expected]);
  }, 120_000);
});
