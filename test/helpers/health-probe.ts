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
}

// Runs in a worker: polls `/health` every 20 ms until told to stop, or sends one request. Each job
// has its own thread and event loop, so a blocked server loop shows as slow answers, never as a
// late poller or a client busy encoding its own body.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
if (workerData.job === "poll") {
  let stop = false;
  parentPort.on("message", () => { stop = true; });
  (async () => {
    let slowest = 0;
    let polls = 0;
    while (!stop) {
      const started = performance.now();
      const res = await fetch(workerData.url + "/health");
      await res.text();
      if (!res.ok) throw new Error("/health answered " + res.status);
      slowest = Math.max(slowest, performance.now() - started);
      if (++polls === 1) parentPort.postMessage({ ready: true });
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
 * 20 ms, and reports the slowest `/health` answer seen meanwhile.
 */
export async function postWhileProbingHealth(url: string, path: string, body: string): Promise<HealthProbe> {
  const sender = new Worker(workerSource, { eval: true, workerData: { job: "send", url, path, body } });
  const poller = new Worker(workerSource, { eval: true, workerData: { job: "poll", url } });
  try {
    // Both listeners before either wait: a worker's message with no listener yet is lost, and on a
    // busy machine the poller's first answer can come before the sender says it is ready.
    await Promise.all([nextMessage(sender), nextMessage(poller)]);
    const answered = nextMessage<{ status: number; text: string }>(sender);
    sender.postMessage("go");
    const response = await answered;
    const summary = nextMessage<{ slowest: number; polls: number }>(poller);
    poller.postMessage("stop");
    const { slowest, polls } = await summary;
    return { status: response.status, body: JSON.parse(response.text) as unknown, slowestHealthMs: slowest, polls };
  } finally {
    await Promise.all([sender.terminate(), poller.terminate()]);
  }
}
