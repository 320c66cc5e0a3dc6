/** How a download reaches its bytes: redirects followed with checks, and a watch on a connection that stops sending. */
import { WrenError, isAbortError } from "../shared/errors.js";
import { formatWait } from "../shared/wait-text.js";
import type { DownloadOptions } from "./download.js";
import { networkError, type FetchLike } from "./hub.js";
import { checkRedirect, MAX_REDIRECTS, tooManyRedirects } from "./redirect-check.js";

/** Why a download's connection was dropped by wren: no byte arrived for a while. */
class Stalled extends Error {}

/**
 * GETs `options.url`, following redirects itself: each is checked (no https → http, no internet →
 * private address, no loop) and `options.headers` (a token) go to the first origin only.
 */
export async function fetchFollowing(options: Pick<DownloadOptions, "url" | "headers">, extra: Record<string, string>, doFetch: FetchLike, signal: AbortSignal, label: string): Promise<Response> {
  let current = new URL(options.url);
  const origin = current.origin;
  for (let hop = 0; ; hop++) {
    const headers = current.origin === origin ? { ...options.headers, ...extra } : extra;
    let response: Response;
    try {
      response = await doFetch(current.toString(), { headers, redirect: "manual", signal });
    } catch (cause) {
      if (isAbortError(cause) || signal.aborted) throw cause;
      throw networkError(current.toString(), cause);
    }
    if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (!location) throw new WrenError("upstream_error", `${current.origin} redirected the download of ${label} without a Location.`, { hint: "Try again later." });
    const target = new URL(location, current);
    if (hop >= MAX_REDIRECTS) throw tooManyRedirects(label, target);
    checkRedirect(current, target, label);
    current = target;
  }
}

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
