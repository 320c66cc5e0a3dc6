import { link, lstat, mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { currentOwner, ownerState, parseOwner, type LockOwner } from "./lock-owner.js";

export type { LockOwner } from "./lock-owner.js";

export interface FileLockOptions {
  /** Called once when another process holds the lock and this one starts waiting (`undefined`: the file does not say who). */
  onWait?: (holder: LockOwner | undefined) => void;
  /** Polling interval while waiting, in ms. Default 100. */
  pollMs?: number;
  /** Ends the wait (rejecting with the signal's reason); a lock already taken is released as usual. */
  signal?: AbortSignal | undefined;
  /**
   * How old an empty or unreadable lock file must be before it is taken over, in ms. Default 2000:
   * a writer on a file system without hard links creates the file first and fills it just after.
   */
  unreadableGraceMs?: number;
}

/**
 * Creates the lock file with its content in one step, by hard-linking `filled` (a temp file with
 * the content) to the lock's name: readers never see it empty.
 */
async function tryCreate(lockPath: string, filled: string, content: string): Promise<boolean> {
  try {
    await link(filled, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    // No hard links here (some network and FAT file systems): create, then fill.
    return await createThenFill(lockPath, content);
  }
}

async function createThenFill(lockPath: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

type Seen =
  | { kind: "gone" }
  | { kind: "held"; owner: LockOwner | undefined }
  | { kind: "stale"; ino: number; mtimeMs: number; size: number };

/** What is at the lock path now, and whether its owner has gone. */
async function examine(lockPath: string, graceMs: number): Promise<Seen> {
  let stats;
  let text: string | undefined;
  try {
    stats = await lstat(lockPath);
    text = await readFile(lockPath, "utf8").catch(() => undefined);
  } catch {
    return { kind: "gone" };
  }
  const stale = { kind: "stale", ino: stats.ino, mtimeMs: stats.mtimeMs, size: stats.size } as const;
  const owner = text === undefined ? undefined : parseOwner(text);
  if (owner === undefined) {
    // Empty or unreadable: a crash between creating and filling it, unless that is happening now.
    return Date.now() - stats.mtimeMs >= graceMs ? stale : { kind: "held", owner: undefined };
  }
  return ownerState(owner) === "gone" ? stale : { kind: "held", owner };
}

/** Removes a stale lock unless it changed since it was judged (another process took it over first). */
async function removeIfUnchanged(lockPath: string, seen: Extract<Seen, { kind: "stale" }>): Promise<void> {
  const now = await lstat(lockPath).catch(() => undefined);
  if (now && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.size === seen.size) await rm(lockPath, { force: true });
}

/** Removes the lock if it is still this holder's (it may have been judged stale and taken over). */
async function release(lockPath: string, owner: LockOwner): Promise<void> {
  const text = await readFile(lockPath, "utf8").catch(() => undefined);
  if (text !== undefined && parseOwner(text)?.token === owner.token) await rm(lockPath, { force: true });
}

/**
 * Runs `fn` while holding an exclusive lock file, across processes. The file names its owner (pid,
 * host, a random token and, where the OS tells, the process's start), so a lock is taken over when
 * its owner has exited on this host (also when its pid was reused since), or when the file is
 * empty or unreadable for longer than `unreadableGraceMs` (a crash between creating and filling
 * it). A lock held by a live process, or by another host, is waited for until `signal` aborts.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  await mkdir(path.dirname(lockPath), { recursive: true });
  const owner = currentOwner();
  const graceMs = options.unreadableGraceMs ?? 2000;
  const content = JSON.stringify(owner);
  const filled = `${lockPath}.${owner.token}.tmp`;
  await writeFile(filled, content);
  let waited = false;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      if (await tryCreate(lockPath, filled, content)) break;
      const seen = await examine(lockPath, graceMs);
      if (seen.kind === "stale") await removeIfUnchanged(lockPath, seen);
      if (seen.kind !== "held") continue;
      if (!waited) {
        waited = true;
        options.onWait?.(seen.owner);
      }
      await sleep(options.pollMs ?? 100, undefined, options.signal ? { signal: options.signal } : undefined);
    }
  } finally {
    await rm(filled, { force: true });
  }
  try {
    return await fn();
  } finally {
    await release(lockPath, owner);
  }
}
