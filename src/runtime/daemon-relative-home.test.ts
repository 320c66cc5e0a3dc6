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
    // A home whose path relative to this folder names another place from its state folder, where
    // the daemon runs (from some folders the two readings meet: a deeper home parts them).
    let home = env["WREN_HOME"] ?? "";
    while (path.resolve(home, "state", path.relative(process.cwd(), home)) === home) home = path.join(home, "h");
    const relative = { ...env, WREN_HOME: path.relative(process.cwd(), home) };
    expect(path.isAbsolute(relative.WREN_HOME)).toBe(false);
    const started = await startDaemon({ env: relative, command: standInDaemonCommand, startTimeoutMs: 30_000 });
    expect(started.alreadyRunning).toBe(false);
    expect(existsSync(filesFor({ WREN_HOME: home }).state)).toBe(true);
    expect((await daemonStatus({ env: relative })).running).toBe(true);
    // Nothing of the daemon's where the relative path leads from its state folder.
    expect(existsSync(path.resolve(home, "state", relative.WREN_HOME))).toBe(false);
    await stopDaemon({ env: relative });
    expect((await daemonStatus({ env: { WREN_HOME: home } })).running).toBe(false);
  }, 60_000);
});
