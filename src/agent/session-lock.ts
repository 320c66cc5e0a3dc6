import { closeSync, linkSync, lstatSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import { currentOwner, ownerState, parseOwner, type LockOwner } from "../models/lock-owner.js";
import { WrenError } from "../shared/errors.js";

/**
 * How old an empty or unreadable lock file must be before it is taken over: a writer on a file
 * system without hard links creates the file first and fills it just after.
 */
const UNREADABLE_GRACE_MS = 2000;

/** `<dir>/<id>.lock`, next to the transcript `<dir>/<id>.jsonl`. */
export function sessionLockFile(transcript: string): string {
  return transcript.replace(/\.jsonl$/, ".lock");
}

/** Creates the lock file filled, in one step where the file system has hard links. False when it exists. */
function tryCreate(file: string, text: string, token: string): boolean {
  const filled = `${file}.${token}.tmp`;
  writeFileSync(filled, text, { mode: 0o600 });
  try {
    linkSync(filled, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
  } finally {
    rmSync(filled, { force: true });
  }
  // No hard links here (some network and FAT volumes): create exclusively, then fill.
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

type Seen = { kind: "gone" } | { kind: "held"; owner: LockOwner | undefined } | { kind: "stale"; ino: number; mtimeMs: number; size: number };

function examine(file: string): Seen {
  let stats;
  let text: string | undefined;
  try {
    stats = lstatSync(file);
    text = readFileSync(file, "utf8");
  } catch {
    return { kind: "gone" };
  }
  const stale = { kind: "stale", ino: stats.ino, mtimeMs: stats.mtimeMs, size: stats.size } as const;
  const owner = parseOwner(text);
  if (owner === undefined) return Date.now() - stats.mtimeMs >= UNREADABLE_GRACE_MS ? stale : { kind: "held", owner: undefined };
  return ownerState(owner) === "gone" ? stale : { kind: "held", owner };
}

/**
 * An exclusive hold on one session while a run works in it, across processes: a lock file next to
 * the transcript naming its owner, in the same format as the model store's locks
 * (`models/lock-owner.ts`). A second run on the session fails at once rather than waiting (two
 * runs would interleave their turns in one transcript); a lock whose process has gone is taken over.
 */
export class SessionLock implements Disposable {
  private held = true;

  private constructor(
    readonly file: string,
    private readonly owner: LockOwner,
  ) {}

  /** Takes the lock of session `id` (transcript `transcript`), or throws saying who holds it. */
  static acquire(transcript: string, id: string): SessionLock {
    const file = sessionLockFile(transcript);
    const owner = currentOwner();
    const text = JSON.stringify(owner);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(file, text, owner.token ?? String(process.pid))) return new SessionLock(file, owner);
      const seen = examine(file);
      if (seen.kind === "held") throw inUse(id, seen.owner);
      if (seen.kind === "stale") {
        // Only the lock as judged: another run may have taken it over since.
        const now = lstatSafe(file);
        if (now && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.size === seen.size) rmSync(file, { force: true });
      }
    }
    throw inUse(id, undefined);
  }

  /** Removes the lock file if it is still this run's. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    let text: string | undefined;
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return;
    }
    if (parseOwner(text)?.token === this.owner.token) rmSync(this.file, { force: true });
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

function lstatSafe(file: string): { ino: number; mtimeMs: number; size: number } | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function inUse(id: string, owner: LockOwner | undefined): WrenError {
  const who = owner ? ` (pid ${owner.pid}${owner.host === os.hostname() ? "" : ` on ${owner.host}`})` : "";
  return new WrenError("not_ready", `Session ${id} is in use by another wren run${who}; wait for it or start a new session.`, {
    hint: "Two runs at once would mix their turns in one transcript. Run without --continue/--resume for a new session.",
  });
}
