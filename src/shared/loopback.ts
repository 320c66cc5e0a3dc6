import { isIP } from "node:net";

/**
 * Whether a host name (as a URL or a Host header gives it, brackets allowed) names this machine's
 * loopback: `localhost` and `*.localhost` (RFC 6761), 127.0.0.0/8, `::1` and IPv4-mapped 127.x.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || /^::ffff:127\./.test(host);
  return false;
}

/** Whether a URL points at this machine's loopback (see {@link isLoopbackHost}); false for one that does not parse. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}
