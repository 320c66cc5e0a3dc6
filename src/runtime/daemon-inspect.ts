import { confirmDaemon, type DaemonPhase } from "./daemon-identity.js";
import { processAlive } from "../models/lock-owner.js";
import { readLock, readState, removeLockIfUnchanged, type DaemonFiles, type DaemonLock, type DaemonState } from "./daemon-state.js";

/** Stale daemon files that were removed: the pid they named, if any, and what that pid was. */
export interface StaleDaemonFiles {
  pid: number | undefined;
  /**
   * True when the pid named no process: the daemon had exited (killed, crashed) and left its files
   * behind. False for a live process that could not be confirmed as the daemon (a pid reused by
   * another program, a daemon that does not answer, an older wren's), which was left alone.
   */
  exited: boolean;
}

/** What the daemon files say, once checked against the process they name. */
export type FoundDaemon =
  | { kind: "none" }
  /** The files named a process that is not a confirmed wren daemon, or none: they were removed, the process left alone. */
  | ({ kind: "stale" } & StaleDaemonFiles)
  | { kind: "running"; lock: DaemonLock; phase: DaemonPhase; state: DaemonState | undefined };

/**
 * The daemon named by the lock, confirmed through its control listener. Anything that cannot be
 * confirmed (a dead pid, a pid reused by another program, a lock from an older wren) is stale: the
 * files are removed so a new daemon can start, and the process is never touched.
 */
export async function inspectDaemon(files: DaemonFiles): Promise<FoundDaemon> {
  const found = await readLock(files);
  if (found.kind === "none") return { kind: "none" };
  if (found.kind === "lock") {
    const phase = await confirmDaemon(found.lock);
    if (phase) return { kind: "running", lock: found.lock, phase, state: await readState(files, found.lock.pid) };
  }
  const pid = found.kind === "lock" ? found.lock.pid : found.pid;
  const exited = pid !== undefined && !processAlive(pid);
  await removeLockIfUnchanged(files, found.text);
  return { kind: "stale", pid, exited };
}
