import { literalWord, type Word } from "./ir.js";
import { longOption } from "./long-options.js";
import { XARGS_LONG_OPTIONS } from "./rules.js";

/** Short options of GNU xargs that take a value: the rest of the word, or else the next word. */
const SHORT_VALUE = new Set(["I", "n", "P", "L", "s", "d", "E", "a"]);
/** Short options that take a value only when it is joined (`-i{}`, `-l5`, `-eEND`). */
const SHORT_JOINED = new Set(["i", "l", "e"]);
/** Long options that take the next word as their value when none is joined with `=`. */
const LONG_VALUE = ["--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"];

/** What xargs's options say about its input. */
export interface XargsInput {
  /**
   * What it splits its input at: `"blanks"` (and newlines, its default), one character
   * (`-0`/`--null` is NUL, `-d X`/`--delimiter X` is X), or undefined when the options are only
   * known at run time or the delimiter is one xargs refuses. The last of `-0` and `-d` counts.
   */
  delimiter: string | undefined;
  /**
   * The file `-a FILE` (`--arg-file=FILE`) reads the items from instead of standard input, the last
   * one given; an option only known at run time may be one, so it stands for a file then too.
   */
  file?: Word;
  /** `-o`/`--open-tty`: the command's standard input is the terminal. */
  openTty?: boolean;
}

/** Reads xargs's options as GNU getopt does: bundled short options, values joined or in the next word, long options cut short. */
export function xargsOptions(options: readonly Word[]): XargsInput {
  let delimiter: string | undefined = "blanks";
  let file: Word | undefined;
  let openTty = false;
  const read = (delimiter: string | undefined): XargsInput => ({ delimiter, ...(file ? { file } : {}), ...(openTty ? { openTty } : {}) });
  for (let i = 0; i < options.length; i++) {
    const w = options[i];
    if (!w) continue;
    if (w.dynamic) return { delimiter: undefined, file: w };
    const text = w.text;
    if (text === "--") break;
    if (text.startsWith("--")) {
      const long = longOption(text, XARGS_LONG_OPTIONS);
      const eq = text.indexOf("=");
      const joined = eq < 0 ? undefined : text.slice(eq + 1);
      if (long === "--null") delimiter = "\u0000";
      else if (long === "--open-tty") openTty = true;
      else if (long === "--delimiter" || long === "--arg-file") {
        const value = joined === undefined ? options[++i] : literalWord(joined);
        if (value === undefined) return read(undefined);
        if (long === "--arg-file") file = value;
        else if (value.dynamic) return read(undefined);
        else delimiter = delimiterChar(value.text);
      } else if (joined === undefined && long !== undefined && LONG_VALUE.includes(long)) i++;
      continue;
    }
    if (!text.startsWith("-")) continue;
    for (let k = 1; k < text.length; k++) {
      const c = text[k] ?? "";
      if (c === "0") delimiter = "\u0000";
      else if (c === "o") openTty = true;
      else if (SHORT_JOINED.has(c)) break;
      else if (SHORT_VALUE.has(c)) {
        const joined = text.slice(k + 1);
        const value = joined.length > 0 ? literalWord(joined) : options[++i];
        if (value === undefined) return read(undefined);
        if (c === "a") file = value;
        else if (value.dynamic) return read(undefined);
        else if (c === "d") delimiter = delimiterChar(value.text);
        break;
      }
    }
  }
  return read(delimiter);
}

/**
 * The string each input line replaces in xargs's command, from its options (the words before the
 * command): `-I R`, `-IR`, `-i[R]` or `--replace[=R]`, cut short or not (`{}` where none is
 * given), the last one given; undefined when none is.
 */
