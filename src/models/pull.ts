import type { LookupFunction } from "node:net";
import os from "node:os";
import path from "node:path";
import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import { closeCatalogNames, findCatalogEntry, orList } from "./catalog.js";
import { downloadFile, type ProgressListener } from "./download.js";
import { withFileLock, type LockOwner } from "./file-lock.js";
import { authHeaders, headFile, hubEndpoint, listRepoFiles, resolveUrl, type FetchLike, type HubOptions } from "./hub.js";
import { putEntry, type ManifestEntry } from "./manifest.js";
import { formatModelRef, hubModelName, isSafeRepoFile, parseModelRef, quantOfFileName, splitPartNames, unsafeRepoFileReason, type ModelRef } from "./ref.js";
import { isModelFile, selectQuantFile } from "./select-quant.js";
import { storageError } from "./storage-error.js";
import { unconfirmedOwner } from "./lock-owner.js";
import { absoluteEntryPath, downloadLockPath, findAllStored, findStoredFile, hfStorePath, unconfirmedLockStep, urlStorePath } from "./store.js";

export interface PullOptions {
  /** The models directory (the store). */
  modelsDir: string;
  /** Environment for HF_ENDPOINT and HF_TOKEN. Default `process.env`. */
  env?: Env;
  /** Hub token from config (HF_TOKEN wins). */
  token?: string | undefined;
  fetch?: FetchLike;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  /** Status lines for people: "waiting for another download", "already present". */
  onStatus?: ((message: string) => void) | undefined;
  /** Fetch the newest revision even when the model is present. Default false. */
  update?: boolean;
  /** Extra attempts after a dropped connection (each resumes). Default 3. */
  retries?: number;
  /**
   * A download connection that delivers no byte for this long is dropped and resumed; a request to
   * the Hub (HEAD, file list) that gets no answer for this long fails. Default 60 s.
   */
  stallTimeoutMs?: number;
  /** How host names are resolved (`dns.lookup`'s signature), for tests. Default `dns.lookup`. */
  lookup?: LookupFunction | undefined;
}

export interface PullResult {
  entry: ManifestEntry;
  /** Absolute path of the (first) GGUF file. */
  path: string;
  /** False when the model was already in the store. */
  downloaded: boolean;
}

interface PlannedFile {
  /** Path inside the repo (or the URL's file name). */
  repoFile: string;
  url: string;
  storePath: string;
}

interface Plan {
  /** The reference the model is recorded under, naming it alone (`hf:org/repo:Q4_K_M` for `hf:org/repo`). */
  ref: string;
  /** `ref`, parsed (a catalog pull: the name). */
  parsed: ModelRef;
  source: ManifestEntry["source"];
  repo?: string;
  revision?: string;
  quant?: string | undefined;
  name?: string;
  url?: string;
  files: PlannedFile[];
}

function hubOptions(options: PullOptions): HubOptions {
  return {
    env: options.env ?? process.env,
    token: options.token,
    fetch: options.fetch ?? globalThis.fetch,
    lookup: options.lookup,
    signal: options.signal,
    stallTimeoutMs: options.stallTimeoutMs,
  };
}

/** Turns a reference into the list of files to fetch (asks the Hub for the file list when a quant is named). */
async function plan(ref: ModelRef, options: PullOptions): Promise<Plan> {
  const env = options.env ?? process.env;
  if (ref.kind === "name") {
    const entry = findCatalogEntry(ref.name);
    if (!entry) {
      const close = closeCatalogNames(ref.name);
      throw new WrenError("model_not_found", `"${ref.name}" is not a model wren knows.${close.length ? ` Did you mean ${orList(close)}?` : ""}`, {
        hint: close.length
          ? `Run \`wren pull ${close[0]}\`, or see \`wren models list --catalog\` for every name.`
          : "Run `wren models recommend` or `wren models list --catalog` for names, or pull hf:org/repo:Q4_K_M.",
      });
    }
    const inner = await plan({ kind: "hf", repo: entry.repo, revision: undefined, quant: undefined, file: entry.file }, options);
    return { ...inner, ref: entry.name, parsed: ref, source: "catalog", name: entry.name };
  }
  if (ref.kind === "url") {
    return { ref: ref.url, parsed: ref, source: "url", url: ref.url, files: [{ repoFile: path.posix.basename(new URL(ref.url).pathname), url: ref.url, storePath: urlStorePath(ref.url) }] };
  }
  if (ref.kind === "path") {
    throw new WrenError("bad_request", `${ref.path} is a local file: there is nothing to pull.`, { hint: "Use the path directly with `wren run --model`." });
  }
  const revision = ref.revision ?? "main";
  let file = ref.file;
  let quant = ref.quant;
  let named: ModelRef = ref;
  if (!file) {
    const listing = await listRepoFiles(ref.repo, revision, hubOptions(options));
    const chosen = selectQuantFile(ref.repo, listing.map((e) => e.path), ref.quant);
    file = chosen.file;
    quant = chosen.quant;
    // `hf:org/repo` is recorded by what wren took: its quantisation, or its file where the
    // quantisation does not tell the repository's files apart. The bare name would also name every
    // quantisation pulled later, and `wren run` refuses a name that names several.
    const twins = listing.filter((e) => isModelFile(e.path) && quantOfFileName(e.path) === chosen.quant).length;
    if (!ref.quant) named = chosen.quant && twins === 1 ? { ...ref, quant: chosen.quant } : { ...ref, file };
    const unsafe = unsafeRepoFileReason(file);
    if (unsafe) {
      throw new WrenError("upstream_error", `The Hub's file list for ${ref.repo} names the file "${file}", ${unsafe}; wren does not download it.`, {
        hint: "Check HF_ENDPOINT points at the Hugging Face Hub or a mirror you trust.",
      });
    }
  } else if (!isSafeRepoFile(file)) {
    throw new WrenError("bad_request", `"${file}" is not a valid file path inside ${ref.repo}.`, { hint: "Name a file as the Hub lists it, e.g. hf:org/repo/model-Q4_K_M.gguf." });
  }
  const endpoint = hubEndpoint(env);
  const files = splitPartNames(file).map((repoFile) => ({
    repoFile,
    url: resolveUrl(endpoint, ref.repo, revision, repoFile),
    storePath: hfStorePath(ref.repo, repoFile, ref.revision),
  }));
  return { ref: formatModelRef(named), parsed: named, source: "hf", repo: ref.repo, revision, quant, files };
}

