import { WrenError, isWrenError } from "../shared/errors.js";

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Per-model admission: up to `slots` requests decode at once (one per parallel sequence), up to
 * `maxQueue` more wait in order, and past that a request is refused at once with 429 and a
 * `retry-after`, so a busy server answers quickly instead of piling up work.
 */
export class Admission {
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(
    readonly slots: number,
    readonly maxQueue: number,
    private readonly onChange: () => void = () => {},
  ) {}

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Waits for a free slot; the returned function gives it back (call it exactly once). */
  async enter(modelId: string, signal?: AbortSignal): Promise<() => void> {
    if (this.#active < this.slots) {
      this.#active += 1;
      this.onChange();
      return this.#releaser();
    }
    if (this.#queue.length >= this.maxQueue) {
      throw new WrenError("overloaded", `Model '${modelId}' is busy: ${this.#active} requests are running and ${this.#queue.length} are queued.`, {
        hint: "Retry after the time in the retry-after header, or raise the model's parallel sequences / queue size.",
        isRetryable: true,
        // Explicit, so a router's `onStatus = [429]` can see it and move on to another target.
        status: 429,
        retryAfter: 1,
      });
    }
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        this.onChange();
        const reason: unknown = signal?.reason;
        reject(isWrenError(reason) ? reason : new WrenError("aborted", "The request was cancelled while queued."));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
      this.onChange();
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.#queue.shift();
      if (next) next.resolve();
      else this.#active -= 1;
      this.onChange();
    };
  }
}
