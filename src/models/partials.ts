import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { formatBytes } from "./bytes.js";
import { findCatalogEntry } from "./catalog.js";
import { partialVersionPath } from "./download.js";
import { tryFileLock } from "./file-lock.js";
import { readManifest } from "./manifest.js";
import { formatModelRef, parseModelRef, quantOfFileName, splitInfo, splitPartNames, type ModelRef } from "./ref.js";
import { absoluteEntryPath, beingDownloaded, downloadLockPath, hfStorePath, urlStorePath } from "./store.js";
import { WrenError } from "../shared/errors.js";

/**
 * What a pull left unfinished (cancelled, killed, the connection lost) of a model not in the store:
 * its `.partial` files and, for a split model, the parts it had finished.
 */
export interface PartialDownload {
  /** The store path of the model's file once complete, its first part's for a split model (relative to the models folder, `/`-separated). */
  file: string;
  /** Bytes it takes: every `.partial` file, the versions recorded beside them, and the finished parts. */
  size: number;
  /** A reference that pulls (resumes) or removes it, when its path tells one (Hub files; a URL's path does not). */
  ref?: string;
  /** What is on disk, in part order: a finished part's store path, or `<store path>.partial` (its version file goes with it). */
  files: string[];
  /** For a split model: how many of its parts are complete, of how many. */
  parts?: { complete: number; count: number };
}

const PARTIAL = ".partial";
const VERSION = ".partial.version";

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

/** The store path a pull of the split model whose part `file` is locks by, and lists it by: its first part's. */
function firstPart(file: string): string {
  const dir = path.posix.dirname(file);
  const first = splitPartNames(path.posix.basename(file))[0] ?? path.posix.basename(file);
  return dir === "." ? first : `${dir}/${first}`;
}

/** The store paths of every part of the model whose (first) file is `file`: itself when it is not split. */
function partsOf(file: string): string[] {
  const dir = path.posix.dirname(file);
  return splitPartNames(path.posix.basename(file)).map((name) => (dir === "." ? name : `${dir}/${name}`));
}

/** The store paths the store's index names (every part of every stored model). */
async function storedFiles(modelsDir: string): Promise<Set<string>> {
  return new Set((await readManifest(modelsDir)).models.flatMap((m) => [m.file, ...m.parts]));
}

/**
 * Every unfinished download in the store (`<file>.partial`, or a version file left without it)
 * whose model no stored model is: a stored model's `.partial` is its update, removed with it. The
 * parts of a split model go together: the ones a pull finished are on disk, in no model (a Hub
 * folder's split part that the index does not name is only ever a pull's), and are listed with it.
 */
export async function partialDownloads(modelsDir: string): Promise<PartialDownload[]> {
  const names = await readdir(modelsDir, { recursive: true }).catch(() => [] as string[]);
  const unfinished = new Set<string>();
  const complete = new Set<string>();
  const models = new Set<string>();
  for (const name of names) {
    const posix = name.split(path.sep).join("/");
    if (posix.startsWith(".locks/")) continue;
    let file: string | undefined;
    if (posix.endsWith(VERSION)) unfinished.add((file = posix.slice(0, -VERSION.length)));
    else if (posix.endsWith(PARTIAL)) unfinished.add((file = posix.slice(0, -PARTIAL.length)));
    else if (posix.startsWith("hf/") && splitInfo(posix)) complete.add((file = posix));
    if (file !== undefined) models.add(firstPart(file));
  }
  const stored = await storedFiles(modelsDir);
  const found: PartialDownload[] = [];
  for (const file of [...models].sort()) {
    const parts = partsOf(file);
    if (parts.some((part) => stored.has(part))) continue;
    const files: string[] = [];
    let size = 0;
    for (const part of parts) {
      const absolute = path.join(modelsDir, part);
      if (unfinished.has(part)) {
        files.push(`${part}${PARTIAL}`);
        size += (await sizeOf(`${absolute}${PARTIAL}`)) + (await sizeOf(partialVersionPath(absolute)));
      } else if (complete.has(part)) {
        files.push(part);
        size += await sizeOf(absolute);
      }
    }
    const ref = refOfStorePath(file);
    const done = parts.filter((part) => complete.has(part) && !unfinished.has(part)).length;
    found.push({ file, size, ...(ref === undefined ? {} : { ref }), files, ...(parts.length > 1 ? { parts: { complete: done, count: parts.length } } : {}) });
  }
  return found;
}

