import { rm, stat } from "node:fs/promises";
import path from "node:path";
import os from "node:os";
import { formatBytes } from "./bytes.js";
import { partialVersionPath } from "./download.js";
import { heldLocks, tryFileLock, type LockOwner } from "./file-lock.js";
import { unconfirmedOwner } from "./lock-owner.js";
import { manifestPath, readManifest, updateManifest, type ManifestEntry } from "./manifest.js";
import { formatModelRef, isWindowsDeviceName, parseModelRef, type ModelRef } from "./ref.js";
import { WrenError } from "../shared/errors.js";

/**
 * Where a Hub file lives in the store: `<modelsDir>/hf/<org>/<repo>/<file>`, or
 * `hf/<org>/<repo>@<revision>/<file>` for a revision other than main, so that a pinned revision
 * never takes the place of the newest one.
 */
export function hfStorePath(repo: string, file: string, revision?: string): string {
  // A trailing dot would be dropped on Windows (`@v1.` would be `@v1`'s folder there).
  const pinned = revision !== undefined && revision !== "main" ? `@${revision.replace(/[^\w.-]/g, "_").replace(/\.$/, "_")}` : "";
  return path.posix.join("hf", `${repo}${pinned}`, file);
}

/** The revision a stored Hub model was pulled at, when its reference named one other than main. */
function pinnedRevision(entry: ManifestEntry): string | undefined {
  if (entry.source !== "hf") return undefined;
  try {
    const parsed = parseModelRef(entry.ref);
    return parsed.kind === "hf" && parsed.revision !== "main" ? parsed.revision : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One segment of a URL's path as a file name: no separators, no `.` or `..`, no trailing dot
 * (Windows drops it) and no name Windows keeps for a device (`con.gguf` is stored as `_con.gguf`).
 */
function safeSegment(segment: string): string {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // A malformed escape stays as written.
  }
  const safe = text.replace(/[^\w.-]/g, "_");
  if (/^\.*$/.test(safe)) return "_";
  const kept = safe.replace(/\.$/, "_");
  return isWindowsDeviceName(kept) ? `_${kept}` : kept;
}

/**
 * Where a downloaded URL lives in the store: `<modelsDir>/url/<host>/<path>/<name>`, its path's
 * folders kept, so two URLs of one host whose files share a name (`model.gguf` of two
 * repositories) are two files.
 */
export function urlStorePath(url: string): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split("/").filter(Boolean).map(safeSegment);
  if (segments.length === 0) segments.push("model.gguf");
  return path.posix.join("url", safeSegment(parsed.host), ...segments);
}

/**
 * The absolute path of a file the store's index names. Refuses any path that leads outside the
 * models folder (an absolute one, or one with `..`): the index may have been written from what a
 * hostile Hub listed, and `wren models rm` deletes what this returns.
 */
export function absoluteEntryPath(modelsDir: string, relative: string): string {
  const root = path.resolve(modelsDir);
  const absolute = path.resolve(root, relative);
  const inside = path.relative(root, absolute);
  if (relative.includes("\0") || path.isAbsolute(relative) || inside === "" || inside === ".." || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    throw new WrenError("model_invalid", `The model store's index names "${relative}", which is outside the models folder (${root}); wren does not touch it.`, {
      hint: `Remove that entry from ${manifestPath(root)}.`,
    });
  }
  return absolute;
}

/**
 * A model pulled by URL (or as one file of a Hub repo) is also named by its file's stem:
 * `https://host/x/tiny-chat-q8_0.gguf` is also `tiny-chat-q8_0`.
 */
function fileStem(entry: ManifestEntry): string | undefined {
  if (entry.source === "catalog") return undefined;
  return path.posix.basename(entry.file).replace(/\.gguf$/i, "").toLowerCase();
}

/** The short names a stored model answers to (besides its reference): the name given it, its file's stem. */
export function storedNames(entry: ManifestEntry): string[] {
  return [entry.name, fileStem(entry)].filter((name): name is string => name !== undefined);
}

/** Whether a manifest entry answers a reference. */
export function entryMatches(entry: ManifestEntry, ref: ModelRef): boolean {
  switch (ref.kind) {
    case "hf": {
      if (entry.repo?.toLowerCase() !== ref.repo.toLowerCase()) return false;
      const revision = ref.revision === "main" ? undefined : ref.revision;
      if (revision && entry.revision !== revision && !entry.ref.includes(`@${revision}`)) return false;
      // A model pinned at an older revision does not answer for the newest.
      if (!revision && pinnedRevision(entry) !== undefined) return false;
      if (ref.file) return entry.repoFile === ref.file;
      if (ref.quant) return entry.quant?.toUpperCase() === ref.quant.toUpperCase();
      return true;
    }
    case "url":
      return entry.url === ref.url;
    case "name":
      return entry.name === ref.name.toLowerCase() || entry.ref === ref.name || fileStem(entry) === ref.name.toLowerCase();
    case "path":
      return false;
  }
}

async function allPresent(modelsDir: string, entry: ManifestEntry): Promise<boolean> {
  for (const file of [entry.file, ...entry.parts]) {
    try {
      await stat(absoluteEntryPath(modelsDir, file));
    } catch {
      return false;
    }
  }
  return true;
}

