import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

/** What {@link postWhileProbingHealth} saw. */
export interface HealthProbe {
  status: number;
  /** The response body, parsed as JSON. */
  body: unknown;
  /** The slowest `/health` answer while the request ran, in milliseconds. */
  slowestHealthMs: number;
  /** `/health` answers received while the request ran. */
  polls: number;
  /**
   * The longest the server's thread ran without its event loop turning while the request ran, in
   * milliseconds of that thread's own CPU time (on Linux; of the wall clock elsewhere).
   */
  heldMs: number;
  /** The longest the event loop took to turn meanwhile, in milliseconds of the wall clock (load shows here, too). */
  stallMs: number;
}

/**
 * The most a request may hold the server's event loop, in CPU time of the server's thread. A
 * request that holds it for seconds (tokenizing a 16 MB prompt at once did) is far past it; the
 * stretches of work a server does between turns of its loop are tens of milliseconds.
 */
export const MAX_LOOP_HOLD_MS = 250;

const THREAD_SCHEDSTAT = "/proc/thread-self/schedstat";

/**
 * A clock of the CPU time this thread has run, in milliseconds: on Linux the thread's own (the
 * first field of its schedstat, in nanoseconds), which other processes taking the machine's cores
 * do not advance; elsewhere the wall clock.
 */
function threadClock(): () => number {
  const read = (): number => Number(readFileSync(THREAD_SCHEDSTAT, "utf8").split(" ")[0]) / 1e6;
  try {
    // A thread that runs this has run: a kernel that does not count it reads 0.
    if (read() > 0) return read;
  } catch {
    // Not Linux.
  }
  return () => performance.now();
}

/**
 * Watches this thread's event loop while `work` runs: a timer every 10 ms, and between two of its
 * turns the thread's CPU time and the wall clock. A loop held by the thread's own work shows as
 * CPU time between two turns; a loaded machine only stretches the wall clock.
 */
async function watchLoop<T>(work: () => Promise<T>): Promise<{ value: T; heldMs: number; stallMs: number }> {
  const cpu = threadClock();
  let lastCpu = cpu();
  let lastWall = performance.now();
  let heldMs = 0;
  let stallMs = 0;
  const turn = (): void => {
    const nowCpu = cpu();
    const nowWall = performance.now();
    heldMs = Math.max(heldMs, nowCpu - lastCpu);
    stallMs = Math.max(stallMs, nowWall - lastWall);
    lastCpu = nowCpu;
    lastWall = nowWall;
  };
  const timer = setInterval(turn, 10);
  try {
    const value = await work();
    turn();
    return { value, heldMs, stallMs };
  } finally {
    clearInterval(timer);
  }
}

// Runs in a worker: polls `/health` every 20 ms until told to stop, or sends one request. Each job
// has its own thread and event loop, so a blocked server loop shows as slow answers, never as a
// late poller or a client busy encoding its own body.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
if (workerData.job === "poll") {
  let stop = false;
  let slowest = 0;
  let polls = 0;
  // "reset": count from now on (the request is sent); "stop": report.
  parentPort.on("message", (word) => {
    if (word === "reset") slowest = polls = 0;
    else stop = true;
  });
  (async () => {
    let ready = false;
    while (!stop) {
      const started = performance.now();
      const res = await fetch(workerData.url + "/health");
      await res.text();
      if (!res.ok) throw new Error("/health answered " + res.status);
      slowest = Math.max(slowest, performance.now() - started);
      polls++;
      if (!ready) {
        ready = true;
        parentPort.postMessage({ ready: true });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    parentPort.postMessage({ slowest, polls });
  })();
} else {
  // Waits for the word to go, so cloning a large body into this thread is over before polling starts.
  parentPort.once("message", async () => {
    const res = await fetch(workerData.url + workerData.path, { method: "POST", headers: { "content-type": "application/json" }, body: workerData.body });
    parentPort.postMessage({ status: res.status, text: await res.text() });
  });
  parentPort.postMessage({ ready: true });
}
`;

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

/**
 * Posts `body` (JSON text) to `path` from one worker thread while another polls `/health` every
 * 20 ms, and reports the slowest `/health` answer seen meanwhile and how long the server's event
 * loop was held. The server must run on the calling thread (`startServer` in the test), whose
 * event loop is watched.
 *
 * Judge a request by `heldMs` against {@link MAX_LOOP_HOLD_MS}, not by `/health`'s answer times:
 * on a machine loaded by other work those grow with the load (past a second on a busy 2-core
 * machine), whatever the request does.
 */
export async function postWhileProbingHealth(url: string, path: string, body: string): Promise<HealthProbe> {
  const sender = new Worker(workerSource, { eval: true, workerData: { job: "send", url, path, body } });
  const poller = new Worker(workerSource, { eval: true, workerData: { job: "poll", url } });
  try {
    // Both listeners before either wait: a worker's message with no listener yet is lost, and on a
    // busy machine the poller's first answer can come before the sender says it is ready.
    await Promise.all([nextMessage(sender), nextMessage(poller)]);
    const { value: response, heldMs, stallMs } = await watchLoop(() => {
      const answered = nextMessage<{ status: number; text: string }>(sender);
      poller.postMessage("reset");
      sender.postMessage("go");
      return answered;
    });
    const summary = nextMessage<{ slowest: number; polls: number }>(poller);
    poller.postMessage("stop");
    const { slowest, polls } = await summary;
    return { status: response.status, body: JSON.parse(response.text) as unknown, slowestHealthMs: slowest, polls, heldMs, stallMs };
  } finally {
    await Promise.all([sender.terminate(), poller.terminate()]);
  }
}
