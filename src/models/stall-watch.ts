/** The watch on a connection that stops sending: a download's, and the Hub's HEAD and file-list requests'. */
import { WrenError } from "../shared/errors.js";
import { formatWait } from "../shared/wait-text.js";

/** How long a connection may deliver nothing before wren drops it, unless a caller says otherwise (tests). */
export const DEFAULT_STALL_MS = 60_000;

/** Why a connection was dropped by wren: no byte arrived for a while. */
class Stalled extends Error {}

/** Drops a connection that delivers no byte for a while (its `signal` aborts); the caller resets it on each chunk. */
export interface StallWatch {
  signal: AbortSignal;
  /** Bytes arrived: the wait starts again. */
  reset: () => void;
  /** Not waiting on the connection for now (reading the disk): no stall until the next `reset`. */
  pause: () => void;
  stalled: () => boolean;
  stop: () => void;
}

/** A {@link StallWatch}: its signal aborts when `reset` is not called for `ms`, and when `outer` aborts. */
export function stallWatch(ms: number, outer: AbortSignal | undefined): StallWatch {
  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const reset = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(new Stalled(`no data arrived for ${formatWait(ms)}`));
    }, ms);
    timer.unref();
  };
  const onOuter = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  outer?.addEventListener("abort", onOuter, { once: true });
  reset();
  return {
    signal: controller.signal,
    reset,
    pause: () => clearTimeout(timer),
    stalled: () => stalled,
    stop: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
    },
  };
}

/**
 * Runs one request to `host` under a {@link StallWatch} of `ms`: `run` passes `watch.signal` to the
 * fetch and calls `watch.reset()` on each chunk of the body it reads. A request that goes silent
 * for `ms` fails with a `network_error` that names the host, rather than waiting forever.
 */
export async function watchedRequest<T>(host: string, ms: number, outer: AbortSignal | undefined, run: (watch: StallWatch) => Promise<T>): Promise<T> {
  const watch = stallWatch(ms, outer);
  try {
    return await run(watch);
  } catch (error) {
    if (watch.stalled() && !outer?.aborted) {
      throw new WrenError("network_error", `${host} accepted the connection but sent nothing for ${formatWait(ms)}.`, {
        cause: error,
        isRetryable: true,
        hint: "Check the network (or HF_ENDPOINT) and try again.",
      });
    }
    throw error;
  } finally {
    watch.stop();
  }
}
