import { WrenError, isWrenError } from "../shared/errors.js";

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** Requests admitted at once: the model's parallel sequences. */
  capacity: number;
  /**
   * Requests that may wait in line for a place; past it, `enter` throws `overloaded` (429 with
   * `retry-after: 1`) at once, so a busy model answers quickly instead of piling up work.
   */
  maxQueued: number;
  /** The model named in the `overloaded` message. */
  modelId: string;
}

/** What an admission holds now. */
export interface AdmissionStats {
  /** Requests admitted and not yet released. */
  active: number;
  /** Requests waiting in line. */
  queued: number;
  capacity: number;
}

/** A place held in an admission; `release` gives it back (once; later calls do nothing). */
export interface AdmissionTicket {
  /** Milliseconds the request waited in line (0 when admitted at once). */
  readonly waitedMs: number;
  release(): void;
}

interface Waiter {
  since: number;
  resolve: (ticket: AdmissionTicket) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

/**
 * The one admission of a loaded model: up to `capacity` requests at once (one per parallel
 * sequence), up to `maxQueued` more waiting in first-come order, the rest refused with 429. A
 * request whose signal aborts leaves the line at once. The engine's sequence pool holds one per
 * context; the server and the router only ask it (through the model) and map what it throws.
 */
export class Admission {
  readonly #options: AdmissionOptions;
  #active = 0;
  #queue: Waiter[] = [];
  #closed: WrenError | undefined;

  constructor(options: AdmissionOptions) {
    this.#options = { ...options, capacity: Math.max(1, options.capacity) };
  }

  stats(): AdmissionStats {
    return { active: this.#active, queued: this.#queue.length, capacity: this.#options.capacity };
  }

  /** Waits for a place, in order of arrival; throws `overloaded` when the line is full, `aborted` when the signal fires. */
  async enter(signal?: AbortSignal): Promise<AdmissionTicket> {
    if (this.#closed) throw this.#closed;
    if (signal?.aborted) throw cancelled(signal);
    if (this.#active < this.#options.capacity) {
      this.#active += 1;
      return this.#ticket(0);
    }
    if (this.#queue.length >= this.#options.maxQueued) {
      throw new WrenError("overloaded", `Model '${this.#options.modelId}' is busy: ${this.#active} requests are running and ${this.#queue.length} are queued.`, {
        hint: "Retry after the time in the retry-after header, or raise the model's parallel sequences (engine.sequences) or the queue (server.maxQueue).",
        isRetryable: true,
        // Explicit, so a router's `onStatus = [429]` can see it and move on to another target.
        status: 429,
        retryAfter: 1,
      });
    }
    return new Promise<AdmissionTicket>((resolve, reject) => {
      const onAbort = (): void => {
        this.#queue = this.#queue.filter((w) => w !== waiter);
        reject(cancelled(signal));
      };
      const waiter: Waiter = {
        since: performance.now(),
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Refuses every waiting and later request with `error` (the model is being unloaded). */
  close(error: WrenError): void {
    this.#closed = error;
    const waiting = this.#queue;
    this.#queue = [];
    for (const waiter of waiting) {
      waiter.detach();
      waiter.reject(error);
    }
  }

  #ticket(waitedMs: number): AdmissionTicket {
    let released = false;
    return {
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        // The place passes straight to the first in line, so nobody arriving now can jump it.
        const next = this.#queue.shift();
        if (!next) {
          this.#active -= 1;
          return;
        }
        next.detach();
        next.resolve(this.#ticket(performance.now() - next.since));
      },
    };
  }
}

/** The error of a request that left the line: the signal's own reason when it is one (a timeout). */
function cancelled(signal: AbortSignal | undefined): WrenError {
  const reason: unknown = signal?.reason;
  return isWrenError(reason) ? reason : new WrenError("aborted", "The request was cancelled while queued.", { cause: reason });
}
