import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { WrenError } from "../shared/errors.js";
import { checkBody, type BodyFault } from "./body-check.js";
import { bodySchemas } from "./body-schemas.js";

/** What the worker answers for one body: the parsed value when it passed its schema, else why not. */
/** A body that passed comes back as the schema's output (transforms applied), ready to use. */
type Outcome = { ok: true; data: unknown } | { ok: false; fault: BodyFault };

interface Job {
  id: number;
  bytes: Uint8Array;
  schema: string;
}

/**
 * Heap the worker may use. A body of 16 MiB parses to at most a few hundred megabytes (a flat array
 * of eight million numbers); past this the worker is ended and the body refused, instead of the
 * server growing without bound.
 */
const WORKER_HEAP_MB = 1024;

/** How long the worker stays after its last body (starting one takes tens of milliseconds, on its own thread). */
const IDLE_MS = 2000;

/**
 * Parses and checks large request bodies on a thread of their own, one at a time. Decoding,
 * `JSON.parse`, the nesting bound and the schema check of a body of megabytes take tens to hundreds
 * of milliseconds, and a hostile one (hundreds of thousands of array items, each a schema issue)
 * leaves as much garbage to collect: on the server's thread that would hold every other request
 * (`/health` among them) meanwhile. Here the worker's own heap takes the garbage; the server's
 * thread only receives the parsed value of a body that passed.
 */
export class BodyWorker {
  #worker: Worker | undefined;
  #nextId = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Settles once the current worker has loaded (it says so), or has failed before. */
  #ready: Promise<void> = Promise.resolve();
  readonly #pending = new Map<number, { resolve: (outcome: Outcome) => void; reject: (error: unknown) => void }>();

  /**
   * Checks `bytes` (UTF-8 JSON) against the wire schema named `schema` (a key of `bodySchemas`).
   * The bytes are handed over only to a worker that has loaded: one that cannot (its file gone:
   * wren upgraded under a running server) fails with `internal` while they are still the caller's,
   * to parse itself.
   */
  async check(bytes: Uint8Array, schema: string): Promise<Outcome> {
    let worker: Worker;
    try {
      worker = this.#start();
    } catch (cause) {
      throw new WrenError("internal", "The body-parsing worker could not start.", { cause });
    }
    // Referenced while it has work: an idle worker must not keep the process alive.
    worker.ref();
    clearTimeout(this.#idleTimer);
    await this.#ready;
    const id = this.#nextId++;
    return new Promise<Outcome>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // The bytes move to the worker without a copy when they fill a buffer of their own (a view
      // into a larger one would carry all of it: copy just the view).
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
      const job: Job = { id, bytes: own, schema };
      worker.postMessage(job, [own.buffer as ArrayBuffer]);
    });
  }

  /**
   * Once idle for {@link IDLE_MS}, the worker ends: its heap grew to hold the largest body it
   * parsed, and ending it gives all of that back to the system at once.
   */
  #idle(worker: Worker): void {
    worker.unref();
    this.#idleTimer = setTimeout(() => {
      if (this.#worker !== worker || this.#pending.size > 0) return;
      this.#worker = undefined;
      void worker.terminate();
    }, IDLE_MS);
    this.#idleTimer.unref();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const source = new URL(import.meta.url);
    const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
    // Under the test runner this module is TypeScript: the worker registers tsx, then loads it.
    const worker = source.pathname.endsWith(".ts")
      ? new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`, { eval: true, resourceLimits })
      : new Worker(source, { resourceLimits });
    let loaded!: () => void;
    let notLoaded!: (error: unknown) => void;
    this.#ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      notLoaded = reject;
    });
    // Nobody may be waiting on it when the worker fails.
    this.#ready.catch(() => undefined);
    worker.on("message", (message: ({ id: number } & Outcome) | { ready: true }) => {
      if ("ready" in message) {
        loaded();
        return;
      }
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) this.#idle(worker);
      pending?.resolve(message);
    });
    const fail = (cause: unknown): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      // Only running out of its heap is the body's doing. Anything else is the worker's own failure
      // (its file gone: wren upgraded under a running server), and the caller parses the body itself.
      const error = (cause as { code?: unknown } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? new WrenError("bad_request", "The request body could not be parsed within the memory wren sets aside for it.", {
            cause,
            hint: "Send a smaller request body (fewer and shorter values).",
          })
        : new WrenError("internal", "The body-parsing worker could not run.", { cause });
      notLoaded(error);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the body-parsing worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const decoder = new TextDecoder();
  port.on("message", (job: Job) => {
    const schema = bodySchemas.get(job.schema);
    let outcome: Outcome;
    if (!schema) outcome = { ok: false, fault: { message: `No request schema named ${job.schema}.`, hint: "This is a bug in wren: please report it." } };
    else {
      const result = checkBody(decoder.decode(job.bytes), schema);
      outcome = result.ok ? { ok: true, data: result.data } : { ok: false, fault: result.fault };
    }
    port.postMessage({ id: job.id, ...outcome });
  });
  port.postMessage({ ready: true });
}
