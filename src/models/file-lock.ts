import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { currentOwner, ownerState, parseOwner, type LockOwner } from "./lock-owner.js";

export type { LockOwner } from "./lock-owner.js";

/** How old an empty or unreadable lock file must be before it is taken over, by default. */
const UNREADABLE_GRACE_MS = 2000;

export interface TryFileLockOptions {
  /**
   * How old an empty or unreadable lock file must be before it is taken over, in ms. Default 2000:
   * a writer on a file system without hard links creates the file first and fills it just after.
   */
  unreadableGraceMs?: number;
  /** What the holder does under the lock, written into the lock file (`LockOwner.about`) for {@link heldLocks} to find. */
  about?: string;
}

export interface FileLockOptions extends TryFileLockOptions {
  /** Called once when another process holds the lock and this one starts waiting (`undefined`: the file does not say who). */
  onWait?: (holder: LockOwner | undefined) => void;
  /** Polling interval while waiting, in ms. Default 100. */
  pollMs?: number;
  /** Ends the wait (rejecting with the signal's reason); a lock already taken is released as usual. */
  signal?: AbortSignal | undefined;
}

/** A lock file this process holds: `release()` (or disposing it) removes it if it is still this holder's. */
export interface HeldFileLock extends Disposable {
  readonly file: string;
  release(): void;
}

/**
 * Creates the lock file with its content in one step, by hard-linking `filled` (a temp file with
 * the content) to the lock's name: readers never see it empty.
 */
function tryCreate(lockPath: string, filled: string, content: string): boolean {
  try {
    linkSync(filled, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    // No hard links here (some network and FAT file systems): create, then fill.
    return createThenFill(lockPath, content);
  }
}

function createThenFill(lockPath: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

type Seen =
  | { kind: "gone" }
  | { kind: "held"; owner: LockOwner | undefined }
  | { kind: "stale"; ino: number; mtimeMs: number; size: number };

/** What is at the lock path now, and whether its owner has gone. */
function examine(lockPath: string, graceMs: number): Seen {
  let stats;
  try {
    stats = lstatSync(lockPath);
  } catch {
    return { kind: "gone" };
  }
  let text: string | undefined;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch {
    text = undefined;
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
function removeIfUnchanged(lockPath: string, seen: Extract<Seen, { kind: "stale" }>): void {
  let now;
  try {
    now = lstatSync(lockPath);
  } catch {
    return;
  }
  if (now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.size === seen.size) rmSync(lockPath, { force: true });
}

/** The lock at `lockPath`, held by `owner`: released only while the file is still theirs (it may have been judged stale and taken over). */
function heldLock(lockPath: string, owner: LockOwner): HeldFileLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    let text: string | undefined;
    try {
      text = readFileSync(lockPath, "utf8");
    } catch {
      return;
    }
    if (parseOwner(text)?.token === owner.token) rmSync(lockPath, { force: true });
  };
  return { file: lockPath, release, [Symbol.dispose]: release };
}

/**
 * One try at an exclusive lock file, across processes, without waiting: the lock (held), or who
 * holds it now. The file names its owner (pid, host, a random token and, where the OS tells, the
 * process's start), so a lock is taken over when its owner has exited on this host (also when its
 * pid was reused since), or when the file is empty or unreadable for longer than
 * `unreadableGraceMs` (a crash between creating and filling it). Synchronous: a lock file is a few
 * bytes, and callers that must not wait (a session opened while another run holds it) fail at once.
 */
export function tryFileLock(lockPath: string, options: TryFileLockOptions = {}): { held: HeldFileLock } | { holder: LockOwner | undefined } {
  mkdirSync(path.dirname(lockPath), { recursive: true });
  const owner = currentOwner(options.about);
  const graceMs = options.unreadableGraceMs ?? UNREADABLE_GRACE_MS;
  const content = JSON.stringify(owner);
  const filled = `${lockPath}.${owner.token}.tmp`;
  writeFileSync(filled, content, { mode: 0o600 });
  try {
    // A stale lock removed, the next try takes it, unless another process was quicker.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(lockPath, filled, content)) return { held: heldLock(lockPath, owner) };
      const seen = examine(lockPath, graceMs);
      if (seen.kind === "held") return { holder: seen.owner };
      if (seen.kind === "stale") removeIfUnchanged(lockPath, seen);
    }
    return { holder: undefined };
  } finally {
    rmSync(filled, { force: true });
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (see {@link tryFileLock}). A lock held by a live
 * process, or by another host, is waited for until `signal` aborts.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  let waited = false;
  let lock: HeldFileLock;
  for (;;) {
    options.signal?.throwIfAborted();
    const attempt = tryFileLock(lockPath, options);
    if ("held" in attempt) {
      lock = attempt.held;
      break;
    }
    if (!waited) {
      waited = true;
      options.onWait?.(attempt.holder);
    }
    await sleep(options.pollMs ?? 100, undefined, options.signal ? { signal: options.signal } : undefined);
  }
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/**
 * The lock files (`*.lock`) in `dir` held now, with their owners: a lock whose owner has exited on
 * this host, or whose file does not name an owner, is left out.
 */
export function heldLocks(dir: string): { file: string; owner: LockOwner }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".lock"));
  } catch {
    return [];
  }
  const held: { file: string; owner: LockOwner }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const owner = parseOwner(text);
    if (owner && ownerState(owner) !== "gone") held.push({ file, owner });
  }
  return held;
}
