import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { standInDaemonCommand, standInHomes, wrenFromSources } from "../../test/helpers/stand-in-daemon-homes.js";
import { startDaemon } from "./daemon.js";
import { openDaemonModel, refsNotServed } from "./daemon-model.js";
import { unappliedStartFlags } from "./daemon-start-flags.js";

/** The daemon's stand-in: it ignores the flags it is started with. */
const command = standInDaemonCommand;
const home = standInHomes("wren-daemon-flags-");
const wren = wrenFromSources;

describe("flags that only matter when the daemon starts", () => {
  it("are named when a running daemon was used instead, and not when it was started with them", async () => {
    const env = home();
    const serveArgs = ["--gpu", "off", "--threads", "2", "--context", "512", "--offline"];
    const started = await openDaemonModel({ serveArgs, env, command });
    expect(started.unappliedFlags).toEqual([]);
    const reused = await openDaemonModel({ serveArgs, env, command });
    expect(reused.url).toBe(started.url);
    expect(reused.unappliedFlags).toEqual(["--gpu", "--threads", "--context"]);
  }, 120_000);

  it("take a --model GGUF file the daemon serves under another name (an alias's) as served", async () => {
    const env = home();
    const file = path.join(env["WREN_HOME"] ?? "", "models", "tiny-q8.gguf");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "GGUF");
    const { state } = await startDaemon({ env: { ...env, WREN_STAND_IN_MODELS: "small", WREN_STAND_IN_FILES: JSON.stringify({ small: file }) }, command, startTimeoutMs: 60_000 });
    const other = path.join(path.dirname(file), "other.gguf");
    expect(await refsNotServed(state, [file, other, "small"], env)).toEqual([other]);
  }, 120_000);

  it("name --port and --host only when the daemon listens elsewhere", () => {
    const url = "http://127.0.0.1:11434";
    expect(unappliedStartFlags(["--port", "11434", "--host", "127.0.0.1"], url)).toEqual([]);
    expect(unappliedStartFlags(["--port", "0", "--host", "localhost"], url)).toEqual([]);
    expect(unappliedStartFlags(["--port", "8080", "--host", "0.0.0.0", "--advertise"], url)).toEqual(["--port", "--host", "--advertise"]);
    expect(unappliedStartFlags(["--host", "::1"], "http://[::1]:11434")).toEqual([]);
  });

  it("wren run --daemon and wren daemon start say which of theirs had no effect, and what to do", async () => {
    const env = home();
    const { state } = await startDaemon({ env, command, startTimeoutMs: 60_000 });
    const run = await wren(["run", "--daemon", "--context", "512", "--threads", "2", "say hello"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Hello from the stand-in.");
    expect(run.stderr).toContain(`the wren daemon (pid ${state.pid}) was already running, so --threads and --context had no effect`);
    expect(run.stderr).toContain("wren daemon stop");

    const start = await wren(["daemon", "start", "--port", "1", "--host", "0.0.0.0"], env);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`wren daemon already running: pid ${state.pid}, ${state.url}`);
    expect(start.stderr).toContain("--port and --host had no effect");
    const port = new URL(state.url).port;
    // A model the daemon serves already, on the port it listens on: nothing to say.
    const same = await wren(["daemon", "start", "--port", port, "--model", "stand-in"], env);
    expect(same.stderr).not.toContain("had no effect");
    const other = await wren(["daemon", "start", "--model", "stand-in", "--model", "another-model"], env);
    expect(other.stderr).toContain(`the wren daemon (pid ${state.pid}) was already running, so --model another-model had no effect`);
  }, 120_000);
});
