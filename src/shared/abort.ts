import { WrenError } from "./errors.js";

/** A controller that aborts when any of the given signals does; `dispose()` detaches the listeners. */
export function linkedAbortController(...signals: Array<AbortSignal | undefined>): AbortController & Disposable {
  return new LinkedAbortController(signals);
}

/** A {@link linkedAbortController} that also aborts on its own after a time. */
export interface TimeoutAbortController extends AbortController, Disposable {
  /** True once the time ran out (rather than a linked signal aborting). */
  readonly timedOut: boolean;
}

/**
 * A controller that aborts when any of the given signals does, or after `ms` with a `timeout`
 * WrenError saying `message` as its reason (or the error `message` makes, when it is a function: made
 * only if the time runs out); `dispose()` clears the timer and detaches the listeners.
 * Use it instead of `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: on Node 20 the combined
 * signal holds the timeout's signal only weakly, so a garbage collection before it fires drops it and
 * the timeout never comes. Here a plain timer holds the controller until it fires or is cleared.
 */
export function timeoutAbortController(ms: number, message: string | (() => Error), ...signals: Array<AbortSignal | undefined>): TimeoutAbortController {
  return new TimedAbortController(ms, message, signals);
}

/**
 * Classes rather than a controller given its extra members with `Object.assign` and
 * `Object.defineProperties`: those moved every request's controller to a shape of its own, and
 * cost the router about a hundredth of a millisecond per request (measured in `npm run bench`).
 */
class LinkedAbortController extends AbortController implements Disposable {
  /** Each linked signal and its listener, kept to detach them; one pair when one signal is linked (the usual case). */
  #linked: AbortSignal | Array<[AbortSignal, () => void]> | undefined;
  #onAbort: (() => void) | undefined;

  constructor(signals: Array<AbortSignal | undefined>) {
    super();
    for (const signal of signals) {
      if (!signal) continue;
      if (signal.aborted) {
        this.abort(signal.reason);
        break;
      }
      const onAbort = (): void => this.abort(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      if (this.#linked === undefined) {
        this.#linked = signal;
        this.#onAbort = onAbort;
      } else {
        if (!Array.isArray(this.#linked)) this.#linked = [[this.#linked, this.#onAbort as () => void]];
        this.#linked.push([signal, onAbort]);
      }
    }
  }

  [Symbol.dispose](): void {
    const linked = this.#linked;
    this.#linked = undefined;
    if (linked === undefined) return;
    if (!Array.isArray(linked)) linked.removeEventListener("abort", this.#onAbort as () => void);
    else for (const [signal, onAbort] of linked) signal.removeEventListener("abort", onAbort);
    this.#onAbort = undefined;
  }
}

class TimedAbortController extends LinkedAbortController implements TimeoutAbortController {
  #timedOut = false;
  readonly #timer: NodeJS.Timeout;

  constructor(ms: number, message: string | (() => Error), signals: Array<AbortSignal | undefined>) {
    super(signals);
    this.#timer = setTimeout(() => {
      if (this.signal.aborted) return;
      this.#timedOut = true;
      this.abort(typeof message === "function" ? message() : new WrenError("timeout", message, { isRetryable: true }));
    }, ms);
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  override [Symbol.dispose](): void {
    clearTimeout(this.#timer);
    super[Symbol.dispose]();
  }
}

export function abortedError(signal?: AbortSignal): WrenError {
  return new WrenError("aborted", "The request was cancelled.", { cause: signal?.reason });
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortedError(signal);
}

/** Why a signal aborted, as an error: its own reason when that is one (a timeout's WrenError), else `aborted` with the reason's words. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new WrenError("aborted", typeof reason === "string" ? reason : "The request was cancelled.");
}

/**
 * `work`, unless `signal` aborts first: then the error `reason` makes of it ({@link abortReason} by
 * default). What `work` settles to after that is left unheard, never an unhandled rejection.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, reason: (signal: AbortSignal) => Error = abortReason): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(reason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
