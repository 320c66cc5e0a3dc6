import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { WrenError } from "../shared/errors.js";

/** Files of the daemon in the state dir. */
export interface DaemonFiles {
  /** Exclusive PID/lock file: created with O_EXCL by the daemon, held for its life. */
  pid: string;
  /** Written once listening: where it is and since when. */
  state: string;
  log: string;
}

export function daemonFiles(stateDir: string): DaemonFiles {
  return { pid: path.join(stateDir, "daemon.pid"), state: path.join(stateDir, "daemon.json"), log: path.join(stateDir, "daemon.log") };
}

export const daemonStateSchema = z.object({
  pid: z.number().int(),
  url: z.string(),
  startedAt: z.string(),
  version: z.string().optional(),
});
export type DaemonState = z.infer<typeof daemonStateSchema>;

/** True when a process with this pid exists (signal 0 probes without touching it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  const pid = Number(text?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Takes the PID/lock file for this process so two daemons never run. A file left by a process
 * that no longer exists (a crash, a reboot) is stale and replaced.
 */
export async function claimPidFile(files: DaemonFiles, pid: number = process.pid): Promise<void> {
  await mkdir(path.dirname(files.pid), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(files.pid, "wx");
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = await readPid(files.pid);
      if (holder !== undefined && holder !== pid && processAlive(holder)) {
        throw new WrenError("forbidden", `A wren daemon is already running (pid ${holder}).`, {
          hint: "Use it (`wren daemon status`), or stop it first with `wren daemon stop`.",
          status: 409,
        });
      }
      await rm(files.pid, { force: true });
      await rm(files.state, { force: true });
    }
  }
  throw new WrenError("internal", `Could not take the daemon lock ${files.pid}.`, { hint: "Remove the file if no daemon runs, then retry." });
}

export async function writeState(files: DaemonFiles, state: DaemonState): Promise<void> {
  const tmp = `${files.state}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  const { rename } = await import("node:fs/promises");
  await rename(tmp, files.state);
}

/** The running daemon's state, or undefined when none runs (stale files are cleaned up). */
export async function readLiveState(files: DaemonFiles): Promise<DaemonState | undefined> {
  const pid = await readPid(files.pid);
  if (pid === undefined || !processAlive(pid)) {
    if (pid !== undefined) {
      await rm(files.pid, { force: true });
      await rm(files.state, { force: true });
    }
    return undefined;
  }
  const text = await readFile(files.state, "utf8").catch(() => undefined);
  if (!text) return undefined;
  const parsed = daemonStateSchema.safeParse(JSON.parse(text) as unknown);
  return parsed.success && parsed.data.pid === pid ? parsed.data : undefined;
}

/** Removes the daemon's files if they still belong to this process. */
export async function releasePidFile(files: DaemonFiles, pid: number = process.pid): Promise<void> {
  if ((await readPid(files.pid)) === pid) {
    await rm(files.state, { force: true });
    await rm(files.pid, { force: true });
  }
}
