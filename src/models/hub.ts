import type { LookupFunction } from "node:net";
import { z } from "zod";
import { formatDuration } from "./bytes.js";
import { formatFileVersion, opaqueTag } from "./file-version.js";
import { WrenError } from "../shared/errors.js";
import { fetchFollowing } from "./download-fetch.js";
import { checkRedirect, internalNameRefused, isInternalHost, MAX_REDIRECTS, tokenMayGo, tooManyRedirects } from "./redirect-check.js";
import { connectionFor, resolvedInternal } from "./resolved-address.js";
import { DEFAULT_STALL_MS, watchedRequest, type StallWatch } from "./stall-watch.js";
import { parseRetryAfter } from "../shared/retry-after.js";
import { hasCredentials, withoutCredentials } from "./url-credentials.js";
import type { Env } from "../shared/paths.js";

export type FetchLike = typeof globalThis.fetch;

/** Where and how to reach the Hugging Face Hub (or a mirror of it). */
export interface HubOptions {
  env?: Env;
  /** Token from config; `HF_TOKEN` in the environment wins. */
  token?: string | undefined;
  fetch?: FetchLike;
  /** How host names are resolved (`dns.lookup`'s signature), for tests. Default `dns.lookup`. */
  lookup?: LookupFunction | undefined;
  signal?: AbortSignal | undefined;
  /** A request that gets no answer, or no byte of its body, for this long fails. Default 60 s. */
  stallTimeoutMs?: number | undefined;
}

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

/**
 * The Hub's base URL: `HF_ENDPOINT` (as the Hub's own clients honour it) or huggingface.co. One
 * with a user name or password in it is refused, neither of them repeated: wren would otherwise
 * show them in its messages (a token goes in HF_TOKEN).
 */
export function hubEndpoint(env: Env = process.env): string {
  const endpoint = (env["HF_ENDPOINT"] || DEFAULT_HF_ENDPOINT).replace(/\/+$/, "");
  if (hasCredentials(endpoint)) {
    throw new WrenError("bad_request", `HF_ENDPOINT carries a user name or password (${withoutCredentials(endpoint)}); wren does not send, keep or show credentials given in a URL.`, {
      hint: "Set HF_ENDPOINT to the address without them, and HF_TOKEN to the token of the Hub or mirror.",
    });
  }
  return endpoint;
}

export function hubToken(options: HubOptions): string | undefined {
  const env = options.env ?? process.env;
  return env["HF_TOKEN"] || env["HUGGING_FACE_HUB_TOKEN"] || options.token || undefined;
}

function encodePath(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

export function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(file)}`;
}

const treeEntrySchema = z.looseObject({
  type: z.string(),
  path: z.string(),
  size: z.number().nullish(),
  oid: z.string().nullish(),
  lfs: z.looseObject({ oid: z.string().nullish(), size: z.number().nullish() }).nullish(),
});
export type HubTreeEntry = z.infer<typeof treeEntrySchema>;

/** A hint on how to give wren a Hub token, for 401s. */
export const TOKEN_HINT =
  "Set HF_TOKEN in the environment (export HF_TOKEN=hf_…) to a token from https://huggingface.co/settings/tokens, and accept the model's licence on its Hub page.";

/** Maps a Hub error status to a WrenError that says what to do. */
export function hubError(status: number, what: string, endpoint: string, repo: string, hasToken: boolean, retryAfter?: string | null): WrenError {
  if (status === 401) {
    return new WrenError("unauthorized", `The Hub refused ${what}: ${hasToken ? "the token was not accepted" : "this repository needs a token"} (401).`, {
      hint: TOKEN_HINT,
    });
  }
  if (status === 403) {
    return new WrenError("forbidden", `The Hub refused ${what} (403): the repository is gated.`, {
      hint: `Accept its terms at ${endpoint}/${repo} with the account whose token is in HF_TOKEN.`,
    });
  }
  if (status === 404) {
    return new WrenError("model_not_found", `The Hub has no ${what} (404).`, {
      hint: `Check the name at ${endpoint}/${repo}; the file list is under "Files and versions".`,
    });
  }
  if (status === 429) {
    // upstream_error (exit 4, like the Hub's other failures), answered as 429 at the server edge.
    const seconds = parseRetryAfter(retryAfter);
    const wait = seconds === undefined ? undefined : Math.ceil(seconds);
    return new WrenError("upstream_error", `The Hub is rate limiting ${what} (429)${wait === undefined ? "" : `; it asks to wait ${formatDuration(wait)}`}.`, {
      isRetryable: true,
      status: 429,
      ...(wait === undefined ? {} : { retryAfter: wait }),
      hint: wait === undefined ? "Wait a minute and try again." : `Try again in ${formatDuration(wait)}.`,
    });
  }
  return new WrenError("upstream_error", `The Hub answered ${status} for ${what}.`, {
    isRetryable: status >= 500,
    hint: "Try again later, or set HF_ENDPOINT to a mirror.",
  });
}

export function networkError(url: string, cause: unknown): WrenError {
  const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new WrenError("network_error", `Could not reach ${new URL(url).origin}: ${reason}.`, {
    cause,
    isRetryable: true,
    hint: "Check the network (or HF_ENDPOINT), or use --offline with models already downloaded.",
  });
}

/**
 * The Authorization header for a request to `url` (default: the Hub endpoint): only to the Hub's own
 * origin, and never over plain http to a host beyond this machine's loopback.
 */
function authHeaders(options: HubOptions, url?: string): Record<string, string> {
  const token = hubToken(options);
  if (!token) return {};
  const hubOrigin = new URL(hubEndpoint(options.env)).origin;
  return tokenMayGo(new URL(url ?? hubOrigin), hubOrigin) ? { authorization: `Bearer ${token}` } : {};
}

/** A 401 from a plain-http Hub that wren withheld the token from says so. */
function withheldTokenError(error: WrenError, url: string, options: HubOptions): WrenError {
  const parsed = new URL(url);
  if (error.code !== "unauthorized" || !hubToken(options) || parsed.protocol !== "http:" || parsed.origin !== new URL(hubEndpoint(options.env)).origin) return error;
  return new WrenError("unauthorized", `${error.message} wren did not send HF_TOKEN: ${parsed.origin} is plain http, and a token sent over it could be read on the way.`, {
    cause: error,
    hint: "Set HF_ENDPOINT to the https address of the Hub or mirror.",
  });
}

/** The most a repository's file list may take (the largest on the Hub take a few MiB). */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

function unexpectedList(repo: string, cause?: unknown): WrenError {
  return new WrenError("upstream_error", `The Hub's file list for ${repo} has an unexpected shape.`, { cause, hint: "Check HF_ENDPOINT points at a Hugging Face Hub or mirror." });
}

