/** How a download reaches its bytes: redirects followed with checks, and a watch on a connection that stops sending. */
import { WrenError, isAbortError } from "../shared/errors.js";
import type { DownloadOptions } from "./download.js";
import { networkError, type FetchLike } from "./hub.js";
import { checkRedirect, internalNameRefused, isInternalHost, MAX_REDIRECTS, tooManyRedirects } from "./redirect-check.js";
import { connectionFor, resolvedInternal } from "./resolved-address.js";

/**
 * GETs `options.url`, following redirects itself: each is checked (no https → http, no internet →
 * private address, no loop) and `options.headers` (a token) go to the first origin only. A redirect
 * from a host on the internet to a name is followed only where that name resolves to public
 * addresses (judged in the connection's own lookup: see resolved-address.ts).
 */
export async function fetchFollowing(
  options: Pick<DownloadOptions, "url" | "headers" | "lookup" | "redirectedFrom">,
  extra: Record<string, string>,
  doFetch: FetchLike,
  signal: AbortSignal,
  label: string,
): Promise<Response> {
  let current = new URL(options.url);
  const origin = current.origin;
  let from = options.redirectedFrom ? new URL(options.redirectedFrom) : undefined;
  for (let hop = 0; ; hop++) {
    const headers = current.origin === origin ? { ...options.headers, ...extra } : extra;
    let response: Response;
    try {
      const connection = await connectionFor(current, from !== undefined && !isInternalHost(from.hostname), options.lookup);
      response = await doFetch(current.toString(), { headers, redirect: "manual", signal, ...connection });
    } catch (cause) {
      if (isAbortError(cause) || signal.aborted) throw cause;
      const refused = resolvedInternal(cause);
      if (refused && from) throw internalNameRefused(from, current, label, refused.address);
      throw networkError(current.toString(), cause);
    }
    if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (!location) throw new WrenError("upstream_error", `${current.origin} redirected the download of ${label} without a Location.`, { hint: "Try again later." });
    const target = new URL(location, current);
    if (hop >= MAX_REDIRECTS) throw tooManyRedirects(label, target);
    checkRedirect(current, target, label);
    from = current;
    current = target;
  }
}
