import fs from "node:fs/promises";
import path from "node:path";
import { abortedError, throwIfAborted, untilAborted } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";

/** A file found by a walk, with what results are sorted by. */
export interface FoundFile {
  /** Absolute path, in the platform's separators. */
  path: string;
  mtimeMs: number;
}

/** Options of a walk. */
export interface ListFilesOptions {
  /** Include dotfiles and dot-folders (`.git` itself never is). Grep follows ripgrep and skips them. */
  dot: boolean;
  /**
   * Cancels the walk: `listFiles` rejects with an `aborted` error at once. (globby cannot be
   * stopped, so a walk of a large tree goes on in the background until it ends, its result unused.)
   */
  signal?: AbortSignal;
}

/**
 * The files under `base` that match the glob patterns, as git sees the tree: `.gitignore` files
 * below `base` and up to the repository root apply, `.git` is never entered, and symlinked folders
 * are not followed (no cycles). Unreadable folders are skipped. globby loads on the first walk, not
 * when the assistant starts (it is among the slowest modules to load).
 */
export async function listFiles(base: string, patterns: string[], options: ListFilesOptions): Promise<FoundFile[]> {
  // The permission asked for covers `base`: a `..` in a pattern would walk out of it unasked.
  for (const pattern of patterns) assertNoClimb(pattern);
  const { globby } = await import("globby");
  throwIfAborted(options.signal);
  const walk = globby(patterns, {
    cwd: base,
    gitignore: true,
    dot: options.dot,
    ignore: ["**/.git/**"],
    onlyFiles: true,
    absolute: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    stats: true,
  });
  const entries = options.signal ? await untilAborted(walk, options.signal, abortedError) : await walk;
  // globby walks wherever an absolute pattern says (`/etc/*`, `{/etc/*,x}`, `C:/x/*`), whatever its
  // cwd: what it found outside `base` was never asked for.
  const root = path.resolve(base);
  const inBase = entries.map((entry) => ({ path: path.resolve(entry.path), mtimeMs: entry.stats?.mtimeMs ?? 0 })).filter((file) => isInside(root, file.path));
  return reallyInside(root, inBase);
}

/**
 * The files whose folder really is inside `root`. globby follows no symlinked folder it meets while
 * walking, but it reads the one a pattern's fixed start names (`link/*`, `{link,x}/**`), through a
 * link too: what lies where such a link leads outside `root` was never asked for.
 */
async function reallyInside(root: string, files: FoundFile[]): Promise<FoundFile[]> {
  const realRoot = await fs.realpath(root).catch(() => root);
  const folders = new Map<string, Promise<boolean>>();
  const inside = (folder: string): Promise<boolean> => {
    let known = folders.get(folder);
    if (!known) {
      known = folder === root ? Promise.resolve(true) : fs.realpath(folder).then((real) => real === realRoot || isInside(realRoot, real), () => false);
      folders.set(folder, known);
    }
    return known;
  };
  const kept = await Promise.all(files.map((file) => inside(path.dirname(file.path))));
  return files.filter((_, i) => kept[i]);
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Newest first (what the model most likely wants), then by path so ties are stable. */
export function byRecency(a: FoundFile, b: FoundFile): number {
  return b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

const GLOB_CHARS = /[*?[\]{}()!]/;

/** True when a glob (or its negation) has a `..` segment: it would walk above the folder it starts in. */
function climbs(pattern: string): boolean {
  return (pattern.startsWith("!") ? pattern.slice(1) : pattern).replace(/\\/g, "/").split("/").includes("..");
}

/**
 * Throws when a glob would walk out of the folder searched with `..`: the read permission is asked
 * for that folder, so what lies above it must be asked for as its own path.
 */
export function assertNoClimb(pattern: string): void {
  if (!climbs(pattern)) return;
  throw new WrenError("bad_request", `The pattern ${pattern} climbs out of the folder searched with "..".`, {
    hint: "Give the folder to search as path (or start the pattern with it, before any wildcard), and the pattern below it.",
  });
}

/**
 * Splits an absolute pattern, or one whose fixed start climbs (`../`, `src/../..`), into the folder
 * to walk and the pattern below it, since a walk (and its .gitignore handling) starts at a folder,
 * and the folder is what the read permission is asked for: `/repo/src/**\/*.ts` → `/repo/src` +
 * `**\/*.ts`. A `..` after the first wildcard is refused: it would climb out of that folder.
 */
export function splitGlobBase(pattern: string, cwd: string, platform: NodeJS.Platform = process.platform): { base: string; pattern: string } {
  const windows = platform === "win32";
  const paths = windows ? path.win32 : path.posix;
  const normalized = windows ? pattern.replace(/\\/g, "/") : pattern;
  const segments = normalized.split("/");
  let i = 0;
  while (i < segments.length - 1 && !GLOB_CHARS.test(segments[i] ?? "")) i++;
  const rest = segments.slice(i).join("/");
  assertNoClimb(rest);
  const fixed = segments.slice(0, i);
  if (!paths.isAbsolute(normalized) && !fixed.includes("..") && !normalized.startsWith("./")) return { base: cwd, pattern: normalized };
  // A bare drive (`C:`) is that drive's working directory on Windows: `C:/*.ts` means its root.
  const staticPart = (fixed.join("/") || "/").replace(/^([A-Za-z]:)$/, "$1/");
  return { base: paths.resolve(cwd, staticPart), pattern: rest };
}
