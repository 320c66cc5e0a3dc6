import { spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach } from "vitest";
import { stopDaemon } from "../../src/runtime/daemon.js";
import { projectRoot } from "./shared-models.js";

/** Node's flags that run TypeScript sources (tsx's loader). */
const tsx = ["--import", pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href];

/** The daemon's stand-in (stand-in-daemon.ts), run from its sources in its own process: the `command` a test starts its daemon with. */
export const standInDaemonCommand = [process.execPath, ...tsx, path.join(projectRoot, "test/helpers/stand-in-daemon.ts")];

/** The stand-in's settings and a default model: a test's wren home starts without them, whatever the test process has. */
const NOT_INHERITED = ["WREN_STAND_IN_VERSION", "WREN_STAND_IN_ACTIVE", "WREN_STAND_IN_ROUTED", "WREN_STAND_IN_MODELS", "WREN_STAND_IN_FILES", "WREN_MODELS_DEFAULT"];

/**
 * Makes fresh wren homes (the environment of a wren run whose WREN_HOME is a new temporary folder)
 * for the tests of one file; after each test, the daemon each home started is stopped and the home
 * removed. Call it at the top of the file.
 */
export function standInHomes(prefix: string): () => NodeJS.ProcessEnv {
  const homes: NodeJS.ProcessEnv[] = [];
  afterEach(async () => {
    for (const env of homes.splice(0)) {
      await stopDaemon({ env, stopTimeoutMs: 10_000 }).catch(() => undefined);
      rmSync(env["WREN_HOME"] ?? "", { recursive: true, force: true });
    }
  });
  return () => {
    const env = standInHome(prefix);
    homes.push(env);
    return env;
  };
}

/**
 * One fresh wren home, as standInHomes makes them, that nothing removes: for a home shared by the
 * tests of a describe, whose afterAll stops its daemon and removes it.
 */
export function standInHome(prefix: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WREN_HOME: realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix))) };
  for (const key of NOT_INHERITED) delete env[key];
  return env;
}

/** Runs wren from its sources (`wren ARGS`) in the home `env` names, with stdin closed. */
export function wrenFromSources(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...tsx, path.join(projectRoot, "src/bin/cli.ts"), ...args], { cwd: env["WREN_HOME"], env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