/**
 * Downloads a model into the store unless it is there already. Two processes pulling the same file
 * never both download it: the second waits on a lock file, then finds the model present.
 */
export async function pullModel(refText: string, options: PullOptions): Promise<PullResult> {
  try {
    return await pullLocked(refText, options);
  } catch (error) {
    throw storageError(error, options.modelsDir) ?? error;
  }
}

async function pullLocked(refText: string, options: PullOptions): Promise<PullResult> {
  const named = parseModelRef(refText);
  // Ollama's clients name Hub models `hf.co/org/repo:quant`.
  const parsed = (named.kind === "name" && hubModelName(named.name)) || named;
  // With several stored (`hf:org/repo`, two quantisations), the Hub's choice below says which is meant.
  const stored = await findAllStored(options.modelsDir, parsed);
  const only = stored.length === 1 ? stored[0] : undefined;
  if (only && !options.update) return { entry: only, path: absoluteEntryPath(options.modelsDir, only.file), downloaded: false };
  // An update is of the model the reference names in the store, as `wren run` and `wren models rm`
  // take it: `hf:org/repo` with Q8_0 stored updates that, not the Hub's pick downloaded beside it.
  const planned = await plan(only ? parseModelRef(only.ref) : parsed, options);
  const lockPath = downloadLockPath(options.modelsDir, planned.files[0]?.storePath ?? planned.ref);
  return withFileLock(
    lockPath,
    async () => {
      // Another process may have finished it while this one waited.
      const existing = await storedOf(planned, options.modelsDir);
      if (existing && !options.update) return { entry: existing, path: absoluteEntryPath(options.modelsDir, existing.file), downloaded: false };
      return download(planned, options, existing);
    },
    {
      signal: options.signal,
      // `wren models rm` of a model on its first download finds this pull by it.
      about: planned.ref,
      onWait: (holder) => options.onStatus?.(waitingMessage(planned.ref, lockPath, holder)),
    },
  );
}

/**
 * The stored model a planned pull is of: the one whose file the plan downloads (under whatever
 * reference it was pulled), else the only one the reference it records names. Never the first of several.
 */
async function storedOf(planned: Plan, modelsDir: string): Promise<ManifestEntry | undefined> {
  const stored = await findAllStored(modelsDir, planned.parsed);
  const first = planned.files[0]?.storePath;
  // The file may be stored under another reference (`hf:org/repo/x-Q8_0.gguf` for `hf:org/repo:Q8_0`):
  // it is that model, not one to read and record again.
  const byFile = stored.find((e) => e.file === first) ?? (first === undefined ? undefined : await findStoredFile(modelsDir, first));
  return byFile ?? (stored.length === 1 ? stored[0] : undefined);
}

/** What a pull waiting on another's download lock tells the user, with how to clear a lock from elsewhere. */
function waitingMessage(ref: string, lockPath: string, holder: LockOwner | undefined): string {
  const who = holder ? ` (pid ${holder.pid} on ${holder.host})` : "";
  const base = `Another wren process${who} is downloading ${ref}; waiting for it to finish.`;
  if (holder && unconfirmedOwner(holder) === "not-recorded") {
    return `A download by pid ${holder.pid} holds the download lock of ${ref}; an older wren wrote it, so wren cannot tell whether pid ${holder.pid} is still that download. Waiting for it. ${unconfirmedLockStep(holder.pid, lockPath)}: this pull then goes on.`;
  }
  if (!holder || holder.host === os.hostname()) return base;
  return `${base} If no wren runs on ${holder.host} any more, delete ${lockPath}.`;
}

