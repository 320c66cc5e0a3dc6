import { isIP, type LookupFunction } from "node:net";
import type { Dispatcher } from "undici";
import { WrenError } from "../shared/errors.js";
import { nodeFetchTakesAgent } from "../shared/node-fetch.js";
import { checkedLookup, isLocalHostName, ResolvedAddressRefused } from "../shared/checked-lookup.js";
import { proxyFor } from "../shared/proxy-env.js";

/** What came back from a page fetch, or where it pointed instead. */
export type FetchedPage =
  | { kind: "page"; url: string; status: number; statusText: string; contentType: string; body: Uint8Array; cut: boolean; limit: number }
  | { kind: "redirect"; url: string; location: string; status: number };

/** Limits of one fetch. */
export interface FetchPageOptions {
  signal: AbortSignal;
  /** Bytes read at most; the rest of the body is dropped and `cut` set. */
  maxBytes: number;
  /** Bytes read at most of a response of this content type, when it is fewer than `maxBytes`. */
  maxBytesFor?: (contentType: string) => number;
  /**
   * Whether a body is not text, judged once on its first {@link SNIFF_BYTES} bytes (the whole body
   * when shorter): true stops the read there, with `cut` set, so a binary body is not downloaded
   * only to be refused.
   */
  isNotText?: (head: Uint8Array, contentType: string) => boolean;
  /** Redirects followed on the same host at most. */
  maxRedirects?: number;
  /**
   * How host names are resolved (`dns.lookup`'s signature). Default `dns.lookup`. Whatever it
   * answers is checked (`checkedLookup`) in the connection's own resolution.
   */
  lookup?: LookupFunction;
  /**
   * Whether a host that reads as public may resolve to a private network (see
   * `CheckedLookupOptions.privateAllowed`). Default: no host.
   */
  privateAllowed?: (host: string) => boolean;
  /** The connection pool, built from the checked lookup. Default: an undici `Agent` connecting through it. Tests replace it. */
  dispatcher?: (lookup: LookupFunction) => Dispatcher;
}

/** The bytes a body is judged on (`FetchPageOptions.isNotText`): git's sample for its binary test. */
export const SNIFF_BYTES = 8000;

/** Whether this Node's fetch takes wren's undici Agent (see {@link nodeFetchTakesAgent}): decided once. */
const OWN_POOL = nodeFetchTakesAgent(process.versions["undici"]);

/**
 * GETs a URL, following redirects only while they stay on the same host (an `http:` → `https:`
 * step or a `www.` prefix included): the user allowed this host, so a hop elsewhere is reported
 * to the model instead of followed. A hop to `http:` is upgraded as `upgradeToHttps` does.
 */
export async function fetchPage(start: URL, options: FetchPageOptions): Promise<FetchedPage> {
  const lookup = checkedLookup(options.lookup, options.privateAllowed ? { privateAllowed: options.privateAllowed } : {});
  // Each connection resolves its host through the checked lookup: the address checked is the one
  // connected to, with no second resolution a rebinding DNS server could answer differently.
  const pool = options.dispatcher ? options.dispatcher(lookup) : OWN_POOL ? await checkedAgent(lookup) : undefined;
  const proxies = new Map<string, Promise<Dispatcher>>();
  try {
    return await fetchThrough(start, options, lookup, pool, proxies);
  } catch (error) {
    const refused = error instanceof ResolvedAddressRefused ? error : error instanceof Error && error.cause instanceof ResolvedAddressRefused ? error.cause : undefined;
    if (!refused) throw error;
    throw new WrenError("forbidden", `WebFetch did not fetch ${refused.hostname}: ${refused.message}`, { cause: refused, hint: refusalHint(refused) });
  } finally {
    await pool?.destroy().catch(() => undefined);
    for (const proxied of proxies.values()) await proxied.then((p) => p.destroy()).catch(() => undefined);
  }
}

/** What to do about a refused address: for a private network, the one rule that allows it. */
function refusalHint(refused: ResolvedAddressRefused): string {
  if (isLocalHostName(refused.hostname)) return "Fetch a server on this machine by localhost or 127.0.0.1.";
  if (refused.kind === "private") {
    const host = refused.hostname.toLowerCase().replace(/\.$/, "");
    return (
      `If ${host} is a server of your own network, add "WebFetch(domain:${host})" to allow under [permissions] in settings.toml in wren's config directory ` +
      "(or in the project's .wren/settings.toml): only an allow rule there that names the host exactly lets a public name lead to a private address; " +
      "a rule for its subdomains or every host, or an answer for once or the session, does not."
    );
  }
  return "To fetch a server on this machine or your own network, name it by its address or a local name in the URL (localhost, NAME.local, NAME.internal, NAME.lan, a name without dots), which you are asked about as such.";
}

