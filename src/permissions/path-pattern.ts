import path from "node:path";
import picomatch from "picomatch";
import { currentUser, otherUserHomes } from "../shell/paths.js";
import { bracketAt, bracketGlob } from "./bracket-expression.js";

/**
 * File-tool specifiers (`Edit(src/**)`, `Read(~/notes/*.md)`, `Read(/etc/hosts)`): a glob relative
 * to the project root, to the home directory (`~/`), or absolute. A pattern that names a directory
 * covers everything under it (`Read(docs)` matches `docs/a/b.md`).
 */
export interface PathPattern {
  base: "project" | "home" | "absolute" | "user";
  /** With base `user`: whose home (`~alice/…`). */
  user?: string;
  /**
   * The glob below the base, with `/` separators, its literal `(`, `)`, `|`, `!`, `[` and `]`
   * escaped and each bracket expression written out (see `ruleGlob`; empty: the base itself).
   */
  glob: string;
  /** Literal characters: more means more specific. */
  literal: number;
  /** The compiled glob, tested against paths below the base with `/` separators. */
  matches: (candidate: string) => boolean;
  /** Read as on Windows (see {@link PathFlavour}): case is ignored, and an absolute glob may have no drive. */
  windows: boolean;
}

/**
 * How paths are read: node's `path` where wren runs; a test gives `path.win32` to read them as on
 * Windows on any host.
 */
export type PathModule = path.PlatformPath;

/** Where relative patterns and `~/` point. */
export interface PathBases {
  projectRoot: string;
  home: string;
  /** Where the project root really is, when a link leads there (see {@link spellings}). */
  realProjectRoot?: string;
  /** Where the home really is, when a link leads there (`/home/ada` → `/data/ada`). */
  realHome?: string;
}

/** The bases with where each really is, looked up once (see {@link spellings}). */
export function withRealBases(bases: PathBases, realPathOf: (abs: string) => string): PathBases {
  return { ...bases, realProjectRoot: realPathOf(bases.projectRoot), realHome: realPathOf(bases.home) };
}

/**
 * A path (or a glob whose folders before the first glob character are literal) by each name it has
 * through the home's and the project's links: `/data/ada/notes/a.md` is also `/home/ada/notes/a.md`
 * where `/home/ada` leads to `/data/ada`, and the other way round, so a rule written with `~`, with
 * the home written out or with its real name is about the same files.
 */
export function spellings(text: string, bases: PathBases, paths: PathModule = path): string[] {
  const out = new Set([text]);
  const pairs: [string, string | undefined][] = [
    [bases.home, bases.realHome],
    [bases.projectRoot, bases.realProjectRoot],
  ];
  for (const [named, real] of pairs) {
    if (real === undefined || real === named) continue;
    for (const [from, to] of [[named, real], [real, named]] as const) {
      const rest = below(text, from, paths);
      if (rest !== undefined) out.add(rest === "" ? to : paths.join(to, rest));
    }
  }
  return [...out];
}

