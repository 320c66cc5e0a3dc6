import os from "node:os";
import path from "node:path";
import { tryFileLock, type HeldFileLock, type LockOwner } from "../models/file-lock.js";
import { WrenError } from "../shared/errors.js";
import { onSessionDisk } from "./transcript.js";

/** `<dir>/<id>.lock`, next to the transcript `<dir>/<id>.jsonl`. */
export function sessionLockFile(transcript: string): string {
  return transcript.replace(/\.jsonl$/, ".lock");
}

/**
 * An exclusive hold on one session while a run works in it, across processes: a lock file next to
 * the transcript, taken as the model store's locks are (`models/file-lock.ts`). A second run on
 * the session fails at once rather than waiting (two runs would interleave their turns in one
 * transcript); a lock whose process has gone is taken over.
 */
export class SessionLock implements Disposable {
  private constructor(private readonly lock: HeldFileLock) {}

  get file(): string {
    return this.lock.file;
  }

  /** Takes the lock of session `id` (transcript `transcript`), or throws saying who holds it. */
  static acquire(transcript: string, id: string): SessionLock {
    const dir = path.dirname(transcript);
    const attempt = onSessionDisk("write", `the sessions folder ${dir}`, dir, () => tryFileLock(sessionLockFile(transcript)));
    if ("held" in attempt) return new SessionLock(attempt.held);
    throw inUse(id, attempt.holder);
  }

  /** Removes the lock file if it is still this run's. */
  release(): void {
    this.lock.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

function inUse(id: string, owner: LockOwner | undefined): WrenError {
  const who = owner ? ` (pid ${owner.pid}${owner.host === os.hostname() ? "" : ` on ${owner.host}`})` : "";
  return new WrenError("not_ready", `Session ${id} is in use by another wren run${who}; wait for it or start a new session.`, {
    hint: "Two runs at once would mix their turns in one transcript. Run without --continue/--resume for a new session.",
  });
}
