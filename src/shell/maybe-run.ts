import type { Ctx } from "./evaluate-context.js";
import type { PathContext } from "./paths.js";

/**
 * A command that may not run (after `&&` or `||`, a branch of `if` or `case`, a loop's body): the
 * line goes on either with what it did or without. Where the rest of the line cannot also be judged
 * from the state before it (see `evaluate.ts`), the state after it is what both have in common, and
 * what they differ in is unknown: a file written differently holds text wren cannot know, a variable
 * set differently a value only known at run time, a link made or removed may or may not be there.
 */
export function mergeMaybe(skipped: Ctx, ran: Ctx, unknownDir: () => PathContext): void {
  for (const name of new Set([...skipped.written.keys(), ...ran.written.keys()])) {
    if (skipped.written.has(name) !== ran.written.has(name) || skipped.written.get(name) !== ran.written.get(name)) ran.written.set(name, undefined);
  }
  for (const name of skipped.downloaded) ran.downloaded.add(name);
  // A link in one state and not the other (or to another file) is a link that may be there.
  for (const name of new Set([...skipped.links.keys(), ...ran.links.keys()])) {
    const before = skipped.links.get(name);
    const after = ran.links.get(name);
    if (before && after && before.to === after.to && before.symbolic === after.symbolic && before.maybe === after.maybe) continue;
    const kept = after ?? before;
    if (kept) ran.links.set(name, { ...kept, maybe: true });
  }
  for (const name of new Set([...skipped.vars.keys(), ...ran.vars.keys()])) {
    if (skipped.vars.get(name) !== ran.vars.get(name) || skipped.maybe.get(name) !== ran.maybe.get(name)) {
      ran.vars.delete(name);
      ran.maybe.delete(name);
    }
  }
  for (const name of skipped.maybe.keys()) if (skipped.maybe.get(name) !== ran.maybe.get(name)) ran.maybe.delete(name);
  for (const [name, source] of skipped.fetched) if (!ran.fetched.has(name)) ran.fetched.set(name, source);
  for (const name of skipped.exported.names) ran.exported.names.add(name);
  ran.exported.all ||= skipped.exported.all;
  for (const [name, body] of skipped.aliases) if (!ran.aliases.has(name)) ran.aliases.set(name, body);
  for (const name of skipped.defined) ran.defined.add(name);
  if (skipped.paths.cwd !== ran.paths.cwd) ran.paths = unknownDir();
}

/** Whether the two states differ in what the rest of the line sees. */
export function differ(skipped: Ctx, ran: Ctx): boolean {
  const maps = <K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>, same: (x: V, y: V) => boolean = (x, y) => x === y): boolean =>
    a.size !== b.size || [...a].some(([k, v]) => !b.has(k) || !same(v, b.get(k) as V));
  const sets = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean => a.size !== b.size || [...a].some((x) => !b.has(x));
  return (
    maps(skipped.written, ran.written) ||
    sets(skipped.downloaded, ran.downloaded) ||
    maps(skipped.links, ran.links, (x, y) => x.to === y.to && x.symbolic === y.symbolic && x.relative === y.relative && x.maybe === y.maybe) ||
    maps(skipped.vars, ran.vars) ||
    maps(skipped.maybe, ran.maybe) ||
    maps(skipped.fetched, ran.fetched) ||
    maps(skipped.aliases, ran.aliases) ||
    sets(skipped.defined, ran.defined) ||
    sets(skipped.exported.names, ran.exported.names) ||
    skipped.exported.all !== ran.exported.all ||
    skipped.paths.cwd !== ran.paths.cwd ||
    skipped.dirs.length !== ran.dirs.length ||
    skipped.dirs.some((d, i) => d.cwd !== ran.dirs[i]?.cwd)
  );
}
