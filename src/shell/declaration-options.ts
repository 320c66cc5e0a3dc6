import type { ShellKind } from "./types.js";

/** The builtins that declare, export or unset variables. */
export const DECLARING = new Set(["declare", "typeset", "export", "local", "readonly", "unset"]);

/** The declaring builtins whose options are plain flags, not attributes (bash reads no `+` option for them). */
const PLAIN_OPTIONS = new Set(["export", "readonly", "unset"]);

/** What a declaring builtin's options make of the names and assignments it is given. */
export interface Declaration {
  /**
   * It changes no variable: `unset -f` and `export -f` name functions, `declare -p` (`+p` too) only
   * prints, as `export -p` and `readonly -p` do in zsh.
   */
  none: boolean;
  /** Child processes see the names: `export` (not `export -n`), `declare -x`, `local -x`. */
  exported: boolean;
  /** Child processes no longer see the names: `export -n`, `declare +x`, `local +x`. */
  unexported: boolean;
  /**
   * An attribute changes what is stored (`-i` works out arithmetic, `-l`/`-u` change case, `-n` names
   * another variable, arrays): the value assigned is unknown.
   */
  transformed: boolean;
  /** `declare -n R=PATH` (`typeset`, `local`): R names the variable PATH, and what is assigned to R goes to PATH. */
  reference: boolean;
}

/**
 * Whether `name` given only `args` (options, no variable) lists the variables, every exported one
 * among them, as a dump of the environment does: `export`, `export -p`, `declare` and `typeset` with
 * nothing but `-p` and `-x` (not `declare -f`, functions, nor `readonly`, its own few).
 */
export function listsEnvironment(name: string, args: readonly string[]): boolean {
  if (name === "export") return args.every((a) => a === "-p");
  return (name === "declare" || name === "typeset") && args.every((a) => /^-[px]+$/.test(a));
}

/**
 * How `name` (one of {@link DECLARING}) reads its options, given as written (`-x`, `+x`, `-ix`), in
 * `shell` (bash unless told: zsh runs `export -p` and `readonly -p` as `typeset -xp` and `typeset -rp`,
 * which only print; bash as `export` and `readonly`).
 * The one reading for the parser, which reads `declare -x x=/` as it writes the line's steps, the
 * evaluator, which reads `builtin declare -x x=/` and `command export x=/` where the grammar sees an
 * ordinary command, and the Bash tool's permissions.
 */
export function declarationOf(name: string, options: readonly string[], shell: ShellKind = "bash"): Declaration {
  // `+x` takes an attribute away.
  const flags = options.filter((o) => o.startsWith("-")).map((o) => o.slice(1)).join("");
  const removed = options.filter((o) => o.startsWith("+")).map((o) => o.slice(1)).join("");
  // `unset -f`, `export -f` name functions; `declare -p` (and `+p`) only prints (`export -p x=/` still assigns in bash).
  const plainOptions = PLAIN_OPTIONS.has(name);
  const prints = (plainOptions ? shell === "zsh" && name !== "unset" : true) && (flags + removed).includes("p");
  const none = flags.includes("f") || prints;
  const exported = (name === "export" && !flags.includes("n")) || (name !== "unset" && flags.includes("x"));
  const unexported = name === "export" ? flags.includes("n") : !plainOptions && removed.includes("x");
  return { none, exported, unexported, transformed: !plainOptions && /[ilunaA]/.test(flags), reference: !plainOptions && flags.includes("n") };
}

/**
 * The options at the front of `name`'s arguments (`name` one of {@link DECLARING}), up to the first
 * other word or `--` (which ends them). bash (and sh) take a word with `+` as options only for
 * declare, typeset and local: to export, readonly and unset `+p` is a name like any other, which ends
 * the options (`export +p -n X` exports X, `-n` a name it refuses); zsh takes it as options for all.
 */
export function leadingOptions(name: string, args: readonly { text: string; dynamic?: boolean }[], shell: ShellKind = "bash"): { options: string[]; rest: number } {
  const plus = shell === "zsh" || !PLAIN_OPTIONS.has(name);
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !(plus ? /^[-+]./ : /^-./).test(w.text)) return { options, rest: i };
    if (w.text === "--") return { options, rest: i + 1 };
    options.push(w.text);
  }
  return { options, rest: args.length };
}
