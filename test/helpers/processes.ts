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
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return /^\d+ \(.*\) Z/.test(stat);
}

/**
 * Waits until each of `pids` is gone. Past `timeoutMs` those left are killed with SIGKILL and it
 * throws, naming them: a test never leaves processes behind, even one that fails.
 */
export async function untilGone(pids: readonly number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pids.every(processGone)) {
    if (Date.now() > deadline) {
      const left = pids.filter((pid) => !processGone(pid));
      for (const pid of left) process.kill(pid, "SIGKILL");
      throw new Error(`Processes ${left.join(", ")} were still running after ${timeoutMs / 1000} s (now killed).`);
    }
    await pause(20);
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
  try {
    const ended = await stopChild(child, "SIGKILL");
    await untilGone(pids, timeoutMs);
    return ended;
  } finally {
    for (const pid of pids.filter((p) => !processGone(p))) process.kill(pid, "SIGKILL");
  }
}
