import type { Ctx } from "./evaluate-context.js";
import type { PathContext } from "./paths.js";
import { changedKeys, changedNames } from "./shared-map.js";

/**
 * A command that may not run (after `&&` or `||`, a branch of `if` or `case`, a loop's body): the
 * line goes on either with what it did or without. Where the rest of the line cannot also be judged
 * from the state before it (see `evaluate.ts`), the state after it is what both have in common, and
 * what they differ in is unknown: a file written differently holds text wren cannot know, a variable
 * set differently a value only known at run time, a link made or removed may or may not be there.
 */
export function mergeMaybe(skipped: Ctx, ran: Ctx, unknownDir: () => PathContext): void {
  // Only the names the two states differ in are looked at: both are copies of one state (see `forkContext`).
  for (const name of changedKeys(skipped.written, ran.written)) ran.written.set(name, undefined);
  for (const name of changedNames(skipped.downloaded, ran.downloaded)) ran.downloaded.add(name);
  // A link in one state and not the other (or to another file) is a link that may be there.
  for (const name of changedKeys(skipped.links, ran.links)) {
    const before = skipped.links.get(name);
    const after = ran.links.get(name);
    if (before && after && before.to === after.to && before.symbolic === after.symbolic && before.maybe === after.maybe) continue;
    const kept = after ?? before;
    if (kept) ran.links.set(name, { ...kept, maybe: true });
  }
  // A variable set differently (or with other readings) is unknown; readings only one state kept are dropped.
  const changedVars = changedKeys(skipped.vars, ran.vars);
  const changedMaybe = changedKeys(skipped.maybe, ran.maybe);
  const assigned = [...changedMaybe].filter((name) => skipped.vars.has(name) || ran.vars.has(name));
  for (const name of [...changedVars, ...assigned]) {
    ran.vars.delete(name);
    ran.maybe.delete(name);
  }
  for (const name of changedMaybe) if (skipped.maybe.has(name)) ran.maybe.delete(name);
  for (const name of changedKeys(skipped.fetched, ran.fetched)) {
    const source = skipped.fetched.get(name);
    if (source && !ran.fetched.has(name)) ran.fetched.set(name, source);
  }
  for (const name of changedNames(skipped.exported.names, ran.exported.names)) ran.exported.names.add(name);
  ran.exported.all ||= skipped.exported.all;
  for (const name of changedKeys(skipped.aliases, ran.aliases)) {
    const body = skipped.aliases.get(name);
    if (body !== undefined && !ran.aliases.has(name)) ran.aliases.set(name, body);
  }
  for (const name of changedNames(skipped.defined, ran.defined)) ran.defined.add(name);
  if (skipped.paths.cwd !== ran.paths.cwd) ran.paths = unknownDir();
}

/** Whether the two states differ in what the rest of the line sees. */
export function differ(skipped: Ctx, ran: Ctx): boolean {
  const maps = <V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, same: (x: V, y: V) => boolean = (x, y) => x === y): boolean =>
    a.size !== b.size || [...changedKeys(a, b)].some((k) => !a.has(k) || !b.has(k) || !same(a.get(k) as V, b.get(k) as V));
  const sets = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size !== b.size || changedNames(a, b).size > 0;
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
