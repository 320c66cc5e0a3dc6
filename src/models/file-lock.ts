import { mkdir, open, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface FileLockOptions {
  /** Called once when another process holds the lock and this one starts waiting. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Polling interval while waiting, in ms. Default 100. */
  pollMs?: number;
  signal?: AbortSignal;
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string") {
      return { pid: value.pid, host: value.host, since: String(value.since) };
    }
  } catch {
    // Being written right now, or gone: treat as held and look again.
  }
  return undefined;
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, so it works across processes).
 * A lock left by a process that died on this host is taken over.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  await mkdir(path.dirname(lockPath), { recursive: true });
  let waited = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(lockPath, "wx");
      try {
        const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
        await handle.writeFile(JSON.stringify(holder));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(lockPath);
    if (holder && holder.host === os.hostname() && !isAlive(holder.pid)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (!waited) {
      waited = true;
      options.onWait?.(holder);
    }
    await sleep(options.pollMs ?? 100, undefined, options.signal ? { signal: options.signal } : undefined);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}
