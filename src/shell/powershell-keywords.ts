/** PowerShell's statement keywords: which branch or loop, which need a condition in (…), and which wait for a block on a later line. */
import type { Token } from "./powershell-tokens.js";

export const KEYWORDS = new Set([
  "if", "elseif", "else", "foreach", "for", "while", "do", "until", "switch", "try", "catch", "finally", "trap",
  "param", "begin", "process", "end", "return", "throw", "exit", "break", "continue", "data", "filter",
  "workflow", "class", "enum", "using", "dynamicparam", "clean",
]);

/**
 * Statements whose blocks may not run: branches and loops (`else`, `catch` and the like may start a
 * line of their own after the block before them).
 */
export const BRANCHING = new Set(["if", "elseif", "else", "switch", "foreach", "for", "while", "do", "until", "try", "catch", "finally", "trap"]);

/** A `trap` block runs in a scope of its own: what it assigns is gone after it. */
export const OWN_SCOPE = new Set(["trap"]);

/**
 * Keywords whose condition in (…) after them always runs (`while` also after a `do` block). An
 * `elseif` condition runs only when the ones before it are false, and a `for` loop's parts may not
 * all run: theirs may not.
 */
export const RUNS_CONDITION = new Set(["if", "while", "until", "switch"]);

/** Keywords that PowerShell reads only with a condition in (…) right after them. */
export const NEEDS_CONDITION = new Set(["if", "elseif", "for", "foreach", "while"]);

/** Statements whose block may open on a later line (`foreach (…)` then `{` on the next). */
export const BLOCK_KEYWORDS = new Set(["if", "elseif", "else", "foreach", "for", "while", "do", "until", "switch", "try", "catch", "finally", "trap", "function", "filter"]);

/**
 * Whether a statement goes on past the end of the line at `tokens[at]`, as PowerShell reads it: after
 * a `|` that ends a line, and where a keyword statement still waits for its block and the next line
 * opens one (`foreach ($d in 'C:\', '~')` with its `{` on the next line is the same loop).
 */
export function goesOn(statement: readonly Token[], tokens: readonly Token[], at: number): boolean {
  const last = statement[statement.length - 1];
  if (last?.t === "pipe") return true;
  const first = statement[0];
  if (first?.t !== "word" || first.kind !== "bare" || !BLOCK_KEYWORDS.has(first.word.text.toLowerCase())) return false;
  if (last?.t === "word" && last.kind === "block") return false;
  const next = tokens.slice(at + 1).find((t) => !(t.t === "sep" && t.newline));
  return next?.t === "word" && next.kind === "block";
}
