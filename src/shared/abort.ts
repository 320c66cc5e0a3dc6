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
