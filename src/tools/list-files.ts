import path from "node:path";

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
}

/**
 * The files under `base` that match the glob patterns, as git sees the tree: `.gitignore` files
 * below `base` and up to the repository root apply, `.git` is never entered, and symlinked folders
 * are not followed (no cycles). Unreadable folders are skipped. globby loads on the first walk, not
 * when the assistant starts (it is among the slowest modules to load).
 */
export async function listFiles(base: string, patterns: string[], options: ListFilesOptions): Promise<FoundFile[]> {
  const { globby } = await import("globby");
  const entries = await globby(patterns, {
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
  return entries.map((entry) => ({ path: path.resolve(entry.path), mtimeMs: entry.stats?.mtimeMs ?? 0 }));
}

/** Newest first (what the model most likely wants), then by path so ties are stable. */
export function byRecency(a: FoundFile, b: FoundFile): number {
  return b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

const GLOB_CHARS = /[*?[\]{}()!]/;

/**
 * Splits an absolute or `../` pattern into the folder to walk and the pattern below it, since a walk
 * (and its .gitignore handling) starts at a folder: `/repo/src/**\/*.ts` → `/repo/src` + `**\/*.ts`.
 */
export function splitGlobBase(pattern: string, cwd: string): { base: string; pattern: string } {
  const normalized = process.platform === "win32" ? pattern.replace(/\\/g, "/") : pattern;
  if (!path.isAbsolute(normalized) && !normalized.startsWith("../") && !normalized.startsWith("./")) return { base: cwd, pattern: normalized };
  const segments = normalized.split("/");
  let i = 0;
  while (i < segments.length - 1 && !GLOB_CHARS.test(segments[i] ?? "")) i++;
  const staticPart = segments.slice(0, i).join("/") || "/";
  return { base: path.resolve(cwd, staticPart), pattern: segments.slice(i).join("/") };
}
