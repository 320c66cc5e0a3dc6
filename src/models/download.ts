import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import type { LookupFunction } from "node:net";
import path from "node:path";
import { renameRetrying } from "../shared/atomic-write.js";
import { WrenError, isAbortError } from "../shared/errors.js";
import { describeVersionChange, opaqueTag, sameFileVersion } from "./file-version.js";
import type { FetchLike } from "./hub.js";
import { formatWait } from "../shared/wait-text.js";
import { fetchFollowing } from "./download-fetch.js";
import { DEFAULT_STALL_MS, stallWatch, type StallWatch } from "./stall-watch.js";
import { storageError } from "./storage-error.js";

/** One progress report of a download. */
export interface DownloadProgress {
  /** File name being downloaded. */
  file: string;
  /** Bytes on disk so far (including what an earlier, interrupted run left). */
  received: number;
  /** Total bytes, when the server said. */
  total: number | null;
  /** Bytes already on disk when this run started (resumed from `.partial`). */
  resumedFrom: number;
  /** Set on the last report of a file. */
  done?: boolean;
  /** SHA-256 (hex) the source publishes for the file, when known (set by `pullModel`). */
  sha256?: string | null;
  /**
   * Set while bytes already on disk are read to check their SHA-256 (a file kept from before, a
   * `.partial` file resumed): nothing is downloaded, and `received` counts the bytes read so far.
   */
  verifying?: boolean;
}

export type ProgressListener = (progress: DownloadProgress) => void;

export interface DownloadOptions {
  url: string;
  /** Final path; bytes go to `<dest>.partial` until they are verified. */
  dest: string;
  /** Expected SHA-256 (hex); a mismatch deletes the download and throws `checksum_mismatch`. */
  sha256?: string | null;
  size?: number | null;
  /**
   * What tells this version of the file from another (the source's SHA-256, ETag or Last-Modified:
   * `HubFileMeta.version`). It is recorded beside the `.partial` file, and a `.partial` file of
   * another version is started over instead of resumed. Null or absent: resumed whatever it holds.
   */
  version?: string | null;
  /** Lines for people: a `.partial` file of an older version is started over. */
  onStatus?: ((message: string) => void) | undefined;
  /** Sent to `url`'s origin only: a redirect to another host gets none of them (a token stays with the Hub). */
  headers?: Record<string, string>;
  /**
   * The file's strong ETag or Last-Modified, sent as `If-Range` on a resume (`HubFileMeta.ifRange`):
   * a server whose file changed sends it whole. A 206 whose ETag is another is refused, never spliced.
   */
  ifRange?: string | null;
  /** A connection that delivers no byte for this long is dropped and resumed (as a cut one). Default 60 s. */
  stallTimeoutMs?: number;
  fetch?: FetchLike;
  /** How host names are resolved (`dns.lookup`'s signature), for tests. Default `dns.lookup`. */
  lookup?: LookupFunction | undefined;
  /**
   * The URL whose redirect gave `url` (the Hub's answer to a HEAD): where it is a host on the
   * internet, `url`'s name must resolve to public addresses, as for a redirect the download follows.
   */
  redirectedFrom?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  /** Extra attempts after a dropped connection, each resuming where the last stopped. Default 3. */
  retries?: number;
  /** Label for messages, e.g. the file name. */
  label?: string;
  /**
   * Keep a file already at `dest` whose size is `size` when there is no `sha256` to check it against
   * (it is said to be kept unverified), rather than download it again. Leave it false when the file
   * there is known to be another version (an update of a stored model). Default false.
   */
  keepUnverified?: boolean;
}

