import { DECLARING } from "../shell/declaration-options.js";
import { currentUser } from "../shell/paths.js";

/**
 * `Bash(…)` specifiers: a command pattern matched against one simple command of a command line,
 * its words joined by single spaces after quote removal. `*` matches any text; a trailing ` *` or
 * `:*` also matches nothing (`git *` and `git:*` both match `git`); `\*` is a literal star; quotes
 * work as in the shell (`git commit -m "wip"` matches the words `git commit -m wip`). As in the
 * shell, a `~` starting a word (or an assignment's value) is the home unquoted and the text `~`
 * quoted or escaped (`Bash(ls "~/x")`): see {@link LITERAL_TILDE}.
 */
export interface CommandPattern {
  /**
   * Whether a command's joined words match. Linear in practice, never exponential (no regular
   * expression). With an {@link ANYWHERE} in `text`: whether they may match, whatever it stands for.
   */
  test(text: string): boolean;
  /** No wildcard: the rule names one exact command. */
  exact: boolean;
  /** Literal characters: more means more specific. */
  literal: number;
}

interface Segment {
  text: string;
  wildcard: boolean;
}

/**
 * Written before a `~` that starts a word of a command part, or the value of an assignment (before a
 * command, or as an argument of a builtin that declares variables: `export`, `declare`…), where the
 * shell left it as it is (`"~/x"`, `\~/x`): the text `~`, a file of that name, not the home, which
 * parts and rules write as a bare `~`. The shell front-ends expand every `~` there that the shell
 * would, so one still in a word's text is such a `~`.
 */
export const LITERAL_TILDE = "\u0001";

/**
 * In a command part's form, where a folder wren cannot place goes (a relative path after `cd "$D"`
 * is ANYWHERE/id_rsa): it stands for any text of a word, so a pattern that the word may be matches.
 */
export const ANYWHERE = "\u0002";

const ASSIGNED = /^[A-Za-z_]\w*(?:\[[^\]]*\])?\+?=/;

/** `text` with a {@link LITERAL_TILDE} before its first `~` where that is a literal one (`assignment`: also after `NAME=`). */
export function markLiteralTilde(text: string, assignment: boolean): string {
  if (text.startsWith("~")) return LITERAL_TILDE + text;
  const name = assignment ? ASSIGNED.exec(text)?.[0] : undefined;
  return name && text.startsWith("~", name.length) ? name + LITERAL_TILDE + text.slice(name.length) : text;
}

/** A part's text as a person reads it, and as a rule is written: a literal `~` quoted (`"~"/x`). */
export function showLiteralTilde(text: string): string {
  return text.split(`${LITERAL_TILDE}~`).join('"~"');
}