/**
 * A file named by path that the repository lacks (a typo, a quantisation it has not): the error
 * lists the GGUF files the repository has, as a missing quantisation does. Undefined when the
 * failure was another, or the list cannot be had.
 */
async function missingFileError(planned: Plan, repoFile: string, error: unknown, hub: HubOptions): Promise<WrenError | undefined> {
  if (!(error instanceof WrenError) || error.code !== "model_not_found" || planned.parsed.kind !== "hf" || !planned.parsed.file || !planned.repo) return undefined;
  const repo = planned.repo;
  const listing = await listRepoFiles(repo, planned.revision ?? "main", hub).catch(() => undefined);
  if (!listing) return undefined;
  const models = listing.map((e) => e.path).filter(isModelFile).sort();
  const quant = models.map((f) => quantOfFileName(f)).find((q) => q !== undefined);
  const at = planned.parsed.revision ? ` at ${planned.parsed.revision}` : "";
  const page = `${hubEndpoint(hub.env)}/${repo}`;
  return new WrenError("model_not_found", `${repo} has no file ${repoFile}${at}. ${models.length ? `Its GGUF files: ${models.join(", ")}.` : "It has no GGUF files."}`, {
    cause: error,
    hint: quant
      ? `Pull one by its quantisation, e.g. \`wren pull hf:${repo}:${quant}\` (its page: ${page}).`
      : models[0]
        ? `Name one, e.g. \`wren pull hf:${repo}/${models[0]}\` (its page: ${page}).`
        : `wren runs GGUF models: look for a repository with -GGUF in its name (this one's page: ${page}).`,
  });
}

async function download(planned: Plan, options: PullOptions, existing: ManifestEntry | undefined): Promise<PullResult> {
  const hub = hubOptions(options);
  const shas: (string | null)[] = [];
  let size = 0;
  let commit: string | null = null;
  for (const file of planned.files) {
    const meta = await headFile(file.url, { repo: planned.repo ?? new URL(file.url).host, label: file.repoFile }, hub).catch(async (error: unknown) => {
      throw (await missingFileError(planned, file.repoFile, error, hub)) ?? error;
    });
    commit ??= meta.commit;
    if (existing && options.update && meta.commit && meta.commit === existing.revision) {
      options.onStatus?.(`${planned.ref} is already at the newest revision (${meta.commit.slice(0, 12)}).`);
      return { entry: existing, path: absoluteEntryPath(options.modelsDir, existing.file), downloaded: false };
    }
    const result = await downloadFile({
      url: meta.downloadUrl,
      dest: absoluteEntryPath(options.modelsDir, file.storePath),
      sha256: meta.sha256,
      size: meta.size,
      version: meta.version,
      onStatus: options.onStatus,
      headers: meta.onHub ? authHeaders(hub, meta.downloadUrl) : {},
      ifRange: meta.ifRange ?? null,
      ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
      fetch: hub.fetch ?? globalThis.fetch,
      lookup: options.lookup,
      ...(meta.redirectedFrom ? { redirectedFrom: meta.redirectedFrom } : {}),
      signal: options.signal,
      onProgress: options.onProgress && ((progress) => options.onProgress?.({ ...progress, sha256: meta.sha256 })),
      retries: options.retries ?? 3,
      label: path.posix.basename(file.repoFile),
      // The file an update replaces is of an older revision: only a checksum could tell it is not.
      keepUnverified: !existing || ![existing.file, ...existing.parts].includes(file.storePath),
    });
    shas.push(result.sha256);
    size += result.size;
  }
  const [first, ...rest] = planned.files;
  if (!first) throw new WrenError("internal", "Nothing to download.");
  const now = new Date().toISOString();
  const entry: ManifestEntry = {
    ref: planned.ref,
    file: first.storePath,
    parts: rest.map((f) => f.storePath),
    size,
    sha256: shas[0] ?? null,
    partSha256: shas.slice(1),
    revision: commit,
    source: planned.source,
    ...(planned.repo ? { repo: planned.repo, repoFile: first.repoFile } : {}),
    ...(planned.quant ? { quant: planned.quant } : {}),
    ...(planned.url ? { url: planned.url } : {}),
    ...(planned.name ? { name: planned.name } : {}),
    added: existing?.added ?? now,
    lastUsed: existing?.lastUsed ?? null,
  };
  await putEntry(options.modelsDir, entry, {
    signal: options.signal,
    onWait: () => options.onStatus?.("Another wren process is updating the model manifest; waiting for it."),
  });
  return { entry, path: absoluteEntryPath(options.modelsDir, entry.file), downloaded: true };
}
