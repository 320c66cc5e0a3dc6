import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./shared-models.js";

/**
 * The `wren` command as users run it: package.json's bin (the CommonJS launcher, then the esbuild
 * bundle `npm run build` makes). The tests exercise what ships, and it starts with about 30% less
 * CPU than tsc's unbundled output, which counts when the suite starts hundreds of wren processes on
 * two cores.
 */
export const cliPath = path.join(projectRoot, (JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { bin: { wren: string } }).bin.wren);

/**
 * tsc's unbundled entry, the same program: for a test about that file itself, or one that traces
 * which of wren's modules and packages a command loads by name (the bundle merges them into chunks).
 */
export const unbundledCliPath = path.join(projectRoot, "dist", "bin", "cli.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

function assertBuilt(): void {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first (npm test does).`);
}

/** Starts `wren ARGS` as a child process; tiny test models run on one thread. */
export function spawnCli(args: readonly string[], options: CliOptions = {}): ChildProcess {
  assertBuilt();
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, WREN_ENGINE_THREADS: "1", NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** A `wren` child process whose output is kept as it arrives: for a test that acts while it runs. */
export interface WatchedCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** True once the process has ended. */
  exited(): boolean;
  /** Its exit code, once it ends. */
  exit: Promise<number | null>;
}

/** Starts `wren ARGS` (see {@link spawnCli}) and keeps what it writes. */
export function watchCli(args: readonly string[], options: CliOptions = {}): WatchedCli {
  const child = spawnCli(args, options);
  let stdout = "";
  let stderr = "";
  let exited = false;
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      exited = true;
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited: () => exited, exit };
}

/** Runs `wren ARGS` to completion. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin?.end(options.input ?? "");
  });
}
