import { isIP } from "node:net";
import { WrenError } from "../shared/errors.js";

/** What came back from a page fetch, or where it pointed instead. */
export type FetchedPage =
  | { kind: "page"; url: string; status: number; statusText: string; contentType: string; body: Uint8Array; cut: boolean }
  | { kind: "redirect"; url: string; location: string; status: number };

/** Limits of one fetch. */
export interface FetchPageOptions {
  signal: AbortSignal;
  /** Bytes read at most; the rest of the body is dropped and `cut` set. */
  maxBytes: number;
  /** Redirects followed on the same host at most. */
  maxRedirects?: number;
}

/**
 * GETs a URL, following redirects only while they stay on the same host (an `http:` → `https:`
 * step or a `www.` prefix included): the user allowed this host, so a hop elsewhere is reported
 * to the model instead of followed. A hop to `http:` is upgraded as `upgradeToHttps` does.
 */
export async function fetchPage(start: URL, options: FetchPageOptions): Promise<FetchedPage> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, {
      redirect: "manual",
      signal: options.signal,
      headers: { accept: "text/html, text/markdown;q=0.9, text/plain;q=0.8, */*;q=0.5", "user-agent": "wren-webfetch" },
    });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = parseUrl(location, url);
      if (!next) throw new WrenError("upstream_error", `${url.href} redirects (${response.status}) to ${JSON.stringify(location)}, which is not a URL.`);
      if (!sameSite(url, next) || (next.protocol !== "http:" && next.protocol !== "https:")) {
        return { kind: "redirect", url: url.href, location: next.href, status: response.status };
      }
      if (hop >= (options.maxRedirects ?? 10)) {
        throw new WrenError("upstream_error", `${start.href} redirected more than ${options.maxRedirects ?? 10} times.`);
      }
      // A hop down to plain http is upgraded as a first URL is: the page must not leave https midway.
      url = upgradeToHttps(next);
      continue;
    }
    const { body, cut } = await readCapped(response, options.maxBytes);
    return {
      kind: "page",
      url: url.href,
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get("content-type") ?? "",
      body,
      cut,
    };
  }
}

/** `URL.parse`, which Node has only from 20.18. */
function parseUrl(text: string, base: URL): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

function sameSite(from: URL, to: URL): boolean {
  const bare = (host: string): string => host.replace(/^www\./, "");
  return bare(from.hostname) === bare(to.hostname) && (from.port === to.port || from.protocol !== to.protocol);
}

async function readCapped(response: Response, maxBytes: number): Promise<{ body: Uint8Array; cut: boolean }> {
  if (!response.body) return { body: new Uint8Array(), cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the body, so a huge response stops downloading at the cap.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      return { body: Buffer.concat(chunks), cut: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), cut: false };
}

/**
 * `http:` becomes `https:` for hosts on the internet (plain HTTP there can be read and changed on the
 * way); loopback, private addresses and `.local`/`.localhost`/`.internal` names keep `http:`, since
 * local servers rarely speak TLS.
 */
export function upgradeToHttps(url: URL): URL {
  if (url.protocol !== "http:" || isLocalHost(url.hostname)) return url;
  const upgraded = new URL(url.href);
  upgraded.protocol = "https:";
  return upgraded;
}

function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host)) return true;
  if (!host.includes(".") && isIP(host) === 0) return true;
  if (isIP(host) === 4) return /^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|0\.)/.test(host);
  if (isIP(host) === 6) return host === "::1" || /^f[cd]/.test(host) || host.startsWith("fe80:");
  return false;
}
