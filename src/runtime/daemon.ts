import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { daemonFiles, processAlive, readLiveState, type DaemonFiles, type DaemonState } from "./daemon-state.js";

/** Options shared by the daemon functions. */
export interface DaemonOptions {
  env?: Env;
  /**
   * How to run the CLI in the child: the program and leading arguments. Default: this Node binary
   * and the script that is running (the `wren` entry point).
   */
  command?: string[];
  /** Arguments for `wren serve` in the child (`--model`, `--port`, ...). */
  serveArgs?: string[];
  /** Milliseconds to wait for the daemon to answer /health. Default 120 000 (a first model pull can be slow). */
  startTimeoutMs?: number;
}

/** What `wren daemon status` shows. */
export interface DaemonStatus {
  running: boolean;
  pid?: number;
  url?: string;
  uptimeSeconds?: number;
  models?: Array<{ id: string; loaded: boolean; active: number; queued: number }>;
  activeRequests?: number;
  logFile: string;
}

function filesFor(env: Env | undefined): DaemonFiles {
  return daemonFiles(resolvePaths(env ?? process.env).stateDir);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function logTail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Starts the daemon unless one runs; returns its state. */
export async function startDaemon(options: DaemonOptions = {}): Promise<DaemonState> {
  const env = options.env ?? process.env;
  const files = filesFor(env);
  const live = await readLiveState(files);
  if (live && (await healthy(live.url))) return live;
  await mkdir(resolvePaths(env).stateDir, { recursive: true });
  const command = options.command ?? [process.execPath, process.argv[1] ?? "wren"];
  const [program, ...lead] = command;
  if (!program) throw new WrenError("internal", "No command to start the daemon with.");
  const log = openSync(files.log, "a");
  const child = spawn(program, [...lead, "serve", "--daemon", ...(options.serveArgs ?? [])], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...env, UV_THREADPOOL_SIZE: "1" },
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      // Another starter may have won the race: its daemon is as good as ours.
      const other = await readLiveState(files);
      if (other && (await healthy(other.url))) return other;
      throw new WrenError("internal", `The wren daemon exited during start-up (code ${exited}).`, {
        hint: `Its log says:\n${await logTail(files.log)}\nFix that, then run \`wren daemon start\` again.`,
      });
    }
    const state = await readLiveState(files);
    if (state && (await healthy(state.url))) return state;
    await sleep(100);
  }
  throw new WrenError("timeout", "The wren daemon did not answer in time.", { hint: `See its log: ${files.log} (\`wren daemon logs\`).` });
}

/** Stops the daemon if one runs; true when one was stopped. */
export async function stopDaemon(options: DaemonOptions = {}): Promise<boolean> {
  const files = filesFor(options.env);
  const state = await readLiveState(files);
  if (!state) return false;
  process.kill(state.pid, "SIGTERM");
  const deadline = Date.now() + 15_000;
  while (processAlive(state.pid) && Date.now() < deadline) await sleep(50);
  if (processAlive(state.pid)) process.kill(state.pid, "SIGKILL");
  await readLiveState(files);
  return true;
}

/** Where the daemon is and what it is doing. */
export async function daemonStatus(options: DaemonOptions = {}): Promise<DaemonStatus> {
  const files = filesFor(options.env);
  const state = await readLiveState(files);
  if (!state) return { running: false, logFile: files.log };
  const status: DaemonStatus = { running: true, pid: state.pid, url: state.url, logFile: files.log, uptimeSeconds: Math.round((Date.now() - Date.parse(state.startedAt)) / 1000) };
  try {
    const res = await fetch(`${state.url}/status`, { signal: AbortSignal.timeout(2000) });
    if (res.ok) {
      const body = (await res.json()) as { models?: DaemonStatus["models"]; activeRequests?: number };
      if (body.models) status.models = body.models;
      if (body.activeRequests !== undefined) status.activeRequests = body.activeRequests;
    }
  } catch {
    // Running but not answering (still loading, or stuck): pid and address still help.
  }
  return status;
}

/** The daemon log's last lines. */
export async function daemonLogs(options: DaemonOptions & { lines?: number } = {}): Promise<string> {
  return logTail(filesFor(options.env).log, options.lines ?? 50);
}

/**
 * The daemon's URL, starting it when it is not running, and starting it again once if it died or
 * stopped answering. Other commands call this to talk to a warm server.
 */
export async function ensureDaemon(options: DaemonOptions = {}): Promise<string> {
  try {
    return (await startDaemon(options)).url;
  } catch (error) {
    await stopDaemon(options).catch(() => false);
    try {
      return (await startDaemon(options)).url;
    } catch {
      throw error;
    }
  }
}
