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
   * The holding process's start, where the OS tells (Linux: the boot and the start tick), so a pid
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
 * A process's start as `<boot id>:<start tick>` from Linux's /proc, or undefined elsewhere (macOS,
 * Windows, the BSDs: not read, nor tested there) and for a process that is gone: there, a live pid
 * counts as the holder, the safe way to be wrong ({@link unconfirmedOwner} says `not-told`). The
 * boot is named by the kernel's random id of this boot, which never changes while the machine
 * runs; /proc/stat's `btime` (which an older wren recorded, and which stands in where the id cannot
 * be read) is the wall clock less the time since boot, so a stepped clock moves it.
 */
export function processStart(pid: number): string | undefined {
  if (process.platform !== "linux") return undefined;
  const tick = startTick(pid);
  const boot = bootId() ?? bootTime();
  return tick !== undefined && boot !== undefined ? `${boot}:${tick}` : undefined;
}

/** The clock ticks after boot at which the process started (field 22 of /proc/PID/stat). */
function startTick(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] || undefined;
  } catch {
    return undefined;
  }
}

let bootIdRead: { id: string | undefined } | undefined;
/** The kernel's id of this boot, read once: it cannot change while this process lives. */
function bootId(): string | undefined {
  if (!bootIdRead) {
    let id: string | undefined;
    try {
      id = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
    } catch {
      id = undefined;
    }
    bootIdRead = { id };
  }
  return bootIdRead.id;
}

function bootTime(): string | undefined {
  try {
    return /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * How far a recorded `btime` may be from today's and still name this boot: a clock stepped by NTP
 * or a resumed virtual machine moves it by seconds or minutes; another boot is at least the time a
 * machine takes to restart and mostly far more.
 */
const BTIME_SLACK_S = 120;

/** Whether `recorded` (a {@link processStart}) is the start of the process that has `pid` now; undefined where this system does not tell. */
function sameStart(recorded: string, pid: number): boolean | undefined {
  const now = processStart(pid);
  if (now === undefined) return undefined;
  if (recorded === now) return true;
  // A boot time, not an id (an older wren's record, or no boot id here): compared loosely.
  const byTime = /^(\d+):(\d+)$/.exec(recorded);
  const btime = byTime ? bootTime() : undefined;
  if (!byTime || btime === undefined) return false;
  return byTime[2] === now.slice(now.lastIndexOf(":") + 1) && Math.abs(Number(byTime[1]) - Number(btime)) <= BTIME_SLACK_S;
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

/**
 * True when a process with this pid runs (signal 0 probes without touching it; EPERM: it runs, as
 * another user's). One that has exited but is not yet reaped by its parent (a zombie, on Linux: a
 * container without an init may never reap it) does not: it ran its last.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !exited(pid);
}

/** Linux's state of the process (`/proc/PID/stat`, after the command's name) is Z or X; false where it cannot be read. */
function exited(pid: number): boolean {
  if (process.platform !== "linux") return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return false;
  }
}

/**
 * Whether the owner still runs: `gone` when it ran on this host and its process has exited (or its
 * pid now belongs to a process that started later); `unknown` for another host, which this process
 * cannot see.
 */
export function ownerState(owner: LockOwner): "alive" | "gone" | "unknown" {
  if (owner.host !== os.hostname()) return "unknown";
  if (!processAlive(owner.pid)) return "gone";
  if (owner.start !== undefined && sameStart(owner.start, owner.pid) === false) return "gone";
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
