import { WrenError } from "../shared/errors.js";
import { daemonLogs, daemonStatus, startDaemon, stopDaemon } from "../runtime/daemon.js";
import { DAEMON_SESSION_IDLE_MS } from "../runtime/daemon-sessions.js";
import { logPrettifier } from "../runtime/server-logger.js";
import { unappliedStartFlags } from "../runtime/daemon-start-flags.js";
import { outdatedNotice, staleNotice, unappliedFlagsNotice } from "./daemon-notice-text.js";
import { daemonModelLines } from "./daemon-status-text.js";

/** The actions of `wren daemon …`, printing for people. */
export async function daemonStart(flags: { model: string[]; port?: string; host?: string; advertise?: boolean }): Promise<number> {
  const serveArgs = [...flags.model.flatMap((m) => ["--model", m]), ...(flags.port ? ["--port", flags.port] : []), ...(flags.host ? ["--host", flags.host] : []), ...(flags.advertise ? ["--advertise"] : [])];
  const { state, alreadyRunning, staleRemoved, outdated, replaced } = await startDaemon({ serveArgs });
  if (staleRemoved !== undefined) process.stderr.write(`${staleNotice(staleRemoved)}\n`);
  if (replaced) process.stderr.write(`wren: stopped the idle daemon of ${replaced.version === undefined ? "an older wren" : `wren ${replaced.version}`} (pid ${replaced.pid})\n`);
  if (outdated) process.stderr.write(`${outdatedNotice(outdated)}\n`);
  const unapplied = alreadyRunning ? unappliedStartFlags(serveArgs, state.url) : [];
  if (alreadyRunning && flags.model.length > 0) {
    // The OpenAI-compatible client daemon-model.ts brings is loaded only for this.
    const { refsNotServed } = await import("../runtime/daemon-model.js");
    unapplied.unshift(...(await refsNotServed(state, flags.model)).map((ref) => `--model ${ref}`));
  }
  if (unapplied.length > 0) process.stderr.write(`${unappliedFlagsNotice(state.pid, unapplied)}\n`);
  process.stdout.write(`wren daemon ${alreadyRunning ? "already running" : "running"}: pid ${state.pid}, ${state.url}\n`);
  return 0;
}

export async function daemonStop(): Promise<number> {
  const result = await stopDaemon();
  if (result.outcome === "stopped") process.stdout.write(`wren daemon stopped (pid ${result.pid})\n`);
  else if (result.outcome === "not-running") process.stdout.write("wren daemon was not running\n");
  else process.stdout.write(`wren daemon was not running; ${staleNotice(result).replace(/^wren: /, "")}\n`);
  return 0;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}

export async function daemonStatusCommand(json: boolean): Promise<number> {
  const status = await daemonStatus();
  if (json) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return status.running ? 0 : 3;
  }
  if (!status.running) {
    process.stdout.write("wren daemon: not running (start it with `wren daemon start`)\n");
    return 3;
  }
  if (status.starting) {
    process.stdout.write(`wren daemon: starting (pid ${status.pid}, loading its model; see \`wren daemon logs\`)\n`);
    return 0;
  }
  const lines = [
    `wren daemon: running`,
    `  pid       ${status.pid}`,
    `  uptime    ${duration(status.uptimeSeconds ?? 0)}`,
    `  address   ${status.url}`,
    `  version   ${status.version ?? "?"}${status.version !== status.wrenVersion ? ` (this is wren ${status.wrenVersion}: the next command that finds it idle replaces it; \`wren daemon stop\` stops it now)` : ""}`,
    `  requests  ${status.activeRequests ?? "?"} active${status.routedRequests ? `, ${status.routedRequests} through its router (teachers included)` : ""}`,
    ...daemonModelLines(status.models),
    `  log       ${status.logFile}`,
    // Sessions the daemon heard from lately (it keeps each that long after its last request): their runs may have ended.
    `  sessions  ${status.sessions?.length ?? "?"} in the last ${DAEMON_SESSION_IDLE_MS / 60_000} minutes`,
    ...(status.sessions ?? []).map((s) => `    ${s.id}  ${s.requests} request${s.requests === 1 ? "" : "s"}, last ${s.lastActivity}${s.cwd ? `  ${s.cwd}` : ""}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/**
 * The end of the daemon's log: each of the server's JSON records as a line a person reads (as
 * `wren serve` prints them on a terminal, with the day, since a log is read later), the lines that
 * are not records (its start-up, a crash) as they are; `json`: every line as written, for tools.
 */
export async function daemonLogsCommand(lines: number, json = false): Promise<number> {
  if (!Number.isInteger(lines) || lines < 1) throw new WrenError("bad_request", "--lines must be a positive whole number.", { hint: "e.g. wren daemon logs -n 100" });
  const tail = await daemonLogs({ lines });
  process.stdout.write(json ? `${tail}\n` : readableLog(tail));
  return 0;
}

function readableLog(tail: string): string {
  const prettify = logPrettifier({ color: process.stdout.isTTY && (process.env["NO_COLOR"] ?? "") === "", withDate: true });
  return tail
    .split("\n")
    .map((line) => (isLogRecord(line) ? prettify(line) : `${line}\n`))
    .join("");
}

/** Whether a line of the log is one of the server's records (pino's JSON: a numeric level and time). */
function isLogRecord(line: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    const record = JSON.parse(line) as unknown;
    return typeof record === "object" && record !== null && typeof (record as { level?: unknown }).level === "number" && typeof (record as { time?: unknown }).time === "number";
  } catch {
    return false;
  }
}
