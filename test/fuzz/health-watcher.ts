import { Worker } from "node:worker_threads";

/** One poll of `/health` that took longer than the limit, or failed. */
export interface SlowPoll {
  /** Epoch milliseconds when the poll was sent. */
  at: number;
  ms: number;
  status: number;
  /** The control server's answer time in the same poll. */
  controlMs: number;
}

export interface HealthReport {
  polls: number;
  /** The slowest answer among polls whose control answered in time. */
  slowestMs: number;
  /** Polls over the limit or not answered 200, while the control answered in time. */
  bad: SlowPoll[];
  /**
   * Polls over the limit while the control was slow too (over half the limit): the machine was
   * starved at that moment (CI runs on 2 shared cores), so they say nothing about wren.
   */
  starved: SlowPoll[];
  /**
   * The slowest answer of a trivial server on the watcher's own thread, polled alongside: when it
   * is slow too, the machine was starved at that moment, not wren's event loop.
   */
  controlSlowestMs: number;
}

// The watcher runs on its own thread so that the fuzzer's own work (generating and parsing
// requests) never delays a poll: what it measures is the server, not this process.
const source = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const agent = new http.Agent({ keepAlive: false });
const { url, intervalMs, limitMs } = workerData;
let running = true, polls = 0, slowestMs = 0, controlSlowestMs = 0;
const bad = [], starved = [];
const control = http.createServer((req, res) => res.end('{"status":"ok"}'));
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
  const [wren, own] = await Promise.all([get(url), get("http://127.0.0.1:" + control.address().port + "/")]);
  polls++;
  controlSlowestMs = Math.max(controlSlowestMs, own.ms);
  const sample = { at, ms: Math.round(wren.ms), status: wren.status, controlMs: Math.round(own.ms) };
  if (wren.status !== 200 || (wren.ms > limitMs && own.ms <= limitMs / 2)) bad.push(sample);
  else if (wren.ms > limitMs) starved.push(sample);
  if (own.ms <= limitMs / 2) slowestMs = Math.max(slowestMs, wren.ms);
  if (running) setTimeout(poll, intervalMs);
  else control.close(() => parentPort.postMessage({ polls, slowestMs, bad, starved, controlSlowestMs }));
}
parentPort.on("message", () => { running = false; });
control.listen(0, "127.0.0.1", poll);
`;

/** Polls `/health` every `intervalMs` (from the end of one answer to the next request) until stopped. */
export function watchHealth(base: URL, intervalMs = 50, limitMs = 200): { stop(): Promise<HealthReport> } {
  const worker = new Worker(source, { eval: true, workerData: { url: new URL("/health", base).href, intervalMs, limitMs } });
  return {
    stop: () =>
      new Promise<HealthReport>((resolve, reject) => {
        worker.once("message", (report: HealthReport) => {
          void worker.terminate();
          resolve(report);
        });
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}
