import { describe, expect, it } from "vitest";
import { needsAllocatorRestart } from "./allocator-restart.js";

const glibc = process.platform === "linux" && typeof (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime === "string";

describe("needsAllocatorRestart", () => {
  it("never restarts another command, the daemon, or a server whose malloc settings are already chosen", () => {
    for (const args of [[], ["run", "hi"], ["-p", "serve"], ["daemon", "start"], ["serve", "--daemon"]]) expect(needsAllocatorRestart(args, {})).toBe(false);
    expect(needsAllocatorRestart(["serve"], { MALLOC_ARENA_MAX: "8" })).toBe(false);
    expect(needsAllocatorRestart(["serve"], { MALLOC_TRIM_THRESHOLD_: "0" })).toBe(false);
    expect(needsAllocatorRestart(["serve"], { WREN_ALLOCATOR_RESTARTED: "1" })).toBe(false);
  });

  it("restarts wren serve on Linux with glibc only", () => {
    expect(needsAllocatorRestart(["serve", "--port", "0"], {})).toBe(glibc);
  });
});