/** `hf/<org>/<repo>[@<revision>]/<file>` as the reference that downloads it there; undefined for other paths. */
function refOfStorePath(file: string): string | undefined {
  const [source, org, repo, ...rest] = file.split("/");
  if (source !== "hf" || !org || !repo || rest.length === 0) return undefined;
  return `hf:${org}/${repo}/${rest.join("/")}`;
}

/** The store folder of a Hub reference's files, with a trailing `/` (lowercase: the Hub's names ignore case). */
function hfFolder(repo: string, revision: string | undefined): string {
  return hfStorePath(repo, "x", revision).slice(0, -1).toLowerCase();
}

/** Whether `partial` is a download of the model `ref` names, judged by its path alone (no network). */
function isOf(partial: PartialDownload, ref: ModelRef): boolean {
  const file = partial.file;
  switch (ref.kind) {
    case "url":
      return file === urlStorePath(ref.url);
    case "hf": {
      const folder = hfFolder(ref.repo, ref.revision);
      if (!file.toLowerCase().startsWith(folder)) return false;
      const inRepo = file.slice(folder.length);
      if (ref.file) return splitPartNames(ref.file).includes(inRepo);
      return ref.quant === undefined || quantOfFileName(inRepo) === ref.quant.toUpperCase();
    }
    case "name": {
      const entry = findCatalogEntry(ref.name);
      return entry !== undefined && isOf(partial, { kind: "hf", repo: entry.repo, revision: undefined, quant: undefined, file: entry.file });
    }
    case "path":
      return false;
  }
}

/**
 * A reference that names more than one interrupted pull (`hf:org/repo`, or a quantisation two files
 * have): refused, as a pull of it would fetch one model, with the references that name each.
 */
function ambiguous(refText: string, ref: ModelRef, partials: readonly PartialDownload[]): WrenError {
  const quants = partials.map((p) => quantOfFileName(p.file));
  const refs = partials.map((p, i) => {
    const quant = quants[i];
    const unique = quant !== undefined && quants.filter((q) => q === quant).length === 1;
    return ref.kind === "hf" && unique && ref.quant === undefined ? formatModelRef({ ...ref, quant }) : (p.ref ?? p.file);
  });
  const list = partials.map((p) => `${p.file} (${formatBytes(p.size)})`).join(", ");
  return new WrenError("bad_request", `${refText} names partial downloads of ${partials.length} models: ${list}. wren removed none of them.`, {
    hint: `Name one: ${refs.map((r) => `\`wren models rm ${r}\``).join(", ")}.`,
  });
}

/**
 * Removes what a cancelled first pull of `refText` left (its `.partial` files with their version
 * files, and the parts of a split model it finished), taking the pull's download lock for it, as a
 * pull would: refused (`not_ready`) while a pull holds it. A lock left by a pull that is gone is
 * taken over and removed with them. A reference that names several such pulls removes none.
 */
export async function removePartials(modelsDir: string, refText: string): Promise<PartialDownload[]> {
  const ref = parseModelRef(refText);
  const mine = (await partialDownloads(modelsDir)).filter((p) => isOf(p, ref));
  if (mine.length > 1 && !(ref.kind === "hf" && ref.file)) throw ambiguous(refText, ref, mine);
  const removed: PartialDownload[] = [];
  for (const partial of mine) {
    const lockPath = downloadLockPath(modelsDir, partial.file);
    const attempt = tryFileLock(lockPath);
    if (!("held" in attempt)) throw beingDownloaded(refText, lockPath, attempt.holder, false);
    using _lock = attempt.held;
    // A pull that finished before the lock was taken made these parts a model's: they stay.
    const stored = await storedFiles(modelsDir);
    if (partsOf(partial.file).some((part) => stored.has(part))) continue;
    for (const file of partial.files) {
      const absolute = absoluteEntryPath(modelsDir, file.endsWith(PARTIAL) ? file.slice(0, -PARTIAL.length) : file);
      if (file.endsWith(PARTIAL)) {
        await rm(`${absolute}${PARTIAL}`, { force: true });
        await rm(partialVersionPath(absolute), { force: true });
      } else {
        await rm(absolute, { force: true });
      }
    }
    removed.push(partial);
  }
  return removed;
}