export function xargsReplace(options: readonly Word[]): string | undefined {
  let replace: string | undefined;
  for (let i = 0; i < options.length; i++) {
    const w = options[i];
    if (!w || w.dynamic) continue;
    const text = w.text;
    if (text === "--") break;
    if (text.startsWith("--")) {
      const long = longOption(text, XARGS_LONG_OPTIONS);
      const eq = text.indexOf("=");
      if (long === "--replace") replace = eq < 0 ? "{}" : text.slice(eq + 1);
      else if (eq < 0 && long !== undefined && LONG_VALUE.includes(long)) i++;
      continue;
    }
    if (!text.startsWith("-")) continue;
    for (let k = 1; k < text.length; k++) {
      const c = text[k] ?? "";
      const rest = text.slice(k + 1);
      if (c === "i") replace = rest || "{}";
      else if (c === "I") replace = rest || options[++i]?.text;
      else if (SHORT_VALUE.has(c) && rest.length === 0) i++;
      if (SHORT_JOINED.has(c) || SHORT_VALUE.has(c)) break;
    }
  }
  return replace;
}

/** The one character `-d` gives: itself, or a C escape (`\n`, `\t`, `\0`, `\101`, `\x41`); undefined where xargs refuses it. */
function delimiterChar(spec: string): string | undefined {
  if ([...spec].length === 1) return spec;
  const named: Record<string, string> = { a: "\u0007", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
  const m = /^\\(?:([abfnrtv\\])|([0-7]{1,3})|x([0-9a-fA-F]{1,2}))$/.exec(spec);
  if (!m) return undefined;
  if (m[1]) return named[m[1]];
  return String.fromCharCode(m[2] ? parseInt(m[2], 8) : parseInt(m[3] ?? "", 16));
}

/**
 * The items xargs reads from `text`: with a delimiter, each run up to it (a last one need not end
 * with it, empty ones count) and blanks inside stay; by default, words at blanks and newlines, or
 * whole lines under `-I`, with xargs's own quoting taken off (see {@link quotedItems}). Each is
 * taken without the blanks around it, so `rm -rf` given `/` and a newline is judged as given `/`,
 * the worse reading.
 */
export function xargsItems(text: string, delimiter: string, lines: boolean): string[] {
  if (delimiter === "blanks") return quotedItems(text, lines);
  const items = text.split(delimiter);
  if (items[items.length - 1] === "") items.pop();
  return items.map((t) => t.trim());
}

/** What C's isspace() is true for: blanks and newlines that xargs skips before an item. */
const SPACE = new Set([" ", "\t", "\n", "\v", "\f", "\r"]);

/**
 * Items as GNU xargs reads them without `-0` or `-d`: blanks (space, tab) and newlines end an item,
 * `'…'` and `"…"` keep what is inside as it is (neither may hold a newline), and `\` makes the next
 * character plain, a newline too. A quoted empty string is an empty item, except at the very end.
 * Under `-I` only newlines end one, and blanks after the last character are left off, as the worse
 * reading. An item stops at a NUL, which cannot be passed in an argument. A quote left open makes
 * xargs give up: it runs what it read before that item, and no more.
 */
function quotedItems(text: string, lines: boolean): string[] {
  const items: string[] = [];
  let item = "";
  // Where the item ends under -I: after its last character that is not a blank outside quotes.
  let end = 0;
  let state: "space" | "plain" | "quote" | "backslash" = "space";
  let quote = "";
  const push = (): void => {
    const taken = lines ? item.slice(0, end) : item;
    items.push(taken.split("\u0000", 1)[0] ?? "");
    item = "";
    end = 0;
    state = "space";
  };
  for (const c of text) {
    if (state === "space") {
      if (SPACE.has(c)) continue;
      state = "plain";
    }
    const quoted = state !== "plain";
    if (state === "backslash") {
      state = "plain";
    } else if (state === "quote") {
      // xargs refuses a quoted newline as it refuses an unmatched quote.
      if (c === "\n") return items;
      if (c === quote) {
        state = "plain";
        end = item.length;
        continue;
      }
    } else if (c === "\n" || (!lines && (c === " " || c === "\t"))) {
      push();
      continue;
    } else if (c === "\\") {
      state = "backslash";
      continue;
    } else if (c === "'" || c === '"') {
      state = "quote";
      quote = c;
      continue;
    }
    item += c;
    if (quoted || (c !== " " && c !== "\t")) end = item.length;
  }
  if (state !== "quote" && item.length > 0) push();
  return items;
}