/** Every stored model answering `ref` whose files are all on disk (`hf:org/repo` answers for each of its quantisations). */
export async function findAllStored(modelsDir: string, ref: ModelRef): Promise<ManifestEntry[]> {
  const manifest = await readManifest(modelsDir);
  const found: ManifestEntry[] = [];
  for (const entry of manifest.models) {
    if (entryMatches(entry, ref) && (await allPresent(modelsDir, entry))) found.push(entry);
  }
  return found;
}

/** The stored model whose (first) file is `file` (a store path), with all its files on disk, whatever reference it was pulled by. */
export async function findStoredFile(modelsDir: string, file: string): Promise<ManifestEntry | undefined> {
  const manifest = await readManifest(modelsDir);
  for (const entry of manifest.models) {
    if (entry.file === file && (await allPresent(modelsDir, entry))) return entry;
  }
  return undefined;
}

/** How a caller of {@link findStored} words the refusal of a reference that names several stored models. */
export interface AmbiguousStoredWording {
  /** The reference as the user gave it. Default: `ref`, formatted. */
  text?: string;
  /** What was not done, said after the list (e.g. "wren removed none of them."). Default: nothing. */
  outcome?: string;
  /** The next step, from the full reference of each stored model. Default: "Name the one to use by its full reference: A or B." */
  hint?: (refs: readonly string[]) => string;
  details?: Record<string, unknown>;
}

/**
 * The stored model answering `ref` whose files are all on disk, if any. A reference that names
 * several (`hf:org/repo` with two of its quantisations stored, or a file stem two URLs share) is
 * refused (`bad_request`) with the full reference of each: wren never picks one of them silently.
 */
export async function findStored(modelsDir: string, ref: ModelRef, wording: AmbiguousStoredWording = {}): Promise<ManifestEntry | undefined> {
  const found = await findAllStored(modelsDir, ref);
  if (found.length <= 1) return found[0];
  // Each entry's reference names it alone (a bare `hf:org/repo` an older wren recorded is read with its quantisation).
  const refs = found.map((e) => e.ref);
  const text = wording.text ?? formatModelRef(ref);
  throw new WrenError("bad_request", `${text} names ${found.length} models in wren's store: ${refs.join(", ")}.${wording.outcome ? ` ${wording.outcome}` : ""}`, {
    hint: wording.hint?.(refs) ?? `Name the one to use by its full reference: ${refs.join(" or ")}.`,
    details: { stored: refs, ...wording.details },
  });
}

/** The folder of the download locks: one per file a pull downloads (`LockOwner.about` names the model). */
function downloadLocksDir(modelsDir: string): string {
  return path.join(modelsDir, ".locks");
}

/**
 * The lock a pull holds while it downloads the model whose (first) file is `storePath`: two pulls
 * of one file download it once, and `wren models rm` does not delete a file being downloaded.
 */
export function downloadLockPath(modelsDir: string, storePath: string): string {
  return path.join(downloadLocksDir(modelsDir), `${storePath.replace(/[^\w.-]+/g, "_")}.lock`);
}

/**
 * The refusal of a removal while a pull (`holder`) downloads the model: who it is and how to stop it.
 * `stored`: an older copy is in the store (`--update`); else this is the model's first download.
 */
export function beingDownloaded(ref: string, lockPath: string, holder: LockOwner | undefined, stored: boolean): WrenError {
  const here = holder !== undefined && holder.host === os.hostname();
  if (holder && here && unconfirmedOwner(holder) === "not-recorded") return unconfirmedDownload(ref, lockPath, holder);
  const who = holder ? ` (pid ${holder.pid}${here ? "" : ` on ${holder.host}`})` : "";
  const stop = here
    ? `stop it (Ctrl-C in its terminal, or \`kill ${holder.pid}\`)`
    : holder
      ? `stop it on ${holder.host} (if no wren runs there any more, delete ${lockPath})`
      : `stop it (if no wren process is downloading it any more, delete ${lockPath})`;
  const message = stored
    ? `${ref} is being downloaded by another wren process${who}: removing it now would break that download.`
    : `${ref} is being downloaded by another wren process${who}: it is not in the store until that download finishes.`;
  const hint = stored
    ? `Wait for that \`wren pull\` to finish, or ${stop}, then remove the model.`
    : `Wait for that \`wren pull\` to finish, then remove the model; or ${stop}: what it downloaded so far stays, and the next \`wren pull ${ref}\` resumes it.`;
  return new WrenError("not_ready", message, {
    hint,
    details: { lock: lockPath, ...(holder ? { pid: holder.pid, host: holder.host } : {}) },
  });
}

/**
 * The refusal when the download lock was written by an older wren, which did not record its
 * process's start: its pid is alive, but may since belong to another program, so wren neither
 * takes the lock over nor tells the user to kill that pid.
 */
