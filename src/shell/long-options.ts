/**
 * The long option GNU getopt_long reads `--name` as: the one of that name, else the one option
 * `name` abbreviates when it abbreviates exactly one (`--arg` is xargs's `--arg-file`, `--nu` its
 * `--null`). Undefined for one the program does not know, or an abbreviation of several, which it
 * refuses (`--max` may be any of xargs's `--max-*`). `known` lists every long option, `--` included.
 */
export function longOption(text: string, known: readonly string[]): string | undefined {
  const matches = longOptionCandidates(text, known);
  return matches.length === 1 ? matches[0] : undefined;
}

/** The long options `--name` may be: the one of that name, else every one it abbreviates. */
function longOptionCandidates(text: string, known: readonly string[]): string[] {
  const name = text.split("=", 1)[0] ?? text;
  if (!name.startsWith("--") || name.length <= 2) return [];
  if (known.includes(name)) return [name];
  return known.filter((o) => o.startsWith(name));
}

/**
 * Whether `--name` (no `=value` joined) takes the next word as its value. An abbreviation of several
 * options that all take one does too: a release that knows only one of them reads it so, and one
 * that knows several refuses the line and runs nothing (`unshare --w DIR` is `--wd DIR` before
 * unshare learnt `--whitelist-env`).
 */
export function longOptionTakesValue(text: string, known: readonly string[], valueOptions: readonly string[]): boolean {
  const matches = longOptionCandidates(text, known);
  return matches.length > 0 && matches.every((o) => valueOptions.includes(o));
}
