import { isIP } from "node:net";
import { addressKind } from "../shared/address-kind.js";
import { WrenError } from "../shared/errors.js";
import { isLoopbackHost } from "../shared/loopback.js";

/** Redirects a download follows at most (the Hub: resolve → CDN, a renamed repository: one more). */
export const MAX_REDIRECTS = 5;

/**
 * Whether a host is on this machine or its private networks, by its literal address: loopback,
 * private (RFC 1918, CGNAT, IPv6 unique-local), link-local (cloud metadata services live at
 * 169.254.169.254) and reserved ranges, as shared/address-kind.ts judges them. A name is not
 * resolved here: only `localhost` names count.
 */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isLoopbackHost(host)) return true;
  return isIP(host) !== 0 && addressKind(host) !== "public";
}

/**
 * Refuses a redirect a download must not follow: to a scheme other than http(s), from https to plain
 * http (the file, and a signed URL, would travel in the clear), or from a host on the internet to one
 * on this machine or its private network (a hostile or hijacked server reaching what only this
 * machine can). Redirects among private hosts (a mirror on the LAN, a local test server) are followed.
 */
export function checkRedirect(from: URL, to: URL, label: string): void {
  const refuse = (why: string, hint: string): never => {
    throw new WrenError("upstream_error", `${from.origin} redirected the download of ${label} to ${to.origin}, ${why}; wren does not follow it.`, { hint });
  };
  if (to.protocol !== "https:" && to.protocol !== "http:") refuse("which is not an http(s) address", "Check HF_ENDPOINT, or the URL, points at a server you trust.");
  if (from.protocol === "https:" && to.protocol === "http:") {
    refuse("plain http, unencrypted", "Check HF_ENDPOINT, or the URL, points at a server you trust; a proxy on the way may be rewriting the address.");
  }
  if (isInternalHost(to.hostname) && !isInternalHost(from.hostname)) {
    refuse("an address on this machine or its private network", "Check HF_ENDPOINT, or the URL, points at a server you trust. To download from a server on your network, give its address directly.");
  }
}

/**
 * The refusal when a redirect from a host on the internet led to a NAME that resolved to this
 * machine or its private network (refused in the connection's lookup: nothing was sent there).
 */
export function internalNameRefused(from: URL, to: URL, label: string, address: string): WrenError {
  return new WrenError("upstream_error", `${from.origin} redirected the download of ${label} to ${to.origin}, whose name resolves to ${address}, an address on this machine or its private network; wren does not follow it.`, {
    hint: "Check HF_ENDPOINT, or the URL, points at a server you trust. To download from a server on your network, give its address directly.",
  });
}

/** The refusal when a download redirects in a loop or too many times. */
export function tooManyRedirects(label: string, last: URL): WrenError {
  return new WrenError("upstream_error", `The download of ${label} was redirected more than ${MAX_REDIRECTS} times (last to ${last.origin}); it is a loop or a misconfigured server.`, {
    hint: "Check HF_ENDPOINT, or the URL, and try again later.",
  });
}

/**
 * Whether a Hub token may be sent to `url`: only to the Hub itself (the origin of `HF_ENDPOINT`), and
 * there only over https, or plain http on this machine's loopback (a local mirror or test server).
 */
export function tokenMayGo(url: URL, hubOrigin: string): boolean {
  return url.origin === hubOrigin && (url.protocol === "https:" || isLoopbackHost(url.hostname));
}