function unconfirmedDownload(ref: string, lockPath: string, holder: LockOwner): WrenError {
  return new WrenError("not_ready", `A download by pid ${holder.pid} holds the download lock of ${ref} (${lockPath}); an older wren wrote it, so wren cannot tell whether pid ${holder.pid} is still that download or another program that got its process id since.`, {
    hint: `${unconfirmedLockStep(holder.pid, lockPath)}, then run this again.`,
    details: { lock: lockPath, pid: holder.pid, host: holder.host },
  });
}

/** What to do about a download lock an older wren wrote whose pid is alive (see {@link unconfirmedDownload}). */
export function unconfirmedLockStep(pid: number, lockPath: string): string {
  return `If pid ${pid} is a \`wren pull\` still running, wait for it to finish; if it is not (\`ps -p ${pid}\`), delete ${lockPath}`;
}

function sameRef(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return formatModelRef(parseModelRef(a)).toLowerCase() === formatModelRef(parseModelRef(b)).toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Whether a pull whose download lock names `about` (the reference the model will be recorded
 * under) is of a model `ref` names: `hf:org/repo` names a pull of each of its quantisations, as it
 * names each stored one.
 */
function pullIsOf(about: string, ref: string): boolean {
  if (sameRef(about, ref)) return true;
  try {
    const pulling = parseModelRef(about);
    const named = parseModelRef(ref);
    return (
      pulling.kind === "hf" && named.kind === "hf" && !named.quant && !named.file &&
      pulling.repo.toLowerCase() === named.repo.toLowerCase() && (pulling.revision ?? "main") === (named.revision ?? "main")
    );
  } catch {
    return false;
  }
}

/**
 * For a reference with no stored model: the refusal to remove it when a pull is downloading it for
 * the first time (its download lock names it), naming that pull; undefined when none is.
 */
export function pullInProgress(modelsDir: string, ref: string): WrenError | undefined {
  const lock = heldLocks(downloadLocksDir(modelsDir)).find((l) => l.owner.about !== undefined && pullIsOf(l.owner.about, ref));
  return lock && beingDownloaded(lock.owner.about ?? ref, lock.file, lock.owner, false);
}

/**
 * Deletes a stored model's files and its manifest entry. Refused (`not_ready`) while a pull of the
 * model runs in another process: it holds the download lock, which this takes for the removal.
 */
export async function removeStored(modelsDir: string, entry: ManifestEntry): Promise<void> {
  const lockPath = downloadLockPath(modelsDir, entry.file);
  const attempt = tryFileLock(lockPath);
  if (!("held" in attempt)) throw beingDownloaded(entry.ref, lockPath, attempt.holder, true);
  using _lock = attempt.held;
  for (const file of [entry.file, ...entry.parts]) {
    await rm(absoluteEntryPath(modelsDir, file), { force: true });
    await rm(`${absoluteEntryPath(modelsDir, file)}.partial`, { force: true });
    await rm(partialVersionPath(absoluteEntryPath(modelsDir, file)), { force: true });
  }
  await updateManifest(modelsDir, (manifest) => {
    manifest.models = manifest.models.filter((m) => m.file !== entry.file);
  });
}

export interface PrunePlan {
  remove: ManifestEntry[];
  keep: ManifestEntry[];
  totalBefore: number;
  totalAfter: number;
}

/** Least recently used first (never used counts as oldest, by the time it was added). */
export function planPrune(entries: readonly ManifestEntry[], maxBytes: number): PrunePlan {
  const byAge = [...entries].sort((a, b) => (a.lastUsed ?? a.added).localeCompare(b.lastUsed ?? b.added));
  const totalBefore = entries.reduce((sum, e) => sum + e.size, 0);
  let total = totalBefore;
  const remove: ManifestEntry[] = [];
  for (const entry of byAge) {
    if (total <= maxBytes) break;
    remove.push(entry);
    total -= entry.size;
  }
  return { remove, keep: entries.filter((e) => !remove.includes(e)), totalBefore, totalAfter: total };
}

export function describeEntry(entry: ManifestEntry): string {
  return `${entry.ref} (${formatBytes(entry.size)})`;
}

/**
 * Gives a stored model a short name (`wren pull URL --name tiny-chat`), kept in the manifest: the
 * name then works wherever a model is asked for. A name another stored model has is refused.
 */
export async function nameStored(modelsDir: string, entry: ManifestEntry, name: string): Promise<void> {
  const parsed = parseModelRef(name);
  if (parsed.kind !== "name" || /\s/.test(name)) {
    throw new WrenError("bad_request", `--name "${name}" is not a model name: it reads as a ${parsed.kind === "name" ? "name with spaces" : parsed.kind === "path" ? "file path" : "reference"}.`, {
      hint: "Use letters, digits, dots, dashes and colons, e.g. --name tiny-chat.",
    });
  }
  const lower = name.toLowerCase();
  await updateManifest(modelsDir, (manifest) => {
    const other = manifest.models.find((e) => e.name === lower && e.file !== entry.file);
    if (other) throw new WrenError("bad_request", `The name "${name}" is already given to ${other.ref}.`, { hint: "Choose another --name." });
    const mine = manifest.models.find((e) => e.file === entry.file);
    if (mine) mine.name = lower;
  });
}
