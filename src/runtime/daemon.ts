import { spawn } from "node:child_process";
import { openSync, closeSync, fstatSync } from "node:fs";
import path from "node:path";
import { mkdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { throwIfAborted } from "../shared/abort.js";
import { WrenError, type ErrorCode } from "../shared/errors.js";
import { SERVER_MALLOC_ENV } from "../shared/malloc-env.js";
import { parseModelRef } from "../models/index.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { wrenVersion } from "../shared/version.js";
import { ownerHeaders } from "./daemon-identity.js";
import { inspectDaemon, type StaleDaemonFiles } from "./daemon-inspect.js";
import { listDaemonSessions } from "./daemon-session-client.js";
import type { DaemonSession } from "./daemon-sessions.js";
import { takeStartError } from "./daemon-start-error.js";
import { daemonFiles, type DaemonFiles, type DaemonLock, type DaemonState } from "./daemon-state.js";
import { daemonActiveRequests, type OutdatedDaemon } from "./daemon-version.js";

import { stopDaemon } from "./daemon-stop.js";

export { stopDaemon, type StopResult } from "./daemon-stop.js";
export type { OutdatedDaemon } from "./daemon-version.js";

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
  /**
   * Stops waiting for the daemon to be ready (the daemon itself goes on starting): a session that
   * closes while its model loads in the background must not wait for the load to exit.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds {@link stopDaemon} waits for the daemon to finish once asked, before it falls back
   * to signals. Default 30 000 (a daemon still loading its model stops once loaded).
   */
  stopTimeoutMs?: number;
}

/** What {@link startDaemon} found or made. */
export interface StartedDaemon {
  state: DaemonState;
  /** True when a daemon was already running (or another start won the race): it is reused as it is. */
  alreadyRunning: boolean;
  /** Stale daemon files naming a pid, removed on the way (that process, if any, was left alone). */
  staleRemoved?: StaleDaemonFiles | undefined;
  /**
   * A daemon of another wren version that was busy (requests in flight), so it was used as it is
   * instead of being replaced; the caller tells the user (see `outdatedNotice`).
   */
  outdated?: OutdatedDaemon | undefined;
  /** A daemon of another wren version that was idle: it was stopped and this wren's started instead. */
  replaced?: { pid: number; version: string | undefined } | undefined;
}

/** What `wren daemon status` shows. */
export interface DaemonStatus {
  running: boolean;
  /** True while the daemon is up but still loading its model (no address yet). */
  starting?: boolean;
  pid?: number;
  url?: string;
  /** The wren version the daemon runs (absent from a daemon of a wren too old to record it, or still starting). */
  version?: string;
  /** This wren's version: when it differs from {@link version}, the daemon is replaced once idle. */
  wrenVersion?: string;
  uptimeSeconds?: number;
  /** `files`: the GGUF files a local model reads, absolute; absent from a daemon of an older wren. */
  models?: Array<{ id: string; loaded: boolean; active: number; queued: number; files?: string[] }>;
  activeRequests?: number;
  /** Requests it forwards through its router now (`auto`, routes, teachers); absent from a daemon of an older wren. */
  routedRequests?: number;
  /** The daemon's resident memory (its loaded models included), in bytes. */
  rssBytes?: number;
  /** The sessions (assistant runs) that used the daemon recently, latest first; idle ones are dropped. */
  sessions?: DaemonSession[];
  logFile: string;
}

export function filesFor(env: Env | undefined): DaemonFiles {
  return daemonFiles(resolvePaths(env ?? process.env).stateDir);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The folders wren's own variables name (WREN_HOME, WREN_MODELS_DIR), made absolute: the daemon
 * runs in its state folder, where one relative to the starter's folder (`WREN_HOME=.wren`) would
 * name another place, and the starter would wait for a daemon that published itself there.
 */
function absolutePathsEnv(env: Env): Record<string, string> {
  const absolute: Record<string, string> = {};
  for (const name of ["WREN_HOME", "WREN_MODELS_DIR"]) {
    const value = env[name];
    if (value) absolute[name] = path.resolve(value);
  }
  return absolute;
}

/** `--model` values that are paths, made absolute: the daemon runs in its own folder, not the caller's. */
function absoluteModelPaths(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    if (args[i - 1] !== "--model") return arg;
    try {
      const ref = parseModelRef(arg);
      return ref.kind === "path" ? ref.path : arg;
    } catch {
      return arg;
    }
  });
}

/** The log's last lines; from `fromByte` on when given (one start's lines, not an earlier daemon's). */
async function logTail(file: string, lines = 15, fromByte = 0): Promise<string> {
  const bytes = await readFile(file).catch(() => Buffer.alloc(0));
  const text = bytes.subarray(Math.min(fromByte, bytes.length)).toString("utf8");
  return text.trim().split("\n").slice(-lines).join("\n");
}