/** Splits a pattern into words of literal and wildcard segments; throws a message on bad quoting. */
function tokenize(pattern: string): Segment[][] {
  const words: Segment[][] = [];
  let word: Segment[] | undefined;
  const own = pattern.includes("~") ? currentUser()?.name : undefined;
  const push = (text: string, wildcard: boolean): void => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && !last.wildcard && !wildcard) last.text += text;
    else word.push({ text, wildcard });
  };
  // A quoted or escaped `~` where the shell expands an unquoted one: the text `~`, as parts write it.
  const quotedTilde = (text: string): string => {
    if (!text.startsWith("~")) return text;
    if (word === undefined) return LITERAL_TILDE + text;
    const before = wordText(word);
    const assignment = ASSIGNED.exec(before)?.[0] === before && (words.every(isAssignment) || DECLARING.has(wordText(words[0])));
    return assignment ? LITERAL_TILDE + text : text;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (/\s/.test(c)) {
      if (word) words.push(word);
      word = undefined;
    } else if (c === "\\") {
      push(quotedTilde(pattern[++i] ?? "\\"), false);
    } else if (c === "*") {
      push("", true);
    } else if (c === "'" || c === '"') {
      const end = pattern.indexOf(c, i + 1);
      if (end < 0) throw new Error(`the quote ${c} is not closed`);
      const inner = pattern.slice(i + 1, end);
      push(quotedTilde(c === '"' ? inner.replace(/\\([$`"\\])/g, "$1") : inner), false);
      i = end;
    } else if (c === "~" && word === undefined && own && pattern.startsWith(own, i + 1) && /^(?:\/|\s|$)/.test(pattern.slice(i + 1 + own.length))) {
      // `~NAME` with the name wren runs as is the home, which parts write as `~`.
      push(c, false);
      i += own.length;
    } else {
      push(c, false);
    }
  }
  if (word) words.push(word);
  return words;
}

function wordText(word: Segment[] | undefined): string {
  return word?.every((s) => !s.wildcard) ? word.map((s) => s.text).join("") : "";
}

/** A word of assignments before a command (`PATH=~/bin npm test`). */
function isAssignment(word: Segment[]): boolean {
  return ASSIGNED.test(wordText(word));
}

/** A pattern as characters, `null` standing for `*`. */
type Chars = readonly (string | null)[];

/** Wildcard match with one backtrack point (the last star): O(pattern × text) at worst. */
function wildcard(pattern: Chars, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === null) {
      star = p++;
      mark = t;
    } else if (c !== undefined && c === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === null) p++;
  return p === pattern.length;
}

/**
 * {@link wildcard} where each {@link ANYWHERE} in `text` may be any text within a word (no space):
 * whether some text for them makes the pattern match. O(pattern × text).
 */
function mayMatch(pattern: Chars, text: string): boolean {
  // next[i]: pattern from i matches text from t + 1; here[i]: from t.
  let next = pattern.map((_, i) => pattern.slice(i).every((c) => c === null)).concat(true);
  for (let t = text.length - 1; t >= 0; t--) {
    const here = new Array<boolean>(pattern.length + 1).fill(false);
    here[pattern.length] = text[t] === ANYWHERE && next[pattern.length] === true;
    for (let i = pattern.length - 1; i >= 0; i--) {
      const c = pattern[i];
      if (c === null) here[i] = here[i + 1] === true || next[i] === true;
      else if (text[t] === ANYWHERE) here[i] = next[i] === true || (c !== " " && here[i + 1] === true);
      else here[i] = c === text[t] && next[i + 1] === true;
    }
    next = here;
  }
  return next[0] === true;
}

function charsOf(words: Segment[][]): (string | null)[] {
  const out: (string | null)[] = [];
  words.forEach((word, i) => {
    if (i > 0) out.push(" ");
    for (const s of word) {
      if (!s.wildcard) out.push(...s.text.split(""));
      else if (out[out.length - 1] !== null) out.push(null);
    }
  });
  return out;
}

export function compileCommandPattern(pattern: string): CommandPattern {
  const words = tokenize(pattern);
  if (words.length === 0) throw new Error("the command pattern is empty");
  // `prefix:*` is the same as `prefix *`: the prefix, then optionally more words.
  const last = words[words.length - 1] ?? [];
  const tail = last[last.length - 1];
  const beforeTail = last[last.length - 2];
  if (tail?.wildcard && last.length === 2 && beforeTail && !beforeTail.wildcard && beforeTail.text.endsWith(":") && beforeTail.text.length > 1) {
    words[words.length - 1] = [{ text: beforeTail.text.slice(0, -1), wildcard: false }];
    words.push([{ text: "", wildcard: true }]);
  }
  const lastWord = words[words.length - 1] ?? [];
  const optionalTail = words.length > 1 && lastWord.length === 1 && lastWord[0]?.wildcard === true;
  const body = optionalTail ? words.slice(0, -1) : words;
  const whole = charsOf(body);
  const withTail = [...whole, " ", null];
  const segments = words.flat();
  return {
    test: (text) => {
      const match = text.includes(ANYWHERE) ? mayMatch : wildcard;
      return match(whole, text) || (optionalTail && match(withTail, text));
    },
    exact: !segments.some((s) => s.wildcard),
    literal: segments.reduce((n, s) => n + s.text.length, 0),
  };
}

/** A command written so that it matches only itself as a pattern (stars and quotes escaped). */
export function literalCommandPattern(text: string): string {
  return showLiteralTilde(
    text
      .split(" ")
      .map((w) => w.replace(/[\\*'"]|[^\S ]/g, "\\$&"))
      .join(" "),
  );
}
