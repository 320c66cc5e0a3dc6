/** The tokens the PowerShell lexer makes (words and their kinds, separators, `|`, `&`, assignments, redirections), and those it makes for `$i++`. */
import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";

export type Token =
  | { t: "word"; word: Word; kind: "bare" | "string" | "var" | "group" | "block" | "param" | "member" | "type"; inner?: string }
  /** `newline`: the end of a line rather than `;`, `&&` or `||` (a statement may go on after it). */
  | { t: "sep"; newline?: boolean; conditional?: boolean }
  | { t: "pipe" }
  | { t: "amp" }
  /** `compound`: `+=`, `-=` and the like, whose value is built from the variable's own. */
  | { t: "assign"; compound?: boolean }
  | { t: "redir"; op: string; fdTarget: boolean };

export type WordToken = Extract<Token, { t: "word" }>;

/** Where a token starts an expression of its own: a statement's start, or the value of an assignment. */
export function startsExpression(prev: Token | undefined): boolean {
  return prev === undefined || prev.t === "sep" || prev.t === "assign";
}

/**
 * The tokens for `$i++` (`++$i`, `$i--`, `--$i`): at a statement's start, an assignment of a value
 * wren does not follow (`$i` is then unknown); as an assignment's value, a value only known at run time.
 */
export function stepped(variable: Word, prev: Token | undefined): Token[] {
  const value: Token = { t: "word", kind: "var", word: { text: RUN_TIME, dynamic: true, glob: false, subs: [], vars: [null] } };
  return prev?.t === "assign" ? [value] : [{ t: "word", kind: "var", word: variable }, { t: "assign" }, value];
}