interface Waiting {
  files: DaemonFiles;
  deadline: number;
  signal?: AbortSignal | undefined;
  /** The daemon this call started: while it may still take the lock, no lock is no failure. */
  child?: { pid: number | undefined; exited: () => boolean; code: () => number | null | undefined; logFrom: number };
}

/**
 * The error code whose exit status (see `exitCodeOf`) is the one the daemon exited with, so a
 * command that started it exits as `wren serve` would have: 2 usage or configuration, 3 the model,
 * 4 the network (its default model could not be fetched). Any other exit is a failure of its own.
 */
function errorCodeOfExit(code: number | null | undefined): ErrorCode {
  return code === 2 ? "config_invalid" : code === 3 ? "model_load_failed" : code === 4 ? "network_error" : "internal";
}

/**
 * True for a daemon that exited during start-up saying what was wrong (see {@link errorCodeOfExit}),
 * or the failure it reported (its cause): starting it again would fail alike.
 */
function failedForGood(error: unknown): boolean {
  if (!(error instanceof WrenError)) return false;
  return (error.code !== "internal" && typeof error.details?.["daemonExitCode"] === "number") || failedForGood(error.cause);
}

/**
 * Waits until the confirmed daemon is ready and answers /health, and returns its state. While a
 * daemon is starting (ours, or another starter's that won the race) it is waited for; undefined
 * when there is none and none is coming.
 */
async function waitForDaemon({ files, deadline, child, signal }: Waiting): Promise<{ state: DaemonState | undefined; lock?: DaemonLock; stale?: StaleDaemonFiles | undefined }> {
  let stale: StaleDaemonFiles | undefined;
  while (Date.now() < deadline) {
    throwIfAborted(signal);
    const found = await inspectDaemon(files);
    if (found.kind === "stale" && found.pid !== undefined) stale ??= { pid: found.pid, exited: found.exited };
    if (found.kind === "running") {
      if (found.phase === "ready" && found.state && (await healthy(found.state.url))) return { state: found.state, lock: found.lock, stale };
    } else if (!child || child.exited()) {
      if (!child) return { state: undefined, stale };
      const code = child.code();
      const exited = new WrenError(errorCodeOfExit(code), `The wren daemon exited during start-up (code ${code}).`, {
        hint: `Its log says:\n${await logTail(files.log, 15, child.logFrom)}\nFix that, then try again.`,
        details: { daemonExitCode: code },
      });
      // A model the user named that is not there (or no model) is said as wren says it without the daemon.
      throw (await takeStartError(files, child.pid, exited)) ?? exited;
    }
    await sleep(100, undefined, signal ? { signal } : {}).catch(() => throwIfAborted(signal));
  }
  throw new WrenError("timeout", "The wren daemon did not answer in time.", { hint: `See its log: ${files.log} (\`wren daemon logs\`).` });
}

/**
 * Starts the daemon unless one runs; returns its state. A daemon already running or starting is
 * reused (and waited for); stale files are removed without touching the process they name. Two
 * starts at once end with one daemon, both returning it.
 */
