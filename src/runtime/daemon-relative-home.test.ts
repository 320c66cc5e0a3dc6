import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHomes } from "../../test/helpers/stand-in-daemon-homes.js";
import { daemonStatus, filesFor, startDaemon, stopDaemon } from "./daemon.js";

const homes = standInHomes("wren-daemon-relative-home-");

/**
 * The daemon runs in its state folder, not its starter's: a WREN_HOME or WREN_MODELS_DIR the user
 * gave relative to the folder they ran wren in must name the same place for the daemon.
 */
describe("a daemon started with paths relative to its starter's folder", () => {
  it("keeps its state where the starter looks for it (WREN_HOME=.wren)", async () => {
    const env = homes();
    const root = env["WREN_HOME"] ?? "";
    const relative = { ...env, WREN_HOME: path.relative(process.cwd(), root) };
    expect(path.isAbsolute(relative.WREN_HOME)).toBe(false);
    const started = await startDaemon({ env: relative, command: standInDaemonCommand, startTimeoutMs: 30_000 });
    expect(started.alreadyRunning).toBe(false);
    expect(existsSync(filesFor(env).state)).toBe(true);
    expect((await daemonStatus({ env: relative })).running).toBe(true);
    // Nothing of the daemon's under its state folder's own copy of the relative path.
    expect(existsSync(path.join(root, "state", relative.WREN_HOME))).toBe(false);
    await stopDaemon({ env: relative });
    expect((await daemonStatus({ env })).running).toBe(false);
  }, 60_000);
});