/** What follows `folder` in `text` (empty for the folder itself), or undefined when `text` is not in it. */
function below(text: string, folder: string, paths: PathModule): string | undefined {
  const same = (a: string, b: string): boolean => (ignoresCase(paths) ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (same(text, folder)) return "";
  const prefix = folder.endsWith(paths.sep) ? folder : folder + paths.sep;
  return text.length > prefix.length && same(text.slice(0, prefix.length), prefix) ? text.slice(prefix.length) : undefined;
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** Paths compare with `/`; file systems on Windows and macOS ignore case by default. */
const toSlashes = (p: string, paths: PathModule = path): string => p.split(paths.sep).join("/");
const caseInsensitive = process.platform === "win32" || process.platform === "darwin";
const ignoresCase = (paths: PathModule): boolean => caseInsensitive || paths.sep === "\\";

/** How a rule's path is read: as on Windows or as on POSIX. */
export interface PathFlavour {
  /**
   * Windows: `\` separates folders, as in `secrets\**` or `~\.ssh\**` (a Windows file name holds no
   * `\`, `*` or `?`, so nothing is lost; a bracket class, `[[]`, makes a glob character literal),
   * and case is ignored. POSIX: `\` escapes the next character (`notes/\*.txt`), as a file name may
   * hold any of them. Default: where wren runs.
   */
  windows?: boolean;
}

/** Whether wren runs on Windows: the default {@link PathFlavour}. */
export const WINDOWS_HOST = process.platform === "win32";

export function compilePathPattern(written: string, flavour: PathFlavour = {}): PathPattern {
  const windows = flavour.windows ?? WINDOWS_HOST;
  // Read once here, so the compiled glob, its base and what reads `glob` (glob-reach) agree. A drive
  // path (`C:\Users\…`) is read so on POSIX too: there its backslashes could only be escapes.
  let pattern = windows || WINDOWS_ABSOLUTE.test(written) ? written.replace(/\\/g, "/") : written;
  if (pattern.startsWith("!")) {
    throw new Error("a path rule is never a negation (a leading !): write a deny rule for what to refuse; a folder whose name starts with ! is written ./!x/**");
  }
  if (/^(?:\$\{?[A-Za-z_]|%[A-Za-z_][A-Za-z0-9_]*%)/.test(pattern)) {
    throw new Error("a path rule does not expand variables ($HOME, ${HOME}, %USERPROFILE%): write ~/… for the home, or the path itself; a folder whose name starts with $ or % is written ./$x/**");
  }
  // `//etc/**` (an absolute path as another assistant writes it) and `/a//b` name `/etc/**` and `/a/b`;
  // as written, no path would match them. On Windows a leading `//` starts a network share.
  if (!windows) pattern = pattern.replace(/\/{2,}/g, "/");
  const literal = pattern.replace(/[*?[\]{}]/g, "").length;
  const make = (base: PathPattern["base"], below: string): PathPattern => {
    const glob = ruleGlob(below, windows);
    // A bracket expression is always a set of characters (`literalBrackets: false`; picomatch would
    // also take `[ab]` as the text `[ab]`), and the regular expression is tested alone, as picomatch
    // also matches a path that is the glob's own text.
    const regex = picomatch.makeRe(glob === "" ? "**" : glob, { dot: true, nocase: windows || caseInsensitive, windows, noextglob: true, nonegate: true, posix: false, literalBrackets: false });
    return { base, glob, literal, matches: (candidate) => regex.test(candidate), windows };
  };
  if (pattern === "~" || pattern.startsWith("~/")) return make("home", pattern.slice(2));
  const user = /^~([A-Za-z0-9._][A-Za-z0-9._-]*)(?:\/|$)/.exec(pattern);
  if (user?.[1]) return { ...make("user", pattern.slice(user[0].length)), user: user[1] };
  if (pattern.startsWith("/") || WINDOWS_ABSOLUTE.test(pattern)) return make("absolute", pattern);
  return make("project", pattern.replace(/^(\.\/)+/, "").replace(/^\.$/, ""));
}

/**
 * Characters picomatch reads as syntax that a path rule keeps literal: `(…)` and `|` as a regular
 * expression's group and alternation (`Program Files (x86)`), a leading `!` as negation, `!(…)`,
 * `+(…)`, `@(…)`, `*(…)` and `?(…)` as extended globs (their `(` is literal, so they are too); and
 * `[` and `]` where they are no bracket expression.
 */
const LITERAL_IN_RULES = /[()|![\]]/;

/**
 * A rule's path below its base as the glob picomatch compiles: its glob language is `*`, `**`, `?`,
 * `[…]` and `{a,b}`; each other character picomatch would read as syntax is escaped, with `\` on
 * POSIX and as a bracket expression on Windows (see {@link PathFlavour}). A POSIX `\` escape is
 * kept as written; a bracket expression is read as the shell reads it ({@link bracketAt}: classes,
 * a `]` first, `[!…]`) and written as picomatch reads the same ({@link bracketGlob}), so a rule
 * names what the same text names in a command. Throws for a bracket expression that cannot mean
 * what was meant (a class wren does not know).
 */
function ruleGlob(below: string, windows: boolean): string {
  let out = "";
  for (let i = 0; i < below.length; i++) {
    const c = below[i] ?? "";
    const bracket = c === "[" ? bracketAt(below, i, !windows) : undefined;
    if (c === "\\" && !windows && i + 1 < below.length) {
      out += below.slice(i, i + 2);
      i++;
    } else if (bracket) {
      out += bracketGlob(bracket);
      i = bracket.end;
    } else if (LITERAL_IN_RULES.test(c)) out += windows ? bracketGlob({ end: i, negated: false, items: [{ kind: "char", c }] }) : `\\${c}`;
    else out += c;
  }
  return out;
}

/**
 * A path (with `/` separators) written as a glob that matches only that path: each glob character
 * escaped, with `\` on POSIX and as a bracket expression (`[[]`) on Windows, where `\` separates
 * folders. There `!` is itself but first, where it is `[[.!.]]`: `[!]` would open a negation when a
 * `]` follows (`[!][]]` is one bracket expression, as in the shell).
 */
export function literalPathGlob(text: string, flavour: PathFlavour = {}): string {
  if (!(flavour.windows ?? WINDOWS_HOST)) return text.replace(/[*?[\]{}()!\\]/g, "\\$&");
  return text.replace(/[*?[\]{}()]/g, "[$&]").replace(/^!/, "[[.!.]]");
}

/**
 * Whether an absolute path falls under the pattern, by any name it has through the home's and the
 * project's links (see {@link spellings}). `cautious` (deny and ask rules) errs towards matching: another user's home (`~alice/…`) is looked for in each place it may be (see
 * {@link userHomes}), where an allow rule matches none of them.
 *
 * On Windows (`paths` is `path.win32` there), a path or an absolute rule may have no drive letter
 * (`\Users\x`, `Edit(/Users/x/secret/**)`): Windows puts such a path on the current folder's drive,
 * which wren takes to be the project's. A path with no drive is read so; a rule with no drive covers
 * its folder on the project's drive as an allow rule, and on every drive as a deny or ask rule, as a
 * path with no drive may be on any drive to one: a session can change drives, and a deny rule that
 * names a folder with no drive is meant for that folder wherever it is.
 */
export function matchPathPattern(pattern: PathPattern, target: string, bases: PathBases, cautious = false, paths: PathModule = path): boolean {
  const driveless = paths.sep === "\\" && ROOTED_NO_DRIVE.test(target);
  const abs = paths.resolve(driveless ? `${driveOf(bases.projectRoot) ?? ""}${target}` : target);
  return spellings(abs, bases, paths).some((one) => matchOne(pattern, one, bases, cautious, paths, driveless));
}

/** `\x` or `/x`, not `\\server\share`: rooted on the current drive. */
const ROOTED_NO_DRIVE = /^[\\/](?![\\/])/;
const driveOf = (p: string): string | undefined => /^[A-Za-z]:/.exec(p)?.[0];

function matchOne(pattern: PathPattern, abs: string, bases: PathBases, cautious: boolean, paths: PathModule, driveless: boolean): boolean {
  if (pattern.base === "absolute") {
    const candidate = toSlashes(abs, paths);
    if (paths.sep !== "\\") return matchesUp(pattern, candidate);
    return onWindows(pattern, candidate, bases, cautious, driveless).some((c) => matchesUp(pattern, c));
  }
  const roots = pattern.base === "user" ? userHomes(pattern.user ?? "", bases, cautious) : [pattern.base === "home" ? bases.home : bases.projectRoot];
  return roots.some((root) => {
    const rel = paths.relative(root, abs);
    if (outside(rel, paths)) return false;
    return pattern.glob === "" || matchesUp(pattern, toSlashes(rel, paths));
  });
}

/**
 * A Windows path (with `/` separators) as an absolute rule is tested against it (see
 * {@link matchPathPattern}): a rule with no drive against the path less its drive, where the drive
 * is the project's or the rule is cautious; a rule with a drive against the path, and, when the
 * path was given with no drive and the rule is cautious, against the path on the rule's drive.
 */
function onWindows(pattern: PathPattern, candidate: string, bases: PathBases, cautious: boolean, driveless: boolean): string[] {
  const drive = driveOf(candidate);
  const ruleDrive = driveOf(pattern.glob);
  if (ROOTED_NO_DRIVE.test(pattern.glob)) {
    if (drive === undefined) return [];
    const current = drive.toLowerCase() === driveOf(bases.projectRoot)?.toLowerCase();
    return cautious || current ? [candidate.slice(drive.length)] : [];
  }
  if (cautious && driveless && drive !== undefined && ruleDrive !== undefined) return [candidate, ruleDrive + candidate.slice(drive.length)];
  return [candidate];
}

/**
 * Where `~name` is: for the user wren runs as, the home the system's user database gives (and, for
 * deny and ask rules, the session's home too); for another user, whose entry wren does not read,
 * each place it may be for deny and ask rules, and nowhere for allow rules.
 */
export function userHomes(name: string, bases: PathBases, cautious: boolean): string[] {
  const own = currentUser();
  if (own?.name === name) return cautious ? [...new Set([own.home, bases.home])] : [own.home];
  return cautious ? otherUserHomes(name, bases.home) : [];
}

/** The path itself, or a directory above it that the pattern names. */
function matchesUp(pattern: PathPattern, candidate: string): boolean {
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
function outside(rel: string, paths: PathModule = path): boolean {
  return rel === ".." || rel.startsWith(`..${paths.sep}`) || paths.isAbsolute(rel);
}