export async function startDaemon(options: DaemonOptions = {}): Promise<StartedDaemon> {
  const env = options.env ?? process.env;
  const files = filesFor(env);
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  const existing = await waitForDaemon({ files, deadline, signal: options.signal });
  let replaced: StartedDaemon["replaced"];
  if (existing.state) {
    const reuse = { state: existing.state, alreadyRunning: true, staleRemoved: existing.stale };
    const mine = wrenVersion();
    if (existing.state.version === mine) return reuse;
    // Another wren's daemon (old code, old configuration rules): replaced when idle, never under
    // another session's requests. One that does not say is taken to be busy.
    const activeRequests = existing.lock ? await daemonActiveRequests(existing.state.url, existing.lock) : undefined;
    if (activeRequests !== 0 || !existing.lock) return { ...reuse, outdated: { pid: existing.state.pid, daemonVersion: existing.state.version, wrenVersion: mine, activeRequests } };
    // That daemon only: one another client started meanwhile (this version's) is left alone.
    await stopDaemon(options, existing.lock);
    replaced = { pid: existing.state.pid, version: existing.state.version };
  }
  const stateDir = resolvePaths(env).stateDir;
  await mkdir(stateDir, { recursive: true });
  const command = options.command ?? [process.execPath, process.argv[1] ?? "wren"];
  const [program, ...lead] = command;
  if (!program) throw new WrenError("internal", "No command to start the daemon with.");
  const log = openSync(files.log, "a");
  // The log is shared by every daemon there has been: a failed start shows only what this one wrote.
  const logFrom = fstatSync(log).size;
  const child = spawn(program, [...lead, "serve", "--daemon", ...absoluteModelPaths(options.serveArgs ?? [])], {
    detached: true,
    // On Windows a detached process gets a console window of its own: the daemon's stays hidden.
    windowsHide: true,
    // Not the folder of the command that needed it: the daemon serves every project alike (and
    // skips project files whatever its folder, see `serveCommand`).
    cwd: stateDir,
    stdio: ["ignore", log, log],
    // glibc reads its malloc settings at start, libuv its pool's size when the pool starts: the
    // daemon gets them here, whichever file runs it (a setting of the user's own wins).
    env: { ...SERVER_MALLOC_ENV, UV_THREADPOOL_SIZE: "1", ...env, ...absolutePathsEnv(env) },
  });
  closeSync(log);
  let exited = false;
  let code: number | null | undefined;
  child.once("exit", (c) => {
    exited = true;
    code = c;
  });
  child.unref();
  const started = await waitForDaemon({ files, deadline, signal: options.signal, child: { pid: child.pid, exited: () => exited, code: () => code, logFrom } });
  if (!started.state) throw new WrenError("internal", "The wren daemon did not start.", { hint: `See its log: ${files.log} (\`wren daemon logs\`).` });
  if (started.state.pid !== child.pid) {
    // Another start's daemon won while this one's was still starting: holding no lock yet, ours
    // would take it as soon as that daemon stops, and a daemon the user stopped would run again.
    // Ours serves no one: it is stopped, and waited for.
    if (!exited) child.kill("SIGTERM");
    while (!exited && Date.now() < deadline) await sleep(20);
  }
  return { state: started.state, alreadyRunning: started.state.pid !== child.pid, staleRemoved: existing.stale ?? started.stale, replaced };
}

/** Where the daemon is and what it is doing. */
export async function daemonStatus(options: DaemonOptions = {}): Promise<DaemonStatus> {
  const files = filesFor(options.env);
  const found = await inspectDaemon(files);
  if (found.kind !== "running") return { running: false, logFile: files.log };
  const since = found.state?.startedAt ?? found.lock.startedAt;
  const status: DaemonStatus = { running: true, pid: found.lock.pid, logFile: files.log, uptimeSeconds: Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000)) };
  const sessions = await listDaemonSessions(found.lock);
  if (sessions) status.sessions = sessions;
  if (!found.state) return { ...status, starting: true };
  status.url = found.state.url;
  status.wrenVersion = wrenVersion();
  if (found.state.version !== undefined) status.version = found.state.version;
  try {
    const res = await fetch(`${found.state.url}/status`, { headers: ownerHeaders(found.lock), signal: AbortSignal.timeout(2000) });
    if (res.ok) {
      const body = (await res.json()) as { models?: DaemonStatus["models"]; activeRequests?: number; routedRequests?: number; rssBytes?: number };
      if (body.models) status.models = body.models;
      if (typeof body.rssBytes === "number") status.rssBytes = body.rssBytes;
      if (body.activeRequests !== undefined) status.activeRequests = body.activeRequests;
      if (typeof body.routedRequests === "number") status.routedRequests = body.routedRequests;
    }
  } catch {
    // Running but not answering (busy, or stuck): pid and address still help.
  }
  return status;
}

/**
 * The daemon log's last lines. Just after the log was kept to its size (moved to `daemon.log.1`,
 * see server-logger.ts) the file holds few lines or none: the rest come from the earlier file.
 */
export async function daemonLogs(options: DaemonOptions & { lines?: number } = {}): Promise<string> {
  const log = filesFor(options.env).log;
  const lines = options.lines ?? 50;
  const current = await logTail(log, lines);
  const held = current === "" ? 0 : current.split("\n").length;
  if (held >= lines) return current;
  const earlier = await logTail(`${log}.1`, lines - held);
  return [earlier, current].filter((part) => part !== "").join("\n");
}

/**
 * The daemon, starting it when it is not running, and starting it again once if it died or
 * stopped answering. Other commands call this to talk to a warm server.
 */
export async function ensureDaemon(options: DaemonOptions = {}): Promise<StartedDaemon> {
  try {
    return await startDaemon(options);
  } catch (error) {
    // Cancelled: the daemon goes on starting for the next session. A daemon that said what it
    // lacks (its model, the network, its configuration) would only say it again.
    if (options.signal?.aborted || failedForGood(error)) throw error;
    await stopDaemon(options).catch(() => undefined);
    try {
      return await startDaemon(options);
    } catch {
      throw error;
    }
  }
}
