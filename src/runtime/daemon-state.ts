import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../shared/atomic-write.js";

/** Files of the daemon in the state dir. */
export interface DaemonFiles {
  /** Exclusive lock: the daemon's {@link DaemonLock}, created atomically, held for its life. */
  pid: string;
  /** Written once listening and loaded: where it is and since when. */
  state: string;
  log: string;
  /** Why a daemon could not start, written by it before it exits, for the command that started it (see `daemon-start-error.ts`). */
  startError: string;
}

export function daemonFiles(stateDir: string): DaemonFiles {
  return { pid: path.join(stateDir, "daemon.pid"), state: path.join(stateDir, "daemon.json"), log: path.join(stateDir, "daemon.log"), startError: path.join(stateDir, "daemon-start-error.json") };
}

/**
 * What identifies a daemon: a pid alone can be reused by any process once the daemon is gone, so
 * the lock also names the daemon's loopback control port and a random secret that only the daemon
 * (and whoever can read the state dir) knows. Nothing is ever signalled on the pid's word alone.
 */
export const daemonLockSchema = z.object({
  pid: z.number().int().positive(),
  /** Hex secret of this daemon instance; it proves itself with it (see `daemon-identity.ts`). */
  token: z.string().regex(/^[0-9a-f]{64}$/),
  /** Port of the daemon's control listener on 127.0.0.1, up before the lock exists. */
  controlPort: z.number().int().min(1).max(65_535),
  startedAt: z.string(),
});
export type DaemonLock = z.infer<typeof daemonLockSchema>;

export const daemonStateSchema = z.object({
  pid: z.number().int(),
  url: z.string(),
  startedAt: z.string(),
  version: z.string().optional(),
});
export type DaemonState = z.infer<typeof daemonStateSchema>;

/** A fresh instance secret for {@link DaemonLock.token}. */
export function newDaemonToken(): string {
  return randomBytes(32).toString("hex");
}

/** The lock file as found: absent, a daemon's lock, or something else (an older wren's bare pid, garbage). */
export type LockFile = { kind: "none" } | { kind: "lock"; lock: DaemonLock; text: string } | { kind: "unknown"; pid: number | undefined; text: string };

export async function readLock(files: DaemonFiles): Promise<LockFile> {
  const text = await readFile(files.pid, "utf8").catch(() => undefined);
  if (text === undefined) return { kind: "none" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = daemonLockSchema.safeParse(json);
  if (parsed.success) return { kind: "lock", lock: parsed.data, text };
  const pid = Number(text.trim());
  return { kind: "unknown", pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, text };
}

/** Errors of `link()` on file systems without hard links (some network and FAT volumes). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "ENOSYS", "EOPNOTSUPP", "EXDEV"]);

/**
 * Removes the daemon's files if the lock still reads `text` (what the caller judged stale). The lock
 * is first moved aside in one step and checked there: a check followed by a delete could delete a
 * lock that a new daemon took in between, letting a second one start. A lock moved aside by mistake
 * is put back.
 */
export async function removeLockIfUnchanged(files: DaemonFiles, text: string): Promise<void> {
  const aside = `${files.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(files.pid, aside);
  } catch {
    return; // Gone already.
  }
  try {
    const taken = await readFile(aside, "utf8").catch(() => undefined);
    if (taken === text) {
      await rm(files.state, { force: true });
      return;
    }
    // Never over a lock taken meanwhile: that one stands.
    await link(aside, files.pid).catch(async (error: NodeJS.ErrnoException) => {
      if (taken !== undefined && NO_HARD_LINKS.has(error.code ?? "")) await writeFile(files.pid, taken, { flag: "wx", mode: 0o600 }).catch(() => undefined);
    });
  } finally {
    await rm(aside, { force: true });
  }
}

/**
 * Creates the lock file with its content in one step: written to a private temporary file, then
 * hard-linked into place, which fails if the lock exists. A reader never sees a half-written lock
 * (which it could mistake for a stale one). Where the file system has no hard links, an exclusive
 * create followed by one write is the fallback. False when the lock exists.
 */
export async function createLock(files: DaemonFiles, lock: DaemonLock): Promise<boolean> {
  await mkdir(path.dirname(files.pid), { recursive: true });
  const text = `${JSON.stringify(lock)}\n`;
  const tmp = `${files.pid}.${lock.pid}.${randomBytes(4).toString("hex")}.tmp`;
  // 0600: the token is the daemon's proof of identity and its shutdown key.
  await writeFile(tmp, text, { mode: 0o600 });
  try {
    await link(tmp, files.pid);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
  } finally {
    await rm(tmp, { force: true });
  }
  try {
    const handle = await open(files.pid, "wx", 0o600);
    await handle.writeFile(text);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Publishes the daemon's state in one step (shared/atomic-write.ts): a reader sees the old state or the new, never half of one. */
export async function writeState(files: DaemonFiles, state: DaemonState): Promise<void> {
  await writeFileAtomic(files.state, `${JSON.stringify(state, null, 2)}\n`);
}

/** The state the daemon with this pid published, if it has (it does once its first model is loaded). */
export async function readState(files: DaemonFiles, pid: number): Promise<DaemonState | undefined> {
  const text = await readFile(files.state, "utf8").catch(() => undefined);
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = daemonStateSchema.safeParse(json);
  return parsed.success && parsed.data.pid === pid ? parsed.data : undefined;
}

/** Removes the daemon's files if the lock is still this daemon's. */
export async function releaseLock(files: DaemonFiles, token: string): Promise<void> {
  const found = await readLock(files);
  if (found.kind === "lock" && found.lock.token === token) await removeLockIfUnchanged(files, found.text);
}
