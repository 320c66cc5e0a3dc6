import type { Param, Script, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import type { ShellKind } from "./types.js";
import { outputsOf, paramsOf, slotsOf } from "./variables.js";

/**
 * What bash's `echo` or `printf` writes, worked out exactly or not at all, so that a `$(…)` of one
 * of them can be filled in where its output is used (`rm -rf "$(printf '%s\n' /)"`), or, `whole`,
 * what a file it writes to holds, its last newlines kept. Words still
 * holding run-time values are written as they are, those values kept to be judged; whatever bash
 * might write differently (an escape wren does not decode, a value that may be an option, a format
 * wren does not apply) is undefined: unknown.
 *
 * In zsh, sh and fish, what they write alike: their `printf` applies the formats wren reads as bash
 * does; their `echo` decodes backslashes (zsh and dash do without `-e`) and reads its options
 * otherwise: zsh drops a `-` that ends them, fish a `--`, fish's `-s` joins words without spaces, and
 * dash has no -E. Their backslashes are unknown except after zsh's or fish's `-E`, and -n, -e and -E
 * are read as options in sh too, where dash writes -e and -E as text but bash as sh does not.
 */
export function bashWrites(name: string, args: readonly Word[], shell: ShellKind = "bash", whole = false): string | Word | undefined {
  const pieces = name === "echo" ? echoWrites(args, shell) : name === "printf" ? printfWrites(args) : undefined;
  if (!pieces) return undefined;
  // A file gets every byte written (`whole`); `$(…)` drops the newlines at the end.
  return whole ? joined(pieces) : withoutTrailingNewlines(joined(pieces));
}

type Piece = string | Word;

/** echo's options, read as bash does: leading words of only n, e and E after one `-` (`-ne`); `--` is text. */
const ECHO_OPTION = /^-[neE]+$/;

function echoWrites(args: readonly Word[], shell: ShellKind): Piece[] | undefined {
  // zsh ends its options at a `-`, fish at a `--`, and neither writes it; fish's -s joins words without spaces.
  const ending = shell === "zsh" ? "-" : shell === "fish" ? "--" : undefined;
  let newline = true;
  let escapes = false;
  let plainBackslashes = false;
  let first: number | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i] as Word;
    if (w.dynamic) {
      // Its value may be an option (or nothing, making the next word the first): only where none of its readings starts with `-`.
      if (mayStartWithDash(w)) return undefined;
      first ??= i;
      continue;
    }
    if (w.text === ending || (shell === "fish" && /^-[neEs]*s[neEs]*$/.test(w.text))) {
      if (first !== undefined || w.text !== ending) return undefined;
      i++;
      break;
    }
    if (!ECHO_OPTION.test(w.text)) break;
    if (first !== undefined) return undefined;
    for (const flag of w.text.slice(1)) {
      if (flag === "n") newline = false;
      else {
        escapes = flag === "e";
        // dash has no -E: it writes it, and decodes every backslash.
        plainBackslashes = flag === "E" && shell !== "sh";
      }
    }
  }
  const words = args.slice(first ?? i);
  // With -e bash decodes escapes, which a run-time value may hold; without -E a system's bash may have
  // xpg_echo on, decoding them too, and zsh's and dash's echo decode them: backslashes are only known
  // text after an explicit -E.
  if (escapes && words.some((w) => w.dynamic)) return undefined;
  if (!plainBackslashes && words.some(hasBackslash)) return undefined;
  const pieces: Piece[] = [];
  words.forEach((w, n) => pieces.push(...(n > 0 ? [" "] : []), w.dynamic ? w : w.text));
  if (newline) pieces.push("\n");
  return pieces;
}

/** The escapes of a printf format that wren decodes, each as bash does; any other is unknown. */
const FORMAT_ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** A format as literal text and `%s` conversions (null), or undefined where it has anything else. */
function formatParts(format: string): (string | null)[] | undefined {
  const parts: (string | null)[] = [];
  let text = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    const next = format[i + 1];
    if (c === "\\" || c === "%") {
      if (next === undefined) return undefined;
      i++;
      if (c === "\\") {
        const decoded = FORMAT_ESCAPES[next];
        if (decoded === undefined) return undefined;
        text += decoded;
      } else if (next === "%") text += "%";
      else if (next === "s") {
        parts.push(text, null);
        text = "";
      } else return undefined;
    } else text += c;
  }
  parts.push(text);
  return parts;
}

function printfWrites(args: readonly Word[]): Piece[] | undefined {
  // `printf -v NAME` assigns and writes nothing; other options are unknown.
  const rest = args[0]?.text === "--" && !args[0].dynamic ? args.slice(1) : args;
  const [format, ...values] = rest;
  if (!format || format.dynamic || format.text.startsWith("-")) return undefined;
  const parts = formatParts(format.text);
  if (!parts) return undefined;
  const conversions = parts.filter((p) => p === null).length;
  // A run-time value may be split into several arguments or none, each taking a conversion: only
  // where it is the one argument of a format with one %s is what is written still that value between
  // the same texts, and only when none of its known readings would be split.
  if (values.some((w) => w.dynamic) && (conversions !== 1 || values.length !== 1 || values.some(mayBeSplit))) return undefined;
  const pieces: Piece[] = [];
  let next = 0;
  // bash applies the format again while arguments are left and the last pass took some.
  do {
    for (const p of parts) {
      if (p !== null) pieces.push(p);
      else {
        const w = values[next++];
        if (w) pieces.push(w.dynamic ? w : w.text);
      }
    }
  } while (conversions > 0 && next < values.length);
  return pieces;
}

/** The readings a word's operators give it (`${x:-~}` gives `~`), and theirs in turn. */
function readings(word: Word): Word[] {
  return paramsOf(word).flatMap((p) => (p !== null && "word" in p ? [p.word, ...readings(p.word)] : []));
}

/** A reading's first known character is `-` (a value before it may be empty). */
function mayStartWithDash(word: Word): boolean {
  return [word, ...readings(word)].some((w) => w.text.split(RUN_TIME).find((part) => part !== "")?.startsWith("-") === true);
}

function hasBackslash(word: Word): boolean {
  return [word, ...readings(word)].some((w) => w.text.includes("\\"));
}

function mayBeSplit(word: Word): boolean {
  return readings(word).some((w) => /[\s*?[]/.test(w.text));
}

/** Pieces joined into text, or into a word that keeps each run-time value to be filled in. */
function joined(pieces: readonly Piece[]): string | Word {
  if (pieces.every((p) => typeof p === "string")) return pieces.join("");
  let text = "";
  const vars: (string | null)[] = [];
  const params: (Param | null)[] = [];
  const outputs: (Script | null)[] = [];
  for (const p of pieces) {
    if (typeof p === "string") {
      text += p;
      continue;
    }
    text += p.text;
    vars.push(...slotsOf(p));
    params.push(...paramsOf(p));
    outputs.push(...outputsOf(p));
  }
  const word: Word = { text, dynamic: true, glob: false, subs: [], vars };
  if (params.some((p) => p !== null)) word.params = params;
  if (outputs.some((o) => o !== null)) word.outputs = outputs;
  return word;
}

/** `$(…)` removes the newlines at the end of what it reads. */
function withoutTrailingNewlines(written: string | Word): string | Word {
  return typeof written === "string" ? written.replace(/\n+$/, "") : { ...written, text: written.text.replace(/\n+$/, "") };
}
