import { WrenError } from "../shared/errors.js";
import { openDaemonControl, type DaemonControl } from "./daemon-control.js";
import { inspectDaemon } from "./daemon-inspect.js";
import { createLock, releaseLock, writeState, type DaemonFiles, type DaemonLock } from "./daemon-state.js";

/** This process as the daemon: its control listener and its lock, held until {@link Daemonized.release}. */
export interface Daemonized {
  control: DaemonControl;
  /** Writes the state file (address, version) and reports the daemon ready. */
  publish(url: string, version: string): Promise<void>;
  /** Gives the lock back, then closes the control listener. */
  release(): Promise<void>;
}

/**
 * Makes this process the daemon: opens the control listener, then takes the lock. Two starters
 * racing each other end with one daemon: the loser finds the winner's lock, confirms it, and fails
 * with 409 naming it. A lock that cannot be confirmed is stale and replaced, its process untouched.
 */
export async function becomeDaemon(files: DaemonFiles): Promise<Daemonized> {
  const control = await openDaemonControl();
  const startedAt = new Date().toISOString();
  const lock: DaemonLock = { pid: control.pid, token: control.token, controlPort: control.port, startedAt };
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await createLock(files, lock)) {
        return {
          control,
          publish: async (url, version) => {
            await writeState(files, { pid: control.pid, url, startedAt, version });
            control.setPhase("ready");
          },
          release: async () => {
            control.setPhase("stopping");
            await releaseLock(files, control.token);
            await control.close();
          },
        };
      }
      const holder = await inspectDaemon(files);
      if (holder.kind === "running") {
        throw new WrenError("forbidden", `A wren daemon is already running (pid ${holder.lock.pid}${holder.state ? `, ${holder.state.url}` : ", starting"}).`, {
          hint: "Use it (`wren daemon status`), or stop it first with `wren daemon stop`.",
          status: 409,
        });
      }
    }
    throw new WrenError("internal", `Could not take the daemon lock ${files.pid}.`, { hint: "Another daemon keeps starting at the same time; run `wren daemon status`, then retry." });
  } catch (error) {
    await control.close();
    throw error;
  }
}
