import path from "node:path";
import picomatch from "picomatch";

/**
 * File-tool specifiers (`Edit(src/**)`, `Read(~/notes/*.md)`, `Read(/etc/hosts)`): a glob relative
 * to the project root, to the home directory (`~/`), or absolute. A pattern that names a directory
 * covers everything under it (`Read(docs)` matches `docs/a/b.md`).
 */
export interface PathPattern {
  base: "project" | "home" | "absolute";
  /** The glob below the base, with `/` separators (empty: the base itself). */
  glob: string;
  /** Literal characters: more means more specific. */
  literal: number;
  /** The compiled glob, tested against paths below the base with `/` separators. */
  matches: (candidate: string) => boolean;
}

/** Where relative patterns and `~/` point. */
export interface PathBases {
  projectRoot: string;
  home: string;
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** Paths compare with `/`; file systems on Windows and macOS ignore case by default. */
const toSlashes = (p: string): string => p.split(path.sep).join("/");
const caseInsensitive = process.platform === "win32" || process.platform === "darwin";

export function compilePathPattern(pattern: string): PathPattern {
  const literal = pattern.replace(/[*?[\]{}()!]/g, "").length;
  const make = (base: PathPattern["base"], glob: string): PathPattern => ({
    base,
    glob,
    literal,
    matches: picomatch(glob === "" ? "**" : glob, { dot: true, nocase: caseInsensitive }),
  });
  if (pattern === "~" || pattern.startsWith("~/")) return make("home", pattern.slice(2));
  if (pattern.startsWith("/") || WINDOWS_ABSOLUTE.test(pattern)) {
    // A Windows path may be written with backslashes; in a glob those would be escapes.
    return make("absolute", WINDOWS_ABSOLUTE.test(pattern) ? pattern.replace(/\\/g, "/") : pattern);
  }
  return make("project", pattern.replace(/^(\.\/)+/, "").replace(/^\.$/, ""));
}

/** Whether an absolute path falls under the pattern. */
export function matchPathPattern(pattern: PathPattern, target: string, bases: PathBases): boolean {
  const abs = path.resolve(target);
  let candidate: string;
  if (pattern.base === "absolute") {
    candidate = toSlashes(abs);
  } else {
    const rel = path.relative(pattern.base === "home" ? bases.home : bases.projectRoot, abs);
    if (outside(rel)) return false;
    if (pattern.glob === "") return true;
    candidate = toSlashes(rel);
  }
  // The path itself, or a directory above it that the pattern names.
  for (let p = candidate; p !== "" && p !== "."; ) {
    if (pattern.matches(p)) return true;
    const parent = path.posix.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return false;
}

/** Whether an absolute path is the project root or inside it. */
export function isInside(target: string, root: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return !outside(rel);
}

/** A relative path that leaves its base (`..`, `../x`, or another drive on Windows). */
function outside(rel: string): boolean {
  return rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}