export interface DownloadResult {
  path: string;
  size: number;
  /** Null for a file kept unverified (`keepUnverified`): it was not read. */
  sha256: string | null;
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/**
 * Feeds the first `bytes` bytes of `file` to `hash`, reported as `verifying` progress of the file's
 * `total` (a `.partial` file's bytes are a part of it): a file of gigabytes takes a while to read.
 */
async function hashPrefix(file: string, hash: Hash, bytes: number, report: { options: DownloadOptions; label: string; total: number | null }): Promise<void> {
  const { options, label, total } = report;
  let read = 0;
  const progress = (): void =>
    options.onProgress?.({ file: label, received: read, total, resumedFrom: 0, verifying: true, ...(read === total ? { done: true } : {}) });
  progress();
  if (bytes === 0) return;
  for await (const chunk of createReadStream(file, { end: bytes - 1, highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    read += (chunk as Buffer).byteLength;
    progress();
  }
}

class Interrupted extends Error {}

/** More bytes arrived than the file has. */
class TooLong extends Error {}

/** Beside `<dest>.partial`: the version of the file its bytes are from. */
export function partialVersionPath(dest: string): string {
  return `${dest}.partial.version`;
}

/**
 * Whether the bytes in `.partial` may be resumed: they are of the version the source serves now
 * (ETags compared weakly: `W/"x"` and `"x"` are one version). Without a recorded version (a
 * `.partial` of an older wren), only when a SHA-256 will catch a mix. Otherwise, why not, for people.
 */
async function partialIsCurrent(options: DownloadOptions): Promise<{ current: true } | { current: false; why: string }> {
  if (!options.version) return { current: true };
  const recorded = await readFile(partialVersionPath(options.dest), "utf8").catch(() => undefined);
  if (recorded === undefined) {
    return options.sha256 ? { current: true } : { current: false, why: "which version of it was downloaded so far is not recorded, and it has no SHA-256 to check a resume against" };
  }
  if (sameFileVersion(recorded, options.version)) return { current: true };
  return { current: false, why: `it changed at its source since its download began${describeVersionChange(recorded, options.version)}` };
}

async function removePartial(dest: string): Promise<void> {
  await rm(`${dest}.partial`, { force: true });
  await rm(partialVersionPath(dest), { force: true });
}

/**
 * Why the finished download could not take its name, where Windows refused to replace the file
 * there (tried again for a while first: an antivirus scan passes): a process has it open, most
 * often a wren daemon or server that loaded the model, whose memory maps it. Undefined for any
 * other failure.
 */
export function replaceRefused(error: unknown, label: string, platform: NodeJS.Platform = process.platform): WrenError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (platform !== "win32" || (code !== "EPERM" && code !== "EACCES" && code !== "EBUSY")) return undefined;
  return new WrenError("download_failed", `${label} is downloaded, but the copy already there could not be replaced: a process has it open (a wren daemon or server that loaded it, or another program).`, {
    cause: error,
    hint: "Stop what uses it (`wren daemon stop` stops the daemon), then run the same command again.",
  });
}

/**
 * Downloads a URL to `dest`, resuming from `<dest>.partial` with an HTTP Range request when an earlier
 * run stopped, verifying SHA-256 (when known) before the file takes its final name.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const partial = `${options.dest}.partial`;
  const label = options.label ?? path.basename(options.dest);
  const doFetch = options.fetch ?? globalThis.fetch;
  await mkdir(path.dirname(options.dest), { recursive: true });
  const present = await presentAndVerified(options, label);
  if (present) return present;
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await attemptDownload(options, partial, label, doFetch);
      if (options.sha256 && result.sha256 !== options.sha256.toLowerCase()) {
        await removePartial(options.dest);
        throw new WrenError("checksum_mismatch", `${label} is corrupt: its SHA-256 is ${result.sha256}, the Hub publishes ${options.sha256}. The download was deleted.`, {
          hint: "Run the pull again; if it keeps happening, the mirror (HF_ENDPOINT) or a proxy is altering the file.",
          isRetryable: true,
        });
      }
      if (options.size != null && result.size !== options.size) {
        await removePartial(options.dest);
        throw new WrenError("download_failed", `${label} is ${result.size} bytes, expected ${options.size}. The download was deleted.`, {
          hint: "Run the pull again.",
          isRetryable: true,
        });
      }
      await renameRetrying((from, to) => rename(from, to), partial, options.dest).catch((error: unknown) => {
        throw replaceRefused(error, label) ?? error;
      });
      await rm(partialVersionPath(options.dest), { force: true });
      return { path: options.dest, size: result.size, sha256: result.sha256 };
    } catch (error) {
      if (error instanceof Interrupted && attempt < retries && !options.signal?.aborted) {
        // Said, so that a bar that stopped moving is explained.
        options.onStatus?.(`${label}: ${error.message}; resuming (try ${attempt + 2} of ${retries + 1}).`);
        continue;
      }
      if (error instanceof Interrupted) {
        const have = await fileSize(partial);
        throw new WrenError("download_failed", `The download of ${label} was interrupted after ${have} bytes: ${error.message}.`, {
          cause: error.cause,
          isRetryable: true,
          hint: "Run the same command again: it resumes from where it stopped.",
        });
      }
      throw error;
    }
  }
}

/**
 * The file already at `dest` (the store's index lost it: manifest.json deleted or replaced), kept
 * when its size and SHA-256 are the ones published. Without a published SHA-256 it cannot be told
 * from another version of that size: kept unread when `keepUnverified`, else downloaded again.
 */
async function presentAndVerified(options: DownloadOptions, label: string): Promise<DownloadResult | undefined> {
  if (options.size == null || (!options.sha256 && !options.keepUnverified)) return undefined;
  const size = await stat(options.dest).then((s) => (s.isFile() ? s.size : -1), () => -1);
  if (size !== options.size) return undefined;
  if (!options.sha256) {
    options.onStatus?.(`${label} is already in the models folder with the size the source gives (${size} bytes); kept without a check: the source publishes no SHA-256 for it.`);
    return { path: options.dest, size, sha256: null };
  }
  const hash = createHash("sha256");
  await hashPrefix(options.dest, hash, size, { options, label, total: size });
  const sha256 = hash.digest("hex");
  if (sha256 !== options.sha256.toLowerCase()) return undefined;
  options.onStatus?.(`${label} is already in the models folder and matches its SHA-256; not downloading it again.`);
  return { path: options.dest, size, sha256 };
}

/** Whether a 206's ETag (or Last-Modified) says its bytes are of another version than the one `If-Range` named. */
function otherVersion(ifRange: string | null | undefined, headers: Headers): boolean {
  if (!ifRange) return false;
  if (/^"/.test(ifRange)) {
    const etag = headers.get("etag");
    return etag !== null && opaqueTag(ifRange) !== opaqueTag(etag);
  }
  const lastModified = headers.get("last-modified");
  return lastModified !== null && Date.parse(lastModified) !== Date.parse(ifRange);
}

function versionChange(ifRange: string, headers: Headers): string {
  return /^"/.test(ifRange)
    ? `ETag ${opaqueTag(ifRange)} then, ${opaqueTag(headers.get("etag") ?? "")} now`
    : `Last-Modified ${ifRange} then, ${headers.get("last-modified") ?? ""} now`;
}

async function attemptDownload(
  options: DownloadOptions,
  partial: string,
  label: string,
  doFetch: FetchLike,
): Promise<{ size: number; sha256: string }> {
  let offset = await fileSize(partial);
  const resumable = offset > 0 ? await partialIsCurrent(options) : { current: true as const };
  if (!resumable.current) {
    options.onStatus?.(`${label}: ${resumable.why}; starting over.`);
    await removePartial(options.dest);
    offset = 0;
  }
  if (options.size != null && offset > options.size) {
    await removePartial(options.dest);
    offset = 0;
  }
  const hash = createHash("sha256");
  if (options.size != null && offset > 0 && offset === options.size) {
    await hashPrefix(partial, hash, offset, { options, label, total: offset });
    return { size: offset, sha256: hash.digest("hex") };
  }
  const headers: Record<string, string> = {};
  if (offset > 0) headers["range"] = `bytes=${offset}-`;
  if (offset > 0 && options.ifRange) headers["if-range"] = options.ifRange;
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
  const watch = stallWatch(stallMs, options.signal);
  try {
    return await receive(options, { partial, label, offset, hash, headers, watch }, doFetch);
  } catch (error) {
    if (watch.stalled() && !options.signal?.aborted) {
      throw new Interrupted(`no data arrived from ${new URL(options.url).host} for ${formatWait(stallMs)}`, { cause: error });
    }
    throw error;
  } finally {
    watch.stop();
  }
}

async function receive(
  options: DownloadOptions,
  state: { partial: string; label: string; offset: number; hash: Hash; headers: Record<string, string>; watch: StallWatch },
  doFetch: FetchLike,
): Promise<{ size: number; sha256: string }> {
  const { partial, label, hash, watch } = state;
  let offset = state.offset;
  const response = await fetchFollowing(options, state.headers, doFetch, watch.signal, label);
  watch.reset();
  if (response.status === 416 && offset > 0) {
    // The partial file does not match what the server has: start over.
    await response.body?.cancel();
    await removePartial(options.dest);
    options.onStatus?.(`${label}: the server refused to resume at ${offset} bytes (416); starting over.`);
    throw new Interrupted("the server refused to resume");
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new WrenError("download_failed", `Downloading ${label} failed: the server answered ${response.status}.`, {
      isRetryable: response.status >= 500,
      hint: response.status === 401 || response.status === 403 ? "Set HF_TOKEN to a token that can read this repository." : "Check the reference and try again.",
    });
  }
  if (offset > 0 && response.status === 206) {
    const range = /bytes (\d+)-/.exec(response.headers.get("content-range") ?? "");
    if (!range || Number(range[1]) !== offset) {
      await response.body.cancel();
      await removePartial(options.dest);
      throw new Interrupted("the server resumed at the wrong offset");
    }
    if (otherVersion(options.ifRange, response.headers)) {
      // The server ignored If-Range: these bytes are the rest of another version.
      await response.body.cancel();
      await removePartial(options.dest);
      throw new WrenError("download_failed", `${label} changed at its source during the download (${versionChange(options.ifRange ?? "", response.headers)}); what was downloaded of the old version was deleted.`, {
        isRetryable: true,
        hint: "Run the same command again: it downloads the new version.",
      });
    }
    // Reading gigabytes already on disk is not the connection stalling.
    watch.pause();
    await hashPrefix(partial, hash, offset, { options, label, total: options.size ?? null });
    watch.reset();
  } else {
    if (offset > 0) options.onStatus?.(`${label}: the server sent the whole file instead of resuming at ${offset} bytes; starting over.`);
    offset = 0;
  }
  const length = Number(response.headers.get("content-length") ?? NaN);
  const total = options.size ?? (Number.isFinite(length) ? offset + length : null);
  const resumedFrom = offset;
  const handle = await open(partial, offset > 0 ? "a" : "w");
  if (offset === 0) {
    // Recorded once the file is emptied and before its first byte: no byte is ever taken for another version's.
    const record = options.version ? writeFile(partialVersionPath(options.dest), options.version) : rm(partialVersionPath(options.dest), { force: true });
    await record.catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
  }
  let received = offset;
  try {
    options.onProgress?.({ file: label, received, total, resumedFrom });
    for await (const chunk of response.body) {
      const bytes = chunk as Uint8Array;
      try {
        await handle.write(bytes);
      } catch (error) {
        throw storageError(error, path.dirname(options.dest), { label, received, total }) ?? error;
      }
      hash.update(bytes);
      received += bytes.byteLength;
      watch.reset();
      options.onProgress?.({ file: label, received, total, resumedFrom });
      if (options.size != null && received > options.size) {
        await response.body.cancel().catch(() => undefined);
        throw new TooLong();
      }
    }
  } catch (cause) {
    if (isAbortError(cause) || options.signal?.aborted || cause instanceof WrenError) throw cause;
    if (cause instanceof TooLong) {
      await handle.close().catch(() => undefined);
      await removePartial(options.dest);
      throw new WrenError("download_failed", `The server sent more of ${label} than its ${options.size} bytes; the download was deleted.`, {
        isRetryable: true,
        hint: "Run the pull again; if it keeps happening, the mirror (HF_ENDPOINT), the server or a proxy is altering the file.",
      });
    }
    throw new Interrupted(cause instanceof Error ? cause.message : String(cause), { cause });
  } finally {
    // Closing twice (after TooLong) does nothing.
    await handle.close();
  }
  if (total !== null && received < total) throw new Interrupted(`the connection closed at ${received} of ${total} bytes`);
  options.onProgress?.({ file: label, received, total: total ?? received, resumedFrom, done: true });
  return { size: received, sha256: hash.digest("hex") };
}
