import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import { z } from "zod";

/** Who holds a lock file: what it contains, as JSON. */
export const lockOwnerSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** Random per lock: the holder removes the file only while it still holds this token. */
  token: z.string().optional(),
  /**
   * The holding process's start, where the OS tells (Linux: boot time and start tick), so a pid
   * reused by another process after the holder died is not taken for the holder.
   */
  start: z.string().optional(),
  /** When the lock was taken (for people reading the file). */
  since: z.string().optional(),
  /** What the holder does under the lock, e.g. the model reference a pull downloads: others can find it by it. */
  about: z.string().optional(),
});
export type LockOwner = z.infer<typeof lockOwnerSchema>;

/**
 * A process's start as `<boot time>:<start tick>` from Linux's /proc, or undefined elsewhere (macOS,
 * Windows, the BSDs: not read, nor tested there) and for a process that is gone: there, a live pid
 * counts as the holder, the safe way to be wrong ({@link unconfirmedOwner} says `not-told`).
 */
export function processStart(pid: number): string | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTick = fields[19];
    const bootTime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1];
    return startTick && bootTime ? `${bootTime}:${startTick}` : undefined;
  } catch {
    return undefined;
  }
}

/** This process, as the owner of a new lock. */
export function currentOwner(about?: string): LockOwner {
  const start = processStart(process.pid);
  return {
    pid: process.pid,
    host: os.hostname(),
    token: randomBytes(12).toString("hex"),
    ...(start === undefined ? {} : { start }),
    since: new Date().toISOString(),
    ...(about === undefined ? {} : { about }),
  };
}

/** Whether the process has exited and waits for its parent to reap it (Linux's /proc tells; elsewhere no). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether the owner still runs: `gone` when it ran on this host and its process has exited (or its
 * pid now belongs to a process that started later); `unknown` for another host, which this process
 * cannot see.
 */
export function ownerState(owner: LockOwner): "alive" | "gone" | "unknown" {
  if (owner.host !== os.hostname()) return "unknown";
  // A zombie has exited: a container without an init may never reap it.
  if (!pidExists(owner.pid) || isZombie(owner.pid)) return "gone";
  if (owner.start !== undefined) {
    const now = processStart(owner.pid);
    if (now !== undefined && now !== owner.start) return "gone";
  }
  return "alive";
}

/**
 * Why a live owner cannot be shown to be the process that took the lock (or recorded itself, as a
 * training job's worker does): `elsewhere`, it ran on another host, which this process cannot see;
 * `not-told`, this system does not tell a process's start (no /proc: macOS, Windows), so a live pid
 * is trusted; `not-recorded`, its start was not recorded (a file an older wren wrote), so its pid
 * may since belong to another program. Undefined when its recorded start matches the process's now.
 * Only meaningful for an owner {@link ownerState} finds not gone.
 */
export function unconfirmedOwner(owner: LockOwner): "elsewhere" | "not-told" | "not-recorded" | undefined {
  if (owner.host !== os.hostname()) return "elsewhere";
  const now = processStart(owner.pid);
  if (now === undefined) return "not-told";
  return owner.start === undefined ? "not-recorded" : undefined;
}

/** The owner a lock file's text names, or undefined when it is empty or not a lock wren wrote. */
export function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = lockOwnerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
