import { setTimeout as sleep } from "node:timers/promises";
import { WrenError } from "../shared/errors.js";
import { resolvePaths } from "../shared/paths.js";
import type { DaemonOptions } from "./daemon.js";
import { confirmDaemon, requestShutdown } from "./daemon-identity.js";
import { inspectDaemon, type StaleDaemonFiles } from "./daemon-inspect.js";
import { processAlive } from "../models/lock-owner.js";
import { daemonFiles, readLock, removeLockIfUnchanged, type DaemonFiles, type DaemonLock } from "./daemon-state.js";

/** What {@link stopDaemon} did. */
export type StopResult =
  | { outcome: "stopped"; pid: number }
  | { outcome: "not-running" }
  /**
   * The files named no confirmed daemon: they were removed, and the process they named left alone;
   * `exited`: there was none, the daemon had exited and left them behind (see `StaleDaemonFiles`).
   */
  | ({ outcome: "stale" } & StaleDaemonFiles);

/** True while the lock is still this daemon's (it gives the lock back as the last step of shutting down). */
async function holdsLock(files: DaemonFiles, lock: DaemonLock): Promise<boolean> {
  const found = await readLock(files);
  return found.kind === "lock" && found.lock.token === lock.token;
}

async function waitUntil(done: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(100);
  }
  return done();
}

/**
 * Stops the daemon. Its identity is confirmed first (see `daemon-identity.ts`); it is then asked to
 * shut down over its control listener, and waited for until it gives its lock back. Signals are a
 * fallback for a confirmed daemon that does not finish (SIGTERM, then SIGKILL), each sent only
 * after confirming again. Files naming anything else are removed, and that process is never touched.
 * With `only`, stops that daemon instance alone: "not-running" when another one holds the lock now.
 */
export async function stopDaemon(options: DaemonOptions = {}, only?: DaemonLock): Promise<StopResult> {
  const files = daemonFiles(resolvePaths(options.env ?? process.env).stateDir);
  const found = await inspectDaemon(files);
  // `only`: that daemon, if it still runs; another one (started since by someone else) is not touched.
  if (found.kind === "none" || (only && found.kind === "running" && found.lock.token !== only.token)) return { outcome: "not-running" };
  if (found.kind === "stale") return { outcome: "stale", pid: found.pid, exited: found.exited };
  const { lock } = found;
  const released = (): Promise<boolean> => holdsLock(files, lock).then((held) => !held);
  // A daemon still loading its model handles the request once loaded; a model pull can outlast the wait.
  if ((await requestShutdown(lock)) && (await waitUntil(released, options.stopTimeoutMs ?? 30_000))) {
    // The lock is given back just before the process ends; wait for that, without ever signalling.
    await waitUntil(() => !processAlive(lock.pid), 10_000);
    return { outcome: "stopped", pid: lock.pid };
  }
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    if (await released()) return { outcome: "stopped", pid: lock.pid };
    if (!(await confirmDaemon(lock))) break;
    try {
      process.kill(lock.pid, signal);
    } catch {
      // Gone between the check and the signal.
    }
    if (await waitUntil(async () => (await released()) || !(await confirmDaemon(lock, 2000)), 10_000)) {
      const text = await readLock(files);
      if (text.kind === "lock" && text.lock.token === lock.token) await removeLockIfUnchanged(files, text.text);
      return { outcome: "stopped", pid: lock.pid };
    }
  }
  throw new WrenError("internal", `The wren daemon (pid ${lock.pid}) did not stop.`, {
    hint: `See its log: ${files.log} (\`wren daemon logs\`). If it is stuck, end pid ${lock.pid} with your system's tools.`,
  });
}
