import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";
import type { CommandBreakdown, PatternRead, RedirectWrite } from "./command-parts.js";
import { isInside } from "./path-pattern.js";
import type { PermissionRequest } from "./types.js";
import { RUN_TIME } from "../shell/ir.js";

/** What separates the names in a path: `/`, and on Windows `\\` too. */
export const SEPARATORS = path.sep === "\\" ? /[\\/]+/ : /\/+/;

/**
 * Where an absolute path really is, following symbolic links (see {@link realPathSync}). `decide`
 * takes one so that it can be given another (a test's, a file system's of its own).
 */
export type RealPathOf = (abs: string) => string;

/**
 * The request with, beside each path, where it really is when a symbolic link leads elsewhere: a
 * link inside the project to `~/.ssh` is then judged as `~/.ssh` too (every path must be allowed,
 * and deny rules see both). A file that does not exist yet is placed by its nearest existing
 * folder. `decide` stays pure; the caller resolves paths with this first.
 */
export async function withRealPaths(request: PermissionRequest): Promise<PermissionRequest> {
  if (!request.paths || request.paths.length === 0) return request;
  const all = new Set<string>();
  for (const p of request.paths) {
    all.add(p);
    all.add(realPathSync(path.resolve(p)));
  }
  return all.size === request.paths.length ? request : { ...request, paths: [...all] };
}

/**
 * Where `abs` really is, looked up at once. A file not there yet is placed by its nearest existing
 * folder, and a link to one not there yet (which writing through creates) by where it points.
 */
export function realPathSync(abs: string): string {
  return followed(abs, 0);
}

function followed(abs: string, hops: number): string {
  const rest: string[] = [];
  for (let at = abs; ; ) {
    try {
      return path.join(realpathSync(at), ...rest);
    } catch {
      const to = hops < 40 ? linkTarget(at) : undefined;
      // The link's own folder first, as the system does: `..` in where it points climbs from there.
      if (to !== undefined) return followed(path.join(path.resolve(followed(path.dirname(at), hops + 1), to), ...rest), hops + 1);
      const parent = path.dirname(at);
      if (parent === at) return abs;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

function linkTarget(at: string): string | undefined {
  try {
    return lstatSync(at).isSymbolicLink() ? readlinkSync(at) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The command line with, beside each file it reads or writes, and each folder it reads or writes
 * below, where that really is when a symbolic link leads elsewhere: `echo x > notes.txt`, where
 * notes.txt links to `.wren/settings.toml` (a repository can hold such a link), writes wren's own
 * settings and is judged so, and deny rules see both places. A real place inside the project is
 * given as under `projectRoot` as named, so a project reached through a link is not "outside" itself.
 */
export function withRealTargets(command: CommandBreakdown, projectRoot: string, realPathOf: RealPathOf): CommandBreakdown {
  const realRoot = realPathOf(projectRoot);
  const place = (abs: string): string => {
    const real = realPathOf(abs);
    return realRoot !== projectRoot && isInside(real, realRoot) ? path.join(projectRoot, path.relative(realRoot, real)) : real;
  };
  const shown = (real: string): string => (isInside(real, projectRoot) ? path.relative(projectRoot, real) || "." : real);
  const files = (list: readonly RedirectWrite[]): RedirectWrite[] =>
    list.flatMap((file) => {
      const real = file.target === undefined ? undefined : place(file.named === undefined ? file.target : climbed(file.named, realPathOf));
      return real === undefined || real === file.target ? [file] : [file, { ...file, target: real, display: `${file.display} → ${shown(real)}` }];
    });
  const patterns = (list: readonly PatternRead[]): PatternRead[] =>
    list.flatMap((one) => {
      const real = realPattern(one.pattern.text, one.pattern.glob, place);
      return real === undefined || real === one.pattern.text ? [one] : [one, { display: `${one.display} → ${shown(real)}`, pattern: { ...one.pattern, text: real } }];
    });
  return {
    ...command,
    writes: files(command.writes),
    changes: files(command.changes),
    reads: files(command.reads),
    readPatterns: patterns(command.readPatterns),
    writePatterns: patterns(command.writePatterns),
    runsIn: files(command.runsIn),
    repositories: files(command.repositories),
  };
}

/** Where a path holding `..` really is: each `..` climbs from where the folder before it really is, as the system climbs. */
function climbed(named: string, realPathOf: RealPathOf): string {
  const { root } = path.parse(named);
  let at = root;
  for (const name of named.slice(root.length).split(SEPARATORS)) {
    if (name === "" || name === ".") continue;
    at = name === ".." ? path.dirname(realPathOf(at)) : path.join(at, name);
  }
  return realPathOf(at);
}

/** A pattern with the folders before its first glob character placed where they really are; undefined for a run-time value. */
function realPattern(text: string, glob: boolean, place: (abs: string) => string): string | undefined {
  if (!path.isAbsolute(text) || text.includes(RUN_TIME)) return undefined;
  if (!glob) return place(text);
  const names = text.split(path.sep);
  const first = names.findIndex((name) => /[*?[]/.test(name));
  if (first <= 1) return text;
  return path.join(place(names.slice(0, first).join(path.sep)), ...names.slice(first));
}
