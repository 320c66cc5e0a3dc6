import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DaemonModelLoader } from "./daemon-loader.js";
import type { ModelLoadState } from "./model-load-state.js";

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A loader whose daemon is a real child process that exits at once with status 3, as a daemon that cannot start. */
function failingLoader(): DaemonModelLoader {
  const home = mkdtempSync(path.join(os.tmpdir(), "wren-loader-"));
  homes.push(home);
  return new DaemonModelLoader({
    ref: "tiny.gguf",
    label: "tiny",
    meanwhile: "teacher",
    env: { ...process.env, WREN_HOME: home },
    command: [process.execPath, "-e", "process.stderr.write('no model here\\n'); process.exit(3)"],
  });
}

describe("DaemonModelLoader", () => {
  it("reports a daemon that cannot start as failed, with its log, and tries again when asked", async () => {
    using loader = failingLoader();
    const phases: ModelLoadState["phase"][] = [];
    loader.subscribe((state) => phases.push(state.phase));
    expect(loader.state).toEqual({ phase: "idle", model: "tiny", meanwhile: "teacher" });
    expect(loader.isReady()).toBe(false);

    await expect(loader.whenReady()).rejects.toMatchObject({ code: "model_load_failed", message: expect.stringContaining("exited during start-up (code 3)") });
    expect(loader.state.phase).toBe("failed");
    expect(loader.state.error?.hint).toContain("no model here");
    expect(phases).toEqual(["starting", "failed"]);
    expect(loader.isReady()).toBe(false);

    // A failed load is not remembered: the next turn's request starts another.
    await expect(loader.load()).rejects.toMatchObject({ code: "model_load_failed" });
    expect(phases).toEqual(["starting", "failed", "starting", "failed"]);
  }, 60_000);

  it("stops waiting for a daemon that is still starting when the session closes, leaving it to start", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-loader-"));
    homes.push(home);
    const done = path.join(home, "done");
    // A daemon that never gets ready, until the test tells it to exit (or its home is gone).
    const script = `const fs = require("node:fs"); setInterval(() => { if (fs.existsSync(${JSON.stringify(done)}) || !fs.existsSync(${JSON.stringify(home)})) process.exit(0); }, 50);`;
    const loader = new DaemonModelLoader({ ref: "tiny.gguf", label: "tiny", meanwhile: "wait", env: { ...process.env, WREN_HOME: home }, command: [process.execPath, "-e", script] });
    try {
      const starting = new Promise<void>((resolve) => loader.subscribe((state) => state.phase === "starting" && resolve()));
      const load = loader.load();
      await starting;
      loader[Symbol.dispose]();
      await expect(load).rejects.toMatchObject({ code: "aborted" });
    } finally {
      writeFileSync(done, "");
    }
  }, 60_000);

  it("gives up waiting when the turn is cancelled, and not before it asked", async () => {
    using loader = failingLoader();
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(loader.whenReady(cancelled.signal)).rejects.toMatchObject({ code: "aborted" });
    // An already-cancelled turn asks for nothing.
    expect(loader.state.phase).toBe("idle");
  });
});
