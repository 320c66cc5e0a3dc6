/**
 * The long option GNU getopt_long reads `--name` as: the one of that name, else the one option
 * `name` abbreviates when it abbreviates exactly one (`--arg` is xargs's `--arg-file`, `--nu` its
 * `--null`). Undefined for one the program does not know, or an abbreviation of several, which it
 * refuses (`--max` may be any of xargs's `--max-*`). `known` lists every long option, `--` included.
 */
export function longOption(text: string, known: readonly string[]): string | undefined {
  const name = text.split("=", 1)[0] ?? text;
  if (!name.startsWith("--") || name.length <= 2) return undefined;
  if (known.includes(name)) return name;
  const matches = known.filter((o) => o.startsWith(name));
  return matches.length === 1 ? matches[0] : undefined;
}
