import { readFileSync } from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { currentOwner, ownerState, processStart } from "./lock-owner.js";

/** Linux tells a process's start; elsewhere a live pid is trusted and there is nothing to compare. */
const linux = processStart(process.pid) !== undefined;

/** This process's start tick and the kernel's boot time as /proc/stat says it now. */
function procFacts(): { tick: string; btime: number } {
  const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
  const tick = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))![1]);
  return { tick, btime };
}

describe.runIf(linux)("a lock owner's process start (Linux)", () => {
  it("names this boot, not a time the wall clock moves: the same process gives the same start each time", () => {
    const start = processStart(process.pid)!;
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    expect(start).toBe(`${bootId}:${procFacts().tick}`);
    expect(processStart(process.pid)).toBe(start);
  });

  it("this process is alive under its own start, and gone under another process's or another boot's", () => {
    const owner = currentOwner();
    expect(ownerState(owner)).toBe("alive");
    const [boot, tick] = [owner.start!.slice(0, owner.start!.lastIndexOf(":")), owner.start!.slice(owner.start!.lastIndexOf(":") + 1)];
    // Its pid reused by a process that started later.
    expect(ownerState({ ...owner, start: `${boot}:${Number(tick) + 1}` })).toBe("gone");
    // The same pid and tick in an earlier boot.
    expect(ownerState({ ...owner, start: `00000000-0000-0000-0000-000000000000:${tick}` })).toBe("gone");
  });

  it("a start an older wren recorded as boot time and tick still matches when the clock has been stepped by a second", () => {
    // /proc/stat's btime is the wall clock less the time since boot: a clock step (NTP, a VM
    // resumed) moves it, and a live worker was taken for gone.
    const { tick, btime } = procFacts();
    const owner = { pid: process.pid, host: os.hostname() };
    for (const shift of [-1, 0, 1]) expect(ownerState({ ...owner, start: `${btime + shift}:${tick}` })).toBe("alive");
    expect(ownerState({ ...owner, start: `${btime}:${Number(tick) + 1}` })).toBe("gone");
    // Another boot altogether: days apart.
    expect(ownerState({ ...owner, start: `${btime - 3 * 86_400}:${tick}` })).toBe("gone");
  });
});
