import { WrenError } from "./errors.js";

/** A controller that aborts when any of the given signals does; `dispose()` detaches the listeners. */
export function linkedAbortController(...signals: Array<AbortSignal | undefined>): AbortController & Disposable {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener("abort", onAbort));
  }
  return Object.assign(controller, {
    [Symbol.dispose](): void {
      for (const cleanup of cleanups) cleanup();
    },
  });
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
  const linked = linkedAbortController(...signals);
  let timedOut = false;
  const timer = setTimeout(() => {
    if (linked.signal.aborted) return;
    timedOut = true;
    linked.abort(typeof message === "function" ? message() : new WrenError("timeout", message, { isRetryable: true }));
  }, ms);
  const detach = linked[Symbol.dispose].bind(linked);
  return Object.defineProperties(linked, {
    timedOut: { get: () => timedOut },
    [Symbol.dispose]: {
      value(): void {
        clearTimeout(timer);
        detach();
      },
    },
  }) as TimeoutAbortController;
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
