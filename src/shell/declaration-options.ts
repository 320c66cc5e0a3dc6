/** The builtins that declare, export or unset variables. */
export const DECLARING = new Set(["declare", "typeset", "export", "local", "readonly", "unset"]);

/** What a declaring builtin's options make of the names and assignments it is given. */
export interface Declaration {
  /** It changes no variable: `unset -f` and `export -f` name functions, `declare -p` only prints. */
  none: boolean;
  /** Child processes see the names: `export` (not `export -n`), `declare -x`, `local -x`. */
  exported: boolean;
  /**
   * An attribute changes what is stored (`-i` works out arithmetic, `-l`/`-u` change case, `-n` names
   * another variable, arrays): the value assigned is unknown.
   */
  transformed: boolean;
}

/**
 * How `name` (one of {@link DECLARING}) reads its options, given as written (`-x`, `+x`, `-ix`).
 * The one reading for the parser, which reads `declare -x x=/` as it writes the line's steps, and the
 * evaluator, which reads `builtin declare -x x=/` and `command export x=/` where the grammar sees an
 * ordinary command.
 */
export function declarationOf(name: string, options: readonly string[]): Declaration {
  // `+x` takes an attribute away.
  const flags = options.filter((o) => o.startsWith("-")).map((o) => o.slice(1)).join("");
  // `unset -f`, `export -f` name functions; `declare -p` only prints (`export -p x=/` still assigns).
  const plainOptions = name === "unset" || name === "export" || name === "readonly";
  const none = plainOptions ? flags.includes("f") : /[fp]/.test(flags);
  const exported = (name === "export" && !flags.includes("n")) || (name !== "unset" && flags.includes("x"));
  return { none, exported, transformed: !plainOptions && /[ilunaA]/.test(flags) };
}

/** The options at the front of a declaring builtin's arguments, up to the first other word or `--` (which ends them). */
export function leadingOptions(args: readonly { text: string; dynamic?: boolean }[]): { options: string[]; rest: number } {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !/^[-+]./.test(w.text)) return { options, rest: i };
    if (w.text === "--") return { options, rest: i + 1 };
    options.push(w.text);
  }
  return { options, rest: args.length };
}
