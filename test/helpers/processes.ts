import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How a child process ended: its exit code, or the signal that ended it. */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Whether a process is gone: not there, or a zombie (ended, waiting for a parent that may never
 * reap it in a container).
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    // Reaped between the two looks.
    return true;
  }
}

/**
 * Waits until each of `pids` is gone. Past `timeoutMs` those left are killed with SIGKILL and it
 * throws, naming them: a test never leaves processes behind, even one that fails.
 */
export async function untilGone(pids: readonly number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // One seen gone is not looked at again: the system may give its number to a new process.
  let left = pids.filter((pid) => !processGone(pid));
  while (left.length > 0) {
    if (Date.now() > deadline) {
      for (const pid of left) killIfThere(pid);
      throw new Error(`Processes ${left.join(", ")} were still running after ${timeoutMs / 1000} s (now killed).`);
    }
    await pause(20);
    left = left.filter((pid) => !processGone(pid));
  }
}

function killIfThere(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone meanwhile.
  }
}

/**
 * Ends `child` with `signal` (SIGTERM: a server shuts down cleanly) unless it has ended already,
 * and waits for it to exit: how it did.
 */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<Ended> {
  if (!child) return { code: null, signal: null };
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const exited = new Promise<Ended>((resolve) => child.once("exit", (code, how) => resolve({ code, signal: how })));
  child.kill(signal);
  return exited;
}

/**
 * Kills `child` with SIGKILL (it gets no say), waits for it to exit, then for `pids`, processes
 * it started, to be gone by its own doing (its watchdog, their stdin closing): how it ended. Those
 * still running when this gives up (see {@link untilGone}), or when anything before fails, are
 * killed.
 */
export async function killAndAwaitGone(child: ChildProcess, pids: readonly number[], timeoutMs?: number): Promise<Ended> {
  let gone = false;
  try {
    const ended = await stopChild(child, "SIGKILL");
    await untilGone(pids, timeoutMs);
    gone = true;
    return ended;
  } finally {
    // Not once all were seen gone: their numbers may be another process's by now.
    if (!gone) for (const pid of pids.filter((p) => !processGone(p))) killIfThere(pid);
  }
}
