import path from "node:path";
import type { Ctx, Link } from "./evaluate-context.js";
import type { Before } from "./written-content.js";
import { changedKeys, changedNames } from "./shared-map.js";

/**
 * Links the line makes (`ln`, New-Item -ItemType SymbolicLink) and what becomes of them: every name
 * that reaches one file through a chain of links holds what is written to any of them; removing a
 * link (`rm`, `unlink`) frees its name, and renaming one (`mv`) takes it along. A symbolic link to a
 * file removed or renamed still reaches that name; a hard link keeps the file.
 */

/** Most links followed from one name, as Linux does; a longer chain (a loop) reaches no file. */
const MAX_LINKS = 40;

/** The file a name reaches through the line's links, or undefined for a loop. */
function reached(name: string, links: ReadonlyMap<string, Link>): string | undefined {
  let at = name;
  for (let n = 0; n <= MAX_LINKS; n++) {
    const link = links.get(at);
    if (!link) return at;
    at = link.to;
  }
  return undefined;
}

/**
 * The path a name the line writes reaches through the links the line made, the name itself
 * (`ln -s /etc/passwd x; echo … > x` writes /etc/passwd) or a folder above it (`ln -s /etc d; cp x d/passwd`),
 * where that is another path; undefined otherwise, or for a loop.
 */
export function linkedPath(name: string, links: ReadonlyMap<string, Link>): string | undefined {
  if (links.size === 0) return undefined;
  let at = name;
  for (let n = 0; n <= MAX_LINKS; n++) {
    let cut = at.length;
    let link = links.get(at);
    while (!link && cut > 1) {
      cut = at.lastIndexOf("/", cut - 1);
      if (cut <= 0) break;
      link = links.get(at.slice(0, cut));
    }
    if (!link) return at !== name ? at : undefined;
    at = link.to + at.slice(cut);
  }
  return undefined;
}

/**
 * After a command: the names that reach one file (the file, links to it, links to those) hold what
 * the command wrote to any of them (`ln -s a.sh x.sh; echo … > a.sh`, `echo … > x.sh`); several
 * written differently at once hold text wren cannot know, and so do the others where a link among
 * them may not be there (see `maybe-run.ts`).
 */
export function followLinks(then: Before, ctx: Ctx): void {
  // Most commands write nothing: found from what changed alone, without going through every link (see `shared-map.ts`).
  if (changedKeys(then.written, ctx.written).size === 0 && changedNames(then.downloaded, ctx.downloaded).size === 0) return;
  const changed = (at: string): boolean => then.written.has(at) !== ctx.written.has(at) || then.written.get(at) !== ctx.written.get(at) || then.downloaded.has(at) !== ctx.downloaded.has(at);
  const families = new Map<string, string[]>();
  for (const name of ctx.links.keys()) {
    const file = reached(name, ctx.links);
    if (file !== undefined) families.set(file, [...(families.get(file) ?? [file]), name]);
  }
  for (const names of families.values()) {
    const [first, ...others] = names.filter(changed);
    if (first === undefined) continue;
    const alike = others.every((n) => ctx.written.has(n) === ctx.written.has(first) && ctx.written.get(n) === ctx.written.get(first) && ctx.downloaded.has(n) === ctx.downloaded.has(first));
    const downloaded = [first, ...others].some((n) => ctx.downloaded.has(n));
    // A link that may not be there (`false && rm b`) may not take what is written to the others.
    const unsure = names.some((n) => ctx.links.get(n)?.maybe === true);
    for (const name of names) {
      if (unsure && !changed(name)) {
        const same = alike && ctx.written.has(name) === ctx.written.has(first) && ctx.written.get(name) === ctx.written.get(first);
        if (!same) ctx.written.set(name, undefined);
        if (downloaded) ctx.downloaded.add(name);
        continue;
      }
      if (!alike) ctx.written.set(name, undefined);
      else if (ctx.written.has(first)) ctx.written.set(name, ctx.written.get(first));
      else ctx.written.delete(name);
      if (downloaded) ctx.downloaded.add(name);
      else ctx.downloaded.delete(name);
    }
  }
}

/** Under `folder` or that name itself. */
function within(name: string, folder: string): boolean {
  return name === folder || name.startsWith(folder.endsWith("/") ? folder : `${folder}/`);
}

/**
 * The names `gone` (and, `recursive`, all under them) no longer are: a link among them reaches
 * nothing, and hard links to one keep the file, the first of them now the name the others reach.
 */
export function unlinked(gone: readonly string[], recursive: boolean, ctx: Ctx): void {
  const removed = (name: string): boolean => gone.some((g) => (recursive ? within(name, g) : name === g));
  for (const name of [...ctx.links.keys()]) if (removed(name)) ctx.links.delete(name);
  const files = new Set([...ctx.links.values()].filter((l) => !l.symbolic && removed(l.to)).map((l) => l.to));
  for (const file of files) {
    const hard = [...ctx.links].filter(([, l]) => !l.symbolic && l.to === file).map(([name]) => name);
    const [kept, ...others] = hard;
    if (kept === undefined) continue;
    ctx.links.delete(kept);
    for (const name of others) ctx.links.set(name, { to: kept, symbolic: false, relative: false });
  }
}

/** `name` is now a link to `link.to`: a name it replaces is unlinked first (`ln -sf`). */
export function linked(name: string, link: Link, ctx: Ctx): void {
  unlinked([name], false, ctx);
  ctx.links.set(name, link);
}

/**
 * Names renamed (`mv a b`): a link among them, or under a folder renamed, is a link under its new
 * name (a relative symbolic link found from its new folder), hard links to a file renamed reach its
 * new name, and a name replaced is unlinked first.
 */
export function renamedLinks(moves: readonly [from: string, to: string][], ctx: Ctx): void {
  const then = new Map(ctx.links);
  // Only a name certainly replaced: one a source may go into as a folder is kept.
  const readings = (from: string): number => moves.filter(([f]) => f === from).length;
  unlinked(moves.filter(([from, to]) => readings(from) === 1 && !moves.some(([f]) => f === to)).map(([, to]) => to), false, ctx);
  for (const [name] of then) if (moves.some(([from]) => within(name, from))) ctx.links.delete(name);
  for (const [from, to] of moves) {
    const renamed = (name: string): string => to + name.slice(from.length);
    for (const [name, link] of then) {
      if (!within(name, from)) continue;
      const at = renamed(name);
      const target = link.symbolic && link.relative ? path.posix.resolve(path.posix.dirname(at), path.posix.relative(path.posix.dirname(name), link.to)) : link.to;
      ctx.links.set(at, { ...link, to: target });
    }
  }
  // A hard link reaches the file wherever it went (the first reading of where, for a name that may be a folder).
  const went = new Map<string, string>();
  for (const [from, to] of moves) if (!went.has(from)) went.set(from, to);
  for (const [name, link] of ctx.links) {
    const from = link.symbolic ? undefined : [...went.keys()].find((f) => within(link.to, f));
    if (from !== undefined) ctx.links.set(name, { ...link, to: (went.get(from) ?? from) + link.to.slice(from.length) });
  }
}
