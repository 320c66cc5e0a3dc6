import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { untilGone } from "../../test/helpers/processes.js";
import { ProcessWatchdog } from "./process-watchdog.js";

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const FILES = 3000;

describe.runIf(process.platform !== "win32")("ProcessWatchdog", () => {
  it("removes its folder only once the groups it stopped have ended: a shell's exit trap still writing there does not keep it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-watchdog-"));
    try {
      // A folder that takes rm a while, and a shell whose exit trap (run on SIGTERM, as the session
      // shell's saves its state) writes a file there once rm has begun on it.
      for (let i = 0; i < FILES; i++) writeFileSync(path.join(dir, `f${i}`), "");
      const trap = `n=0; while [ $n -lt 300 ]; do set -- "$D"/f*; [ $# -lt ${FILES} ] && break; n=$((n + 1)); done; : > "$D/late"`;
      const shell = spawn("bash", ["-c", `trap '${trap}' EXIT; echo up; sleep 30 & wait`], { detached: true, stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, D: dir } });
      await new Promise((resolve) => shell.stdout.once("data", resolve));
      const watchdog = ProcessWatchdog.start({ removeOnExit: dir });
      expect(watchdog).toBeDefined();
      watchdog!.watch(shell.pid!);
      // As when wren dies: the pipe closes.
      watchdog!.close();
      await untilGone([shell.pid!], 10_000);
      const deadline = Date.now() + 5_000;
      while (existsSync(dir) && Date.now() < deadline) await pause(20);
      expect(existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith("f")) : "removed").toBe("removed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