/** A file list's JSON, read chunk by chunk under the stall watch, and never more than {@link MAX_LIST_BYTES}. */
async function readListBody(response: Response, watch: StallWatch, url: string, repo: string): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response.body ?? []) {
      watch.reset();
      bytes += (chunk as Uint8Array).byteLength;
      if (bytes > MAX_LIST_BYTES) {
        await response.body?.cancel().catch(() => undefined);
        throw new WrenError("upstream_error", `The Hub's file list for ${repo} is over ${MAX_LIST_BYTES / 1024 / 1024} MiB; wren stopped reading it.`, {
          hint: "Check HF_ENDPOINT points at a Hugging Face Hub or mirror.",
        });
      }
      chunks.push(chunk as Uint8Array);
    }
  } catch (cause) {
    if (cause instanceof WrenError || watch.signal.aborted) throw cause;
    throw networkError(url, cause);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch (cause) {
    throw unexpectedList(repo, cause);
  }
}

/** Lists every file of a repository at a revision (recursive). */
export async function listRepoFiles(repo: string, revision: string, options: HubOptions = {}): Promise<HubTreeEntry[]> {
  const endpoint = hubEndpoint(options.env);
  const url = `${endpoint}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const label = `the file list of ${repo}`;
  const host = new URL(url).host;
  // Redirects (a renamed repository) are followed with the download's checks, the token to the Hub only.
  const body = await watchedRequest(host, options.stallTimeoutMs ?? DEFAULT_STALL_MS, options.signal, async (watch) => {
    const response = await fetchFollowing({ url, headers: authHeaders(options, url), lookup: options.lookup }, {}, doFetch, watch.signal, label);
    watch.reset();
    if (!response.ok) {
      await response.body?.cancel();
      const what = response.status === 404 ? `repository ${repo}` : label;
      const sent = authHeaders(options, url)["authorization"] !== undefined;
      throw withheldTokenError(hubError(response.status, what, endpoint, repo, sent, response.headers.get("retry-after")), url, options);
    }
    return readListBody(response, watch, url, repo);
  });
  const parsed = z.array(treeEntrySchema).safeParse(body);
  if (!parsed.success) throw unexpectedList(repo);
  return parsed.data.filter((entry) => entry.type === "file");
}

/** What the Hub says about one file before downloading it. */
export interface HubFileMeta {
  /** Where the bytes are (after the Hub's redirect to its CDN). */
  downloadUrl: string;
  /** The commit the revision resolved to. */
  commit: string | null;
  /** SHA-256 from the LFS ETag, when the file is in LFS. */
  sha256: string | null;
  size: number | null;
  /**
   * What tells this version of the file from another: its SHA-256, else its ETag, else its
   * Last-Modified (null when the server gives none). A `.partial` file of another version is not resumed.
   */
  version: string | null;
  /** Whether to send the token to `downloadUrl`: only when it is on the Hub endpoint's origin. */
  onHub: boolean;
  /**
   * For a file without a SHA-256 whose headers came from `downloadUrl` itself: its strong ETag (or
   * Last-Modified), sent as `If-Range` on a resume so the server sends the whole file, not the rest
   * of another version's, when it changed since. Null otherwise.
   */
  ifRange?: string | null;
  /**
   * The URL whose redirect gave `downloadUrl`, when it was one: the download judges where that name
   * resolves as it would a redirect it followed itself.
   */
  redirectedFrom?: string;
}

function unquote(value: string | null): string | null {
  return value ? opaqueTag(value) : null;
}

/** Reads headers the way the Hub's clients do: X-Linked-* on the redirect win over plain ones. */
export function metaFromHeaders(headers: Headers, downloadUrl: string, onHub: boolean): HubFileMeta {
  const etag = unquote(headers.get("x-linked-etag")) ?? unquote(headers.get("etag"));
  const sizeText = headers.get("x-linked-size") ?? headers.get("content-length");
  const sha256 = etag && /^[0-9a-f]{64}$/i.test(etag) ? etag.toLowerCase() : null;
  const size = sizeText !== null && /^\d+$/.test(sizeText) ? Number(sizeText) : null;
  const version = formatFileVersion({ sha256, etag, lastModified: headers.get("last-modified"), size });
  return {
    downloadUrl,
    commit: headers.get("x-repo-commit"),
    sha256,
    size,
    version,
    onHub,
  };
}

/**
 * Asks the Hub where a file is, which commit it belongs to, its size and its SHA-256 (HEAD, no
 * automatic redirects). Like the Hub's own clients, it stops at the redirect to the Hub's CDN, whose
 * headers carry the LFS facts (X-Linked-Etag, X-Linked-Size), and follows any other (a renamed
 * repository, a file host's CDN) to where it leads: a redirect's own headers say nothing of the file.
 */
export async function headFile(url: string, what: { repo: string; label: string }, options: HubOptions = {}): Promise<HubFileMeta> {
  const endpoint = hubEndpoint(options.env);
  const hubOrigin = new URL(endpoint).origin;
  const doFetch = options.fetch ?? globalThis.fetch;
  let current = url;
  /** The URL whose redirect gave `current`. */
  let from: URL | undefined;
  let commit: string | null = null;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    // The token goes to the Hub only: not to another host given by URL, nor to where the Hub
    // redirects (its CDN URLs are signed), as the Hub's own clients do.
    const onHub = new URL(current).origin === hubOrigin;
    const headers = authHeaders(options, current);
    const at = new URL(current);
    try {
      response = await watchedRequest(at.host, options.stallTimeoutMs ?? DEFAULT_STALL_MS, options.signal, async (watch) => {
        const connection = await connectionFor(at, from !== undefined && !isInternalHost(from.hostname), options.lookup);
        return doFetch(current, { method: "HEAD", redirect: "manual", headers, signal: watch.signal, ...connection });
      });
    } catch (cause) {
      if (cause instanceof WrenError || options.signal?.aborted) throw cause;
      const refused = resolvedInternal(cause);
      if (refused && from) throw internalNameRefused(from, at, what.label, refused.address);
      throw networkError(current, cause);
    }
    commit ??= response.headers.get("x-repo-commit");
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      if (!location) throw new WrenError("upstream_error", `The Hub redirected ${what.label} without a Location.`, { hint: "Try again later." });
      const target = new URL(location, current);
      checkRedirect(new URL(current), target, what.label);
      const targetOnHub = target.origin === hubOrigin;
      if (response.headers.has("x-linked-etag")) {
        // The redirect's own content-length is of its empty body, not of the file.
        const headers = new Headers(response.headers);
        headers.delete("content-length");
        const meta = metaFromHeaders(headers, target.toString(), targetOnHub);
        return { ...meta, commit: meta.commit ?? commit, redirectedFrom: at.toString() };
      }
      // Any other redirect (a renamed repository, a file host's CDN) says nothing of the file: ask where it leads.
      from = at;
      current = target.toString();
      continue;
    }
    if (!response.ok) {
      const error = hubError(response.status, what.label, endpoint, what.repo, headers["authorization"] !== undefined, response.headers.get("retry-after"));
      throw onHub ? withheldTokenError(error, current, options) : error;
    }
    const meta = metaFromHeaders(response.headers, current, onHub);
    const etag = response.headers.get("etag");
    const ifRange = meta.sha256 ? null : etag && /^"/.test(etag.trim()) ? etag.trim() : response.headers.get("last-modified");
    return { ...meta, commit: meta.commit ?? commit, ifRange, ...(from ? { redirectedFrom: from.toString() } : {}) };
  }
  throw tooManyRedirects(what.label, new URL(current));
}

export { authHeaders };
