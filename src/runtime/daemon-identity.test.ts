import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDaemonControl } from "./daemon-control.js";
import { confirmDaemon, daemonOwnerKey, identityProof, ownerHeaders, requestShutdown } from "./daemon-identity.js";
import { resolvePaths } from "../shared/paths.js";
import { inspectDaemon } from "./daemon-inspect.js";
import { stopDaemon } from "./daemon-stop.js";
import { processAlive } from "../models/lock-owner.js";
import { createLock, daemonFiles, newDaemonToken, readLock, removeLockIfUnchanged, type DaemonLock } from "./daemon-state.js";

describe("daemon identity: the control listener proves the pid is the daemon", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const tempFiles = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-daemon-id-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return daemonFiles(dir);
  };

  it("confirms the daemon of the lock and nothing else: another token, another pid, or an impostor echoing the pid", async () => {
    await using control = await openDaemonControl(4242);
    const lock: DaemonLock = { pid: 4242, token: control.token, controlPort: control.port, startedAt: new Date().toISOString() };
    expect(await confirmDaemon(lock)).toBe("starting");
    control.setPhase("ready");
    expect(await confirmDaemon(lock)).toBe("ready");
    expect(await confirmDaemon({ ...lock, token: newDaemonToken() })).toBeUndefined();
    expect(await confirmDaemon({ ...lock, pid: 4243 })).toBeUndefined();

    const impostor = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ pid: 4242, phase: "ready", proof: "0".repeat(64) })));
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    expect(await confirmDaemon({ ...lock, controlPort: (impostor.address() as AddressInfo).port })).toBeUndefined();
  });

  it("makes the owner key its user's commands send from the lock's token: not the token, and no identity answer", () => {
    const token = newDaemonToken();
    const key = daemonOwnerKey(token);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(daemonOwnerKey(token)).toBe(key);
    expect(key).not.toBe(token);
    expect(daemonOwnerKey(newDaemonToken())).not.toBe(key);
    for (const challenge of ["", "owner-key", "wren-owner-key"]) expect(identityProof(token, challenge)).not.toBe(key);
    expect(ownerHeaders({ pid: 1, token, controlPort: 1, startedAt: new Date().toISOString() })).toEqual({ "x-wren-owner-key": key });
    expect(ownerHeaders(undefined)).toEqual({});
  });

  it("accepts a shutdown request only with the instance token", async () => {
    await using control = await openDaemonControl(4242);
    const lock: DaemonLock = { pid: 4242, token: control.token, controlPort: control.port, startedAt: new Date().toISOString() };
    expect(await requestShutdown({ ...lock, token: newDaemonToken() })).toBe(false);
    expect(await confirmDaemon(lock)).toBe("starting");
    expect(await requestShutdown(lock)).toBe(true);
    await control.shutdownRequested;
    expect(await confirmDaemon(lock)).toBe("stopping");
  });

  it("takes the lock once, and removes stale files only while they still say what was judged stale", async () => {
    const files = await tempFiles();
    await using control = await openDaemonControl();
    const lock: DaemonLock = { pid: process.pid, token: control.token, controlPort: control.port, startedAt: new Date().toISOString() };
    expect(await createLock(files, lock)).toBe(true);
    expect(await createLock(files, { ...lock, token: newDaemonToken() })).toBe(false);
    const found = await readLock(files);
    expect(found).toMatchObject({ kind: "lock", lock });
    expect(await inspectDaemon(files)).toMatchObject({ kind: "running", phase: "starting", state: undefined });

    await removeLockIfUnchanged(files, "12345\n");
    expect(await readFile(files.pid, "utf8")).toContain(control.token);

    // A lock whose control port answers nobody (the daemon is gone, its pid now someone else's).
    await control.close();
    expect(await inspectDaemon(files)).toEqual({ kind: "stale", pid: process.pid, exited: false });
    await expect(readFile(files.pid, "utf8")).rejects.toThrow();

    await writeFile(files.pid, `${process.pid}\n`);
    expect(await inspectDaemon(files)).toEqual({ kind: "stale", pid: process.pid, exited: false });
    expect(await readLock(files)).toEqual({ kind: "none" });
  });

  it("tells a daemon that exited and left its files behind (its pid names no process) from a live process it cannot confirm", async () => {
    const files = await tempFiles();
    const dead = await exitedPid();
    const lock: DaemonLock = { pid: dead, token: newDaemonToken(), controlPort: 1, startedAt: new Date().toISOString() };
    expect(await createLock(files, lock)).toBe(true);
    expect(await inspectDaemon(files)).toEqual({ kind: "stale", pid: dead, exited: true });
    expect(await readLock(files)).toEqual({ kind: "none" });

    // `wren daemon stop` says the same of the files it removes.
    const env = { WREN_HOME: path.dirname(files.pid) };
    const stopFiles = daemonFiles(resolvePaths(env).stateDir);
    expect(await createLock(stopFiles, lock)).toBe(true);
    expect(await stopDaemon({ env })).toEqual({ outcome: "stale", pid: dead, exited: true });
    expect(await createLock(stopFiles, { ...lock, pid: process.pid })).toBe(true);
    expect(await stopDaemon({ env })).toEqual({ outcome: "stale", pid: process.pid, exited: false });
  });

  it.runIf(process.platform === "linux")("takes a daemon that exited but was not yet reaped by its parent (a zombie) as exited", async () => {
    const files = await tempFiles();
    // sh starts a short sleep in the background and becomes a long one, which never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0.5 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    cleanup.push(async () => void parent.kill("SIGKILL"));
    const zombie = await new Promise<number>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))));
    const state = async (): Promise<string | undefined> => (await readFile(`/proc/${zombie}/stat`, "utf8").catch(() => "")).split(") ")[1]?.[0];
    for (let i = 0; i < 250 && (await state()) !== "Z"; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await state()).toBe("Z");
    expect(processAlive(zombie)).toBe(false);
    expect(await createLock(files, { pid: zombie, token: newDaemonToken(), controlPort: 1, startedAt: new Date().toISOString() })).toBe(true);
    expect(await inspectDaemon(files)).toEqual({ kind: "stale", pid: zombie, exited: true });
  });
});

/** The pid of a process that has exited (its parent has reaped it: no process has it now). */
function exitedPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: ["ignore", "ignore", "ignore"] });
    child.once("error", reject);
    child.once("exit", () => {
      if (child.pid === undefined) reject(new Error("no pid"));
      else resolve(child.pid);
    });
  });
}
