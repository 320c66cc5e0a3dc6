import { confirmDaemon, type DaemonPhase } from "./daemon-identity.js";
import { readLock, readState, removeLockIfUnchanged, type DaemonFiles, type DaemonLock, type DaemonState } from "./daemon-state.js";

/** What the daemon files say, once checked against the process they name. */
export type FoundDaemon =
  | { kind: "none" }
  /** The files named a process that is not a confirmed wren daemon: they were removed, the process left alone. */
  | { kind: "stale"; pid: number | undefined }
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
  await removeLockIfUnchanged(files, found.text);
  return { kind: "stale", pid: found.kind === "lock" ? found.lock.pid : found.pid };
}
