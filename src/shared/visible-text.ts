/**
 * Text wren did not write (a model's answer, a tool's output, a command to approve, an MCP server's
 * name, a model's name from a manifest) made safe to print: nothing in it reaches the terminal as an
 * instruction. A terminal acts on control characters (ESC starts cursor moves, erasing, OSC 52
 * clipboard writes, titles, links; `\r` and backspace write over what is shown), and bidi controls
 * and invisible characters make a line read other than it runs.
 */

// ESC followed by an OSC, DCS, SOS, PM or APC string (ended by BEL or ST; one never ended, at the
// line's end, so it cannot hide the rest of the text), a CSI sequence, or one more character; the
// C1 forms of the same. What a terminal would act on, payload included.
const SEQUENCE =
  // eslint-disable-next-line no-control-regex -- these are the terminal's control characters
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?/g;

// Controls (but newline and tab), bidi controls, and what draws nothing or looks like a plain space:
// format characters (zero-width space, joiners, BOM, soft hyphen, tags), default-ignorable ones
// (variation selectors, Hangul fillers), line and paragraph separators, spaces other than U+0020.
const HIDDEN = /[^\P{Cc}\n\t]|\p{Cf}|\p{Default_Ignorable_Code_Point}|\p{Zl}|\p{Zp}|[^\P{Zs} ]/gu;

// In prose: controls (but newline and tab) and the bidi controls that reorder what follows. Joiners
// and variation selectors stay: emoji are made of them.
const PROSE_HIDDEN = /[^\P{Cc}\n\t]|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

// The same, newlines and tabs included: for a value shown on one line (a table's cell, an argument).
const HIDDEN_IN_LINE = /\p{Cc}|\p{Cf}|\p{Default_Ignorable_Code_Point}|\p{Zl}|\p{Zp}|[^\P{Zs} ]/gu;

const NAMED: Readonly<Record<string, string>> = { "\r": "\\r", "\n": "\\n", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v" };

/** One character as an escape a person can read: `\r`, `\x1b`, `\u202e`, `\u{e0041}`. */
function escape(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\u{${code.toString(16)}}`;
}

/**
 * Text shown for the user to approve or to act on (a command, a path, a tool's name or arguments):
 * every control, bidi and invisible character written out as an escape (`\x1b`, `\r`, `\u202e`), so
 * what is shown is what runs. Newlines and tabs stay, so a heredoc reads as one, unless `oneLine`
 * (a table's cell, a value inside a sentence): then they are written out too.
 */
export function visibleText(text: string, options: { oneLine?: boolean } = {}): string {
  const hidden = options.oneLine ? HIDDEN_IN_LINE : HIDDEN;
  hidden.lastIndex = 0;
  return hidden.test(text) ? text.replace(hidden, escape) : text;
}

/**
 * Prose to print (a model's answer, a tool's output, an error quoting a name): escape sequences
 * dropped whole (colours, cursor moves, clipboard writes, titles, links), a line break written over
 * (`\r`) broken instead, any other control or bidi control written out as an escape. Newlines, tabs
 * and emoji stay.
 */
export function printableText(text: string): string {
  PROSE_HIDDEN.lastIndex = 0;
  if (!PROSE_HIDDEN.test(text)) return text;
  return text.replace(SEQUENCE, "").replace(/\r+\n/g, "\n").replace(/\r/g, "\n").replace(PROSE_HIDDEN, escape);
}
