import { spawn } from "node:child_process";
import os from "node:os";

/** One poll of `/health` that took longer than the limit, or failed. */
export interface SlowPoll {
  /** Epoch milliseconds when the poll was sent. */
  at: number;
  ms: number;
  status: number;
  /** The control server's answer time in the same poll. */
  controlMs: number;
  /**
   * Milliseconds the server's main thread waited for a CPU while the poll was out (Linux: its
   * run-queue delay in /proc/PID/task/PID/schedstat): time the machine withheld, not time wren spent.
   */
  waitMs: number;
}

export interface HealthReport {
  polls: number;
  /** The slowest answer, net of the server thread's wait for a CPU, among polls whose control answered in time. */
  slowestMs: number;
  /** The slowest answer as the client saw it, wait for a CPU included. */
  slowestRawMs: number;
  /** Polls over the limit or not answered 200, net of the server thread's wait for a CPU, while the control answered in time. */
  bad: SlowPoll[];
  /**
   * Polls over the limit only because the machine was starved: the control was slow too (over half
   * the limit), or the server's thread spent the excess waiting for a CPU (CI runs on 2 shared
   * cores). They say nothing about wren's event loop.
   */
  starved: SlowPoll[];
  /**
   * The slowest answer of a trivial server in the watcher's own process, polled alongside: when it
   * is slow too, the watcher itself was starved at that moment, not wren's event loop.
   */
  controlSlowestMs: number;
}

// The watcher is a process of its own, started before the fuzzer lowers its own priority: what the
// fuzzer does (generating and sending megabytes) never delays a poll, and the OS serves the watcher
// and the server before the fuzzer. A poll's time, net of the time the server's main thread spent
// runnable but waiting for a CPU, is what wren's event loop took.
const source = `
const http = require("node:http");
const fs = require("node:fs");
const { url, intervalMs, limitMs, pid } = JSON.parse(process.argv[1]);
const agent = new http.Agent({ keepAlive: false });
let running = true, polls = 0, slowestMs = 0, slowestRawMs = 0, controlSlowestMs = 0;
const bad = [], starved = [];
const control = http.createServer((req, res) => res.end('{"status":"ok"}'));
const schedstat = "/proc/" + pid + "/task/" + pid + "/schedstat";
function waitNs() {
  try { return Number(fs.readFileSync(schedstat, "utf8").split(" ")[1]); } catch { return undefined; }
}
function get(target) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get(target, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode }));
    });
    req.on("error", () => resolve({ ms: performance.now() - started, status: 0 }));
  });
}
async function poll() {
  const at = Date.now();
  const before = waitNs();
  const [wren, own] = await Promise.all([get(url), get("http://127.0.0.1:" + control.address().port + "/")]);
  const after = waitNs();
  const waitMs = before === undefined || after === undefined ? 0 : Math.max(0, (after - before) / 1e6);
  const netMs = wren.ms - waitMs;
  polls++;
  controlSlowestMs = Math.max(controlSlowestMs, own.ms);
  const sample = { at, ms: Math.round(wren.ms), status: wren.status, controlMs: Math.round(own.ms), waitMs: Math.round(waitMs) };
  if (wren.status !== 200 || (netMs > limitMs && own.ms <= limitMs / 2)) bad.push(sample);
  else if (wren.ms > limitMs) starved.push(sample);
  if (own.ms <= limitMs / 2) {
    slowestMs = Math.max(slowestMs, netMs);
    slowestRawMs = Math.max(slowestRawMs, wren.ms);
  }
  if (running) setTimeout(poll, intervalMs);
  else control.close(() => process.stdout.write(JSON.stringify({ polls, slowestMs, slowestRawMs, bad, starved, controlSlowestMs })));
}
process.stdin.on("data", () => { running = false; });
process.stdin.resume();
control.listen(0, "127.0.0.1", poll);
`;

/**
 * Polls `/health` every `intervalMs` (from the end of one answer to the next request) until
 * stopped, from a child process. `serverPid` is the process that answers (its main thread's wait
 * for a CPU is discounted where the OS reports it).
 */
export function watchHealth(base: URL, serverPid: number, intervalMs = 50, limitMs = 200): { stop(): Promise<HealthReport> } {
  const options = { url: new URL("/health", base).href, intervalMs, limitMs, pid: serverPid };
  const child = spawn(process.execPath, ["-e", source, JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  const ended = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    stop: async () => {
      child.stdin.end("stop\n");
      const code = await ended;
      if (code !== 0) throw new Error(`the /health watcher exited with ${code}: ${out}`);
      return JSON.parse(out) as HealthReport;
    },
  };
}

/**
 * Lowers this process's priority once the server and the /health watcher run (they keep theirs):
 * on a real machine the clients are elsewhere, so the OS should serve the server first, not the
 * fuzzer generating megabytes of requests. Not permitted everywhere; then the priority stays.
 */
export function yieldToServer(): void {
  try {
    os.setPriority(Math.min(19, os.getPriority() + 10));
  } catch {
    // Kept as it was: the server's thread's waits for a CPU are still discounted.
  }
}