/** undici's Agent connecting through `lookup`, loaded on the first fetch (bundled, undici exports only `Agent`). */
async function checkedAgent(lookup: LookupFunction): Promise<Dispatcher> {
  const { Agent } = await import("undici");
  return new Agent({ connect: { lookup } });
}

async function fetchThrough(start: URL, options: FetchPageOptions, lookup: LookupFunction, pool: Dispatcher | undefined, proxies: Map<string, Promise<Dispatcher>>): Promise<FetchedPage> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const name = isIP(url.hostname.replace(/^\[|\]$/g, "")) === 0;
    // Behind the proxy the environment names, the proxy resolves and connects. A name this machine
    // resolves is judged here first, as a connection of its own would judge it; one it cannot
    // resolve (a network whose DNS answers only the proxy) is the proxy's to reach.
    const proxy = pool && !options.dispatcher ? proxyFor(url) : undefined;
    if (proxy !== undefined && name) {
      await resolveChecked(lookup, url.hostname).catch((error: unknown) => {
        if (!isUnresolved(error)) throw error;
      });
    }
    // Where this Node's fetch refuses wren's Agent, the name is checked just before the fetch
    // resolves it again: a DNS answer that changes between the two is not caught there.
    else if (!pool && name) await resolveChecked(lookup, url.hostname);
    const dispatcher = proxy !== undefined ? await proxyPool(proxies, proxy) : pool;
    const response = await fetch(url, {
      redirect: "manual",
      signal: options.signal,
      headers: { accept: "text/html, text/markdown;q=0.9, text/plain;q=0.8, */*;q=0.5", "user-agent": "wren-webfetch" },
      ...(dispatcher ? { dispatcher } : {}),
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
    const contentType = response.headers.get("content-type") ?? "";
    const limit = Math.min(options.maxBytes, options.maxBytesFor?.(contentType) ?? Infinity);
    const isNotText = options.isNotText;
    const { body, cut } = await readCapped(response, limit, isNotText && ((head) => isNotText(head, contentType)));
    return { kind: "page", url: url.href, status: response.status, statusText: response.statusText, contentType, body, cut, limit };
  }
}

/** A name that does not resolve here (not found, or no answer for now). */
function isUnresolved(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA";
}

/** The pool through `proxy`, one per fetch and proxy. */
function proxyPool(proxies: Map<string, Promise<Dispatcher>>, proxy: string): Promise<Dispatcher> {
  let pool = proxies.get(proxy);
  if (!pool) {
    pool = import("undici").then(({ ProxyAgent }) => new ProxyAgent({ uri: proxy }));
    proxies.set(proxy, pool);
  }
  return pool;
}

function resolveChecked(lookup: LookupFunction, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => lookup(hostname, { all: true }, (error) => (error ? reject(error) : resolve())));
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

async function readCapped(response: Response, maxBytes: number, isNotText?: false | ((head: Uint8Array) => boolean)): Promise<{ body: Uint8Array; cut: boolean }> {
  if (!response.body) return { body: new Uint8Array(), cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let judged = !isNotText;
  // Leaving the loop early cancels the body, so a huge response stops downloading at the cap.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      return { body: Buffer.concat(chunks), cut: true };
    }
    chunks.push(chunk);
    size += chunk.length;
    if (!judged && size >= SNIFF_BYTES) {
      judged = true;
      const body = Buffer.concat(chunks);
      if (isNotText && isNotText(body.subarray(0, SNIFF_BYTES))) return { body, cut: true };
    }
  }
  return { body: Buffer.concat(chunks), cut: false };
}

/**
 * `http:` becomes `https:` for hosts on the internet (plain HTTP there can be read and changed on the
 * way); loopback, private addresses and `.local`/`.localhost`/`.internal` names keep `http:`, since
 * local servers rarely speak TLS.
 */
export function upgradeToHttps(url: URL): URL {
  if (url.protocol !== "http:" || isLocalHostName(url.hostname)) return url;
  const upgraded = new URL(url.href);
  upgraded.protocol = "https:";
  return upgraded;
}
