import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { findCatalogEntry } from "./catalog.js";
import { partialVersionPath } from "./download.js";
import { tryFileLock } from "./file-lock.js";
import { readManifest } from "./manifest.js";
import { parseModelRef, quantOfFileName, splitPartNames, type ModelRef } from "./ref.js";
import { absoluteEntryPath, beingDownloaded, downloadLockPath, hfStorePath, urlStorePath } from "./store.js";

/** A download a pull left unfinished (cancelled, killed, the connection lost) of a model not in the store. */
export interface PartialDownload {
  /** The store path of the file it becomes once complete (relative to the models folder, `/`-separated). */
  file: string;
  /** Bytes it takes: `<file>.partial` and the version recorded beside it. */
  size: number;
  /** A reference that pulls (resumes) or removes it, when its path tells one (Hub files; a URL's path does not). */
  ref?: string;
}

const PARTIAL = ".partial";
const VERSION = ".partial.version";

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

/**
 * Every unfinished download in the store (`<file>.partial`, or a version file left without it)
 * whose file no stored model names: a stored model's `.partial` is its update, removed with it.
 */
export async function partialDownloads(modelsDir: string): Promise<PartialDownload[]> {
  const names = await readdir(modelsDir, { recursive: true }).catch(() => [] as string[]);
  const files = new Set<string>();
  for (const name of names) {
    const posix = name.split(path.sep).join("/");
    if (posix.startsWith(".locks/")) continue;
    if (posix.endsWith(VERSION)) files.add(posix.slice(0, -VERSION.length));
    else if (posix.endsWith(PARTIAL)) files.add(posix.slice(0, -PARTIAL.length));
  }
  const stored = new Set((await readManifest(modelsDir)).models.flatMap((m) => [m.file, ...m.parts]));
  const found: PartialDownload[] = [];
  for (const file of [...files].sort()) {
    if (stored.has(file)) continue;
    const absolute = path.join(modelsDir, file);
    const size = (await sizeOf(`${absolute}${PARTIAL}`)) + (await sizeOf(partialVersionPath(absolute)));
    const ref = refOfStorePath(file);
    found.push({ file, size, ...(ref === undefined ? {} : { ref }) });
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

/** The store path a pull of the split model whose part `file` is locks by: its first part's. */
function firstPart(file: string): string {
  const dir = path.posix.dirname(file);
  const first = splitPartNames(path.posix.basename(file))[0] ?? path.posix.basename(file);
  return dir === "." ? first : `${dir}/${first}`;
}

/**
 * Removes what a cancelled first pull of `refText` left (its `.partial` files and their version
 * files), taking the pull's download lock for it, as a pull would: refused (`not_ready`) while a
 * pull holds it. A lock left by a pull that is gone is taken over and removed with them.
 */
export async function removePartials(modelsDir: string, refText: string): Promise<PartialDownload[]> {
  const ref = parseModelRef(refText);
  const mine = (await partialDownloads(modelsDir)).filter((p) => isOf(p, ref));
  const byLock = new Map<string, PartialDownload[]>();
  for (const partial of mine) {
    const lock = downloadLockPath(modelsDir, firstPart(partial.file));
    byLock.set(lock, [...(byLock.get(lock) ?? []), partial]);
  }
  for (const [lockPath, partials] of byLock) {
    const attempt = tryFileLock(lockPath);
    if (!("held" in attempt)) throw beingDownloaded(refText, lockPath, attempt.holder, false);
    using _lock = attempt.held;
    for (const partial of partials) {
      const absolute = absoluteEntryPath(modelsDir, partial.file);
      await rm(`${absolute}${PARTIAL}`, { force: true });
      await rm(partialVersionPath(absolute), { force: true });
    }
  }
  return mine;
}
