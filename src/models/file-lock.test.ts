import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withFileLock, type LockOwner } from "./file-lock.js";
import { readManifest, updateManifest } from "./manifest.js";
import { currentOwner, processStart } from "./lock-owner.js";

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "wren-file-lock-"));
}

/** Makes a file look as if written a day ago, past any grace period the tests use. */
function age(file: string): void {
  const past = new Date(Date.now() - 24 * 3600_000);
  utimesSync(file, past, past);
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid ?? 0;
}

/** Holds `lockPath` in this process until the returned function is called. */
async function hold(lockPath: string): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken!: () => void;
  const isTaken = new Promise<void>((resolve) => (taken = resolve));
  const done = withFileLock(lockPath, async () => {
    taken();
    await released;
  });
  await isTaken;
  return async () => {
    release();
    await done;
  };
}

/** Starts waiting for a lock held elsewhere; resolves the wait's holder once it waits. */
function waitOn(lockPath: string, signal: AbortSignal, unreadableGraceMs?: number): { waiting: Promise<LockOwner | undefined>; result: Promise<unknown> } {
  let onWait!: (holder: LockOwner | undefined) => void;
  const waiting = new Promise<LockOwner | undefined>((resolve) => (onWait = resolve));
  const options = { signal, onWait, pollMs: 10, ...(unreadableGraceMs === undefined ? {} : { unreadableGraceMs }) };
  const result = withFileLock(lockPath, async () => "acquired", options).catch((e: unknown) => e);
  return { waiting, result };
}

describe("withFileLock takes over a lock whose owner is gone", () => {
  it.each([
    ["empty", ""],
    ["unreadable", "\u0000\u0001 not json {"],
    ["valid JSON but not a lock", '{"hello":"world"}'],
  ])("an %s lock file older than the grace period", async (_, content) => {
    const lock = path.join(tempDir(), "x.lock");
    writeFileSync(lock, content);
    age(lock);
    expect(await withFileLock(lock, async () => readFileSync(lock, "utf8"))).toContain(`"pid":${process.pid}`);
    expect(existsSync(lock)).toBe(false);
  });

  it("a lock naming a pid that has exited, in this and in the older format", async () => {
    const dir = tempDir();
    const lock = path.join(dir, "x.lock");
    writeFileSync(lock, JSON.stringify({ pid: await deadPid(), host: os.hostname(), since: "2026-01-01T00:00:00.000Z" }));
    expect(await withFileLock(lock, async () => "taken over")).toBe("taken over");
    writeFileSync(lock, JSON.stringify({ ...currentOwner(), pid: await deadPid() }));
    expect(await withFileLock(lock, async () => "taken over")).toBe("taken over");
    expect(readdirSync(dir)).toEqual([]);
  });

  it.runIf(processStart(process.pid) !== undefined)("a lock naming a live pid that another process started under", async () => {
    const lock = path.join(tempDir(), "x.lock");
    // This process's pid, but a start that is not this process's: the holder died and its pid was reused.
    writeFileSync(lock, JSON.stringify({ ...currentOwner(), start: "1:1" }));
    expect(await withFileLock(lock, async () => "taken over")).toBe("taken over");
  });
});

describe("withFileLock waits for a live owner", () => {
  it("names the holder, takes the lock when it is released, and writes the owner into the file", async () => {
    const lock = path.join(tempDir(), "x.lock");
    const release = await hold(lock);
    const owner = JSON.parse(readFileSync(lock, "utf8")) as LockOwner;
    expect(owner).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(owner.token).toMatch(/^[0-9a-f]{24}$/);
    const { waiting, result } = waitOn(lock, new AbortController().signal);
    expect(await waiting).toEqual(owner);
    await release();
    expect(await result).toBe("acquired");
  });

  it("an abort ends the wait at once, leaving the holder's lock in place", async () => {
    const lock = path.join(tempDir(), "x.lock");
    const release = await hold(lock);
    const held = readFileSync(lock, "utf8");
    const controller = new AbortController();
    const { waiting, result } = waitOn(lock, controller.signal);
    await waiting;
    controller.abort();
    expect(await result).toMatchObject({ name: "AbortError" });
    expect(readFileSync(lock, "utf8")).toBe(held);
    await release();
    expect(existsSync(lock)).toBe(false);
  });

  it("a fresh empty lock file is waited for (a writer may be filling it), and a stale one is not", async () => {
    const lock = path.join(tempDir(), "x.lock");
    writeFileSync(lock, "");
    const controller = new AbortController();
    // An hour's grace: however slow this machine is, the file is fresh when first looked at.
    const { waiting, result } = waitOn(lock, controller.signal, 3600_000);
    expect(await waiting).toBeUndefined();
    age(lock);
    expect(await result).toBe("acquired");
  });

  it("a lock from another host is waited for: this process cannot see whether its owner runs", async () => {
    const lock = path.join(tempDir(), "x.lock");
    writeFileSync(lock, JSON.stringify({ ...currentOwner(), host: "another-machine", pid: await deadPid() }));
    age(lock);
    const controller = new AbortController();
    const { waiting, result } = waitOn(lock, controller.signal);
    expect(await waiting).toMatchObject({ host: "another-machine" });
    controller.abort();
    expect(await result).toMatchObject({ name: "AbortError" });
    expect(existsSync(lock)).toBe(true);
  });

  it("a holder whose lock was taken over does not remove the new owner's lock", async () => {
    const lock = path.join(tempDir(), "x.lock");
    const other = JSON.stringify({ ...currentOwner(), host: "another-machine" });
    await withFileLock(lock, async () => writeFileSync(lock, other));
    expect(readFileSync(lock, "utf8")).toBe(other);
  });
});

describe("the manifest lock", () => {
  it("an empty manifest lock left by a crash does not block a change", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "manifest.json.lock"), "");
    age(path.join(dir, "manifest.json.lock"));
    await updateManifest(dir, (manifest) => manifest.models.length);
    expect(await readManifest(dir)).toEqual({ version: 1, models: [] });
    expect(readdirSync(dir)).toEqual(["manifest.json"]);
  });

  it("a change waiting on a live holder ends when its signal aborts", async () => {
    const dir = tempDir();
    const release = await hold(path.join(dir, "manifest.json.lock"));
    const controller = new AbortController();
    let waited!: () => void;
    const waiting = new Promise<void>((resolve) => (waited = resolve));
    const change = updateManifest(dir, () => "changed", { signal: controller.signal, onWait: waited }).catch((e: unknown) => e);
    await waiting;
    controller.abort();
    expect(await change).toMatchObject({ name: "AbortError" });
    await release();
  });
});
