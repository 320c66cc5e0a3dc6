import { abortReason } from "../shared/abort.js";
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
 * A body still arriving when its request was let in, as the budget watches it: whether it has
 * arrived whole, and how to stop its request (the server answers 408) if it arrives too slowly
 * while others wait for the room it holds.
 */
export interface ArrivingBody {
  arrived(): boolean;
  /** Bytes of the body received since it was let in. */
  received(): number;
  cut(error: WrenError): void;
}

/** A holder whose body was still arriving when it was let in, and when that was. */
interface Arriving {
  body: ArrivingBody;
  since: number;
}

/**
 * How fast a body that holds room others wait for must arrive: after a grace period, at least
 * this many bytes a second since it was let in, on average. A client on loopback or a LAN sends
 * far faster; one that trickles a byte a second would otherwise hold the room of its whole
 * declared size for as long as Node lets a request take (5 minutes), and every request with a
 * body behind it waits as long.
 */
export const SLOW_BODY_GRACE_MS = 5_000;
export const SLOW_BODY_MIN_BYTES_PER_SECOND = 1024 * 1024;

/** How often the bodies still arriving are looked at while requests wait. */
const SLOW_BODY_SWEEP_MS = 500;

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
 *
 * Room held by a body that has not arrived yet holds the others up for nothing: while requests
 * wait, a body still arriving slower than {@link SLOW_BODY_MIN_BYTES_PER_SECOND} after
 * {@link SLOW_BODY_GRACE_MS} is cut (its request answers 408). Without others waiting,
 * a slow body harms nobody and is left alone.
 */
export class BodyBudget {
  #held = 0;
  readonly #waiting: Waiter[] = [];
  /** Holders whose bodies were still arriving when let in (bodies that had arrived are not watched). */
  readonly #arriving = new Set<Arriving>();
  #sweep: NodeJS.Timeout | undefined;

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
  acquire(bytes: number, signal: () => AbortSignal, body?: ArrivingBody): (() => void) | Promise<() => void> {
    if (this.#waiting.length === 0 && this.#fits(bytes)) return this.#take(bytes, body);
    if (this.#waiting.length >= this.maxWaiting) {
      throw new WrenError("overloaded", `The server is holding ${mib(this.#held)} MiB of request bodies and ${this.#waiting.length} more requests are waiting for room.`, {
        hint: "Retry after the time in the retry-after header, send smaller requests, or raise server.maxBodyBytesInFlight.",
        isRetryable: true,
        retryAfter: 1,
      });
    }
    const aborted = signal();
    if (aborted.aborted) return Promise.reject(abortReason(aborted));
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#waiting.indexOf(waiter);
        if (at < 0) return;
        this.#waiting.splice(at, 1);
        this.observer?.waiting(-1);
        reject(abortReason(aborted));
        // The line may move now that its head is gone.
        this.#admitWaiting();
      };
      const waiter: Waiter = {
        bytes,
        admit: () => {
          aborted.removeEventListener("abort", onAbort);
          resolve(this.#take(bytes, body));
        },
      };
      aborted.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
      this.observer?.waiting(1);
      this.#cutSlowBodies();
    });
  }

  #fits(bytes: number): boolean {
    return this.#held === 0 || this.#held + bytes <= this.limit;
  }

  #take(bytes: number, body: ArrivingBody | undefined): () => void {
    this.#held += bytes;
    this.observer?.held(bytes);
    let arriving: Arriving | undefined;
    if (body && !body.arrived()) {
      arriving = { body, since: performance.now() };
      this.#arriving.add(arriving);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (arriving) this.#arriving.delete(arriving);
      this.#held -= bytes;
      this.observer?.held(-bytes);
      this.#admitWaiting();
    };
  }

  /**
   * Cuts the bodies arriving too slowly that hold room while others wait, and looks again every
   * {@link SLOW_BODY_SWEEP_MS} for as long as anyone waits and a body is still arriving.
   */
  #cutSlowBodies(): void {
    if (this.#sweep !== undefined) return;
    const now = performance.now();
    for (const holder of this.#arriving) {
      if (holder.body.arrived()) {
        this.#arriving.delete(holder);
      } else if (tooSlow(now - holder.since, holder.body.received())) {
        // Cut once: its room is let go when its request ends, after its 408.
        this.#arriving.delete(holder);
        holder.body.cut(slowBodyError());
      }
    }
    if (this.#waiting.length === 0 || this.#arriving.size === 0) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      this.#cutSlowBodies();
    }, SLOW_BODY_SWEEP_MS);
    // Waiting requests keep the process alive by their sockets, not by this timer.
    this.#sweep.unref();
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

/** Whether a body let in `elapsedMs` ago that has sent `received` bytes since is behind the pace it must keep. */
function tooSlow(elapsedMs: number, received: number): boolean {
  return elapsedMs > SLOW_BODY_GRACE_MS && received < (SLOW_BODY_MIN_BYTES_PER_SECOND * (elapsedMs - SLOW_BODY_GRACE_MS)) / 1000;
}

function slowBodyError(): WrenError {
  const rate = `${SLOW_BODY_MIN_BYTES_PER_SECOND / 1024 / 1024} MiB/s`;
  return new WrenError("timeout", `The request body arrived slower than ${rate} while other requests waited for the room it holds.`, {
    status: 408,
    hint: `Send the whole body at once (at ${rate} or faster after the first ${SLOW_BODY_GRACE_MS / 1000} s), and retry.`,
    isRetryable: true,
  });
}


function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
