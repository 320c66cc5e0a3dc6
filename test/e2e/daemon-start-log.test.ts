import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaemon } from "../../src/runtime/daemon.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { cliPath } from "../helpers/cli.js";

/** A daemon that fails to start is explained by its own log lines, not an earlier daemon's. */
describe("wren daemon start failure", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-daemon-log-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("shows only this start's lines", async () => {
    const env = { ...process.env, WREN_HOME: home, WREN_ENGINE_GPU: "cpu" };
    const files = daemonFiles(resolvePaths(env).stateDir);
    await mkdir(path.dirname(files.log), { recursive: true });
    const earlier = '{"level":30,"time":1,"pid":424242,"msg":"listening","url":"http://127.0.0.1:49999"}\nwren: serving earlier-model on http://127.0.0.1:49999\n';
    await writeFile(files.log, earlier);
    const missing = path.join(home, "missing.gguf");
    const error = await startDaemon({ env, command: [process.execPath, cliPath], serveArgs: ["--model", missing, "--port", "0"], startTimeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e as { message: string; hint?: string },
    );
    expect(error?.message).toMatch(/exited during start-up/);
    expect(error?.hint).toContain("missing.gguf");
    expect(error?.hint).not.toContain("424242");
    expect(error?.hint).not.toContain("earlier-model");
  });
});
