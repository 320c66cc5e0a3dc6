import { WrenError } from "../shared/errors.js";

/** How the bytes held and the requests waiting change, for `/metrics`. */
export interface BodyBudgetObserver {
  held(deltaBytes: number): void;
  waiting(delta: number): void;
}

interface Waiter {
  bytes: number;
  admit(): void;
}

/**
 * Bounds the bytes of request bodies the server holds at once. A body costs several times its
 * size while its request runs (parsed, translated, sent on: measured, 8 concurrent 8 MB bodies
 * took wren serve from 170 MB to 790 MB, and 64 of 6 MB to 4.7 GB), so the body limit alone does
 * not bound memory: how many such requests run at once must be bounded too.
 *
 * A request holds its body's bytes from before the body is read until the request ends (a
 * streamed answer included). One that would go over the limit waits, unread (TCP holds the rest
 * of its body in the client's hands), in first-come order, until enough is let go or its
 * signal aborts (its timeout; a client that leaves is heard of only once its socket is read
 * again, when its turn comes); past `maxWaiting` waiting it is refused with `overloaded`. A body
 * alone is always let in, whatever its size, so no request waits on nothing.
 */
export class BodyBudget {
  #held = 0;
  readonly #waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    private readonly observer?: BodyBudgetObserver,
    readonly maxWaiting = 1024,
  ) {}

  /** Bytes held by requests running now. */
  get held(): number {
    return this.#held;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Holds `bytes` for one request: the function that lets them go (once; later calls do nothing),
   * at once when there is room, else a promise of it. `signal` is asked for only when the request
   * must wait; its abort takes the request out of the line and rejects with its reason.
   */
  acquire(bytes: number, signal: () => AbortSignal): (() => void) | Promise<() => void> {
    if (this.#waiting.length === 0 && this.#fits(bytes)) return this.#take(bytes);
    if (this.#waiting.length >= this.maxWaiting) {
      throw new WrenError("overloaded", `The server is holding ${mib(this.#held)} MiB of request bodies and ${this.#waiting.length} more requests are waiting for room.`, {
        hint: "Retry after the time in the retry-after header, send smaller requests, or raise server.maxBodyBytesInFlight.",
        isRetryable: true,
        retryAfter: 1,
      });
    }
    const aborted = signal();
    if (aborted.aborted) return Promise.reject(reasonOf(aborted));
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#waiting.indexOf(waiter);
        if (at < 0) return;
        this.#waiting.splice(at, 1);
        this.observer?.waiting(-1);
        reject(reasonOf(aborted));
        // The line may move now that its head is gone.
        this.#admitWaiting();
      };
      const waiter: Waiter = {
        bytes,
        admit: () => {
          aborted.removeEventListener("abort", onAbort);
          resolve(this.#take(bytes));
        },
      };
      aborted.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
      this.observer?.waiting(1);
    });
  }

  #fits(bytes: number): boolean {
    return this.#held === 0 || this.#held + bytes <= this.limit;
  }

  #take(bytes: number): () => void {
    this.#held += bytes;
    this.observer?.held(bytes);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held -= bytes;
      this.observer?.held(-bytes);
      this.#admitWaiting();
    };
  }

  /** Lets in those at the head of the line that fit now, in order: a large body is not passed by smaller ones behind it. */
  #admitWaiting(): void {
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.bytes)) {
      const next = this.#waiting.shift()!;
      this.observer?.waiting(-1);
      next.admit();
    }
  }
}

/** Why a wait ended early: the signal's own error (the request's timeout), else `aborted`. */
function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new WrenError("aborted", typeof reason === "string" ? reason : "The request was cancelled.");
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
