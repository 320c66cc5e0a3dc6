/**
 * What reading inline code finds: the languages it reads and the safety-relevant actions of their code.
 * A path in an action may start with {@link HOME_MARK}, the user's home folder.
 */

/** Starts a path (or argument) that starts at the user's home folder: what follows it is joined on as written. */
export const HOME_MARK = "\u0001";

export type InlineLanguage = "python" | "perl" | "ruby" | "node" | "php" | "lua";

export type InlineAction =
  /** Runs a command line in a shell; undefined when it is not a literal. */
  | { kind: "shell"; command?: string }
  /** Runs a program directly with these words. */
  | { kind: "argv"; argv: string[] }
  | { kind: "remove-tree"; path?: string }
  | { kind: "remove-file"; path?: string }
  | { kind: "chmod-tree"; path?: string; mode?: string }
  | { kind: "write"; path?: string }
  /** Evaluates code only known at run time (eval of a variable, code read from input). */
  | { kind: "dynamic-code" }
  /** Downloads code and evaluates it (`exec(urlopen(u).read())`, `fetch(u).then(r => r.text()).then(eval)`). */
  | { kind: "downloaded-code" }
  /** Starts processes in a loop that never ends by itself (`perl -e 'fork while 1'`): a fork bomb. */
  | { kind: "fork-loop" }
  /** Opens a network connection and starts this shell reading commands from its input: a reverse shell. */
  | { kind: "reverse-shell"; shell: string };
