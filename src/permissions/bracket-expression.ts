/**
 * Bracket expressions (`[abc]`, `[a-z]`, `[!x]`, `[[:alpha:]_]`) as the shell reads them, for the
 * path rules (`Read(~/.[[:alpha:]]*)`) and the shell words (`cat ~/.[[:alpha:]]*`) that a deny rule
 * is checked against: one reading for both, so a rule covers what the same text names in a command.
 */

/**
 * One member: a character, a range, or a class by its name (`alpha` for `[:alpha:]`; `[.c.]` and
 * `[=c=]` are the character c, and one of more characters is a class named as written, `.ch.`).
 */
export type BracketItem = { kind: "char"; c: string } | { kind: "range"; lo: string; hi: string } | { kind: "class"; name: string };

/** A bracket expression: its members, whether it matches what they do not, and the index of its closing `]`. */
export interface Bracket {
  end: number;
  negated: boolean;
  items: BracketItem[];
}

/**
 * POSIX character classes in the C locale, as bash reads them there: ranges of characters (from
 * `\u0001`: no name holds a NUL, and picomatch drops one from a glob).
 */
const CLASSES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  alpha: [["A", "Z"], ["a", "z"]],
  digit: [["0", "9"]],
  alnum: [["0", "9"], ["A", "Z"], ["a", "z"]],
  upper: [["A", "Z"]],
  lower: [["a", "z"]],
  space: [["\t", "\r"], [" ", " "]],
  blank: [["\t", "\t"], [" ", " "]],
  punct: [["!", "/"], [":", "@"], ["[", "`"], ["{", "~"]],
  xdigit: [["0", "9"], ["A", "F"], ["a", "f"]],
  word: [["0", "9"], ["A", "Z"], ["_", "_"], ["a", "z"]],
  cntrl: [["\u0001", "\u001f"], ["\u007f", "\u007f"]],
  graph: [["!", "~"]],
  print: [[" ", "~"]],
  ascii: [["\u0001", "\u007f"]],
};

/**
 * The bracket expression opening at `text[start]`, or undefined when there is none (the `[` is then
 * itself): as in the shell, a `]` first (after `!` or `^`) is a member, `[:name:]` is a class, `[.c.]`
 * and `[=c=]` are the character c, and a bracket expression that holds a `/` or that no `]` closes is
 * no bracket expression. `escapes`: a `\` makes the next character a plain member (a path rule's text
 * on POSIX; a shell word's text has its escapes already taken out). `[!]` that no `]` closes is `!`
 * itself: it is how a rule writes a literal `!` (picomatch reads it so too).
 */
export function bracketAt(text: string, start: number, escapes = false): Bracket | undefined {
  let j = start + 1;
  const negated = text[j] === "!" || text[j] === "^";
  if (negated) j++;
  const first = j;
  const items: BracketItem[] = [];
  const charAt = (k: number): [string, number] => (escapes && text[k] === "\\" && k + 1 < text.length ? [text[k + 1] ?? "", k + 2] : [text[k] ?? "", k + 1]);
  while (j < text.length) {
    if (text[j] === "]" && j > first) return { end: j, negated, items };
    const kind = text[j] === "[" ? text[j + 1] : undefined;
    const close = kind !== undefined && ":.=".includes(kind) ? text.indexOf(`${kind}]`, j + 2) : -1;
    if (close > 0) {
      const name = text.slice(j + 2, close);
      if (name.includes("/")) break;
      items.push(kind === ":" || [...name].length !== 1 ? { kind: "class", name: kind === ":" ? name : `${kind}${name}${kind}` } : { kind: "char", c: name });
      j = close + 2;
      continue;
    }
    const [lo, after] = charAt(j);
    if (lo === "/") break;
    if (text[after] === "-" && after + 1 < text.length && text[after + 1] !== "]") {
      const [hi, next] = charAt(after + 1);
      if (hi === "/") break;
      items.push({ kind: "range", lo, hi });
      j = next;
    } else {
      items.push({ kind: "char", c: lo });
      j = after;
    }
  }
  return text.startsWith("[!]", start) ? { end: start + 2, negated: false, items: [{ kind: "char", c: "!" }] } : undefined;
}

/**
 * Which characters the bracket expression matches. A class wren does not know matches any character,
 * so that a deny rule or a command's path is taken to cover all it could.
 */
export function bracketTest(bracket: Bracket): (c: string) => boolean {
  const tests = bracket.items.map((item): ((c: string) => boolean) => {
    if (item.kind === "char") return (x) => x === item.c;
    if (item.kind === "range") return (x) => x >= item.lo && x <= item.hi;
    const ranges = CLASSES[item.name];
    return ranges === undefined ? () => true : (x) => ranges.some(([lo, hi]) => x >= lo && x <= hi);
  });
  return (x) => tests.some((t) => t(x)) !== bracket.negated;
}

/** Characters escaped with `\` in a bracket expression written for picomatch (and read back by {@link bracketAt}). */
const SPECIAL = "\\]^-[!";
const member = (c: string): string => (SPECIAL.includes(c) ? `\\${c}` : c);

const unknown = (name: string): string =>
  /^[.=]/.test(name) ? `[${name}] in a bracket expression is not one character` : `[:${name}:] is not a character class wren knows: ${Object.keys(CLASSES).join(", ")}`;

/** The ranges less the character `c`. */
function without(ranges: [string, string][], c: string): [string, string][] {
  const before = String.fromCharCode(c.charCodeAt(0) - 1);
  const after = String.fromCharCode(c.charCodeAt(0) + 1);
  return ranges.flatMap(([lo, hi]): [string, string][] =>
    lo <= c && hi >= c ? ([[lo, before], [after, hi]] as [string, string][]).filter(([a, b]) => a <= b) : [[lo, hi]],
  );
}

/**
 * The bracket expression as picomatch reads it the same way: `[^…]` for a negation, each class as
 * its ranges, each character picomatch or {@link bracketAt} could read otherwise escaped with `\`.
 * Throws, saying why, for one that cannot mean what was meant: a class wren does not know, a
 * collating element of more than one character, a range whose ends are the wrong way round.
 */
export function bracketGlob(bracket: Bracket): string {
  const ranges: [string, string][] = [];
  for (const item of bracket.items) {
    if (item.kind === "char") ranges.push([item.c, item.c]);
    else if (item.kind === "range") {
      if (item.lo > item.hi) throw new Error(`the range ${item.lo}-${item.hi} in a bracket expression goes backwards: write ${item.hi}-${item.lo}`);
      ranges.push([item.lo, item.hi]);
    } else {
      const cls = CLASSES[item.name];
      if (cls === undefined) throw new Error(unknown(item.name));
      ranges.push(...cls.map(([lo, hi]): [string, string] => [lo, hi]));
    }
  }
  // A `\` is written once and on its own (picomatch reads a run of more than two as something
  // else), and a `/` not at all: no name holds one, and picomatch would match it.
  let backslash = false;
  const parts: string[] = [];
  for (const range of ranges) {
    if (range[0] <= "\\" && range[1] >= "\\") backslash = true;
    for (const [a, b] of without(without([range], "\\"), "/")) parts.push(a === b ? member(a) : `${member(a)}-${member(b)}`);
  }
  return `[${bracket.negated ? "^" : ""}${backslash ? "\\\\" : ""}${parts.join("")}]`;
}
