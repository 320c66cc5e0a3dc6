/**
 * `Bash(…)` specifiers: a command pattern matched against one simple command of a command line,
 * its words joined by single spaces after quote removal. `*` matches any text; a trailing ` *` or
 * `:*` also matches nothing (`git *` and `git:*` both match `git`); `\*` is a literal star; quotes
 * work as in the shell (`git commit -m "wip"` matches the words `git commit -m wip`).
 */
export interface CommandPattern {
  /** Whether a command's joined words match. Linear in practice, never exponential (no regular expression). */
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

/** Splits a pattern into words of literal and wildcard segments; throws a message on bad quoting. */
function tokenize(pattern: string): Segment[][] {
  const words: Segment[][] = [];
  let word: Segment[] | undefined;
  const push = (text: string, wildcard: boolean): void => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && !last.wildcard && !wildcard) last.text += text;
    else word.push({ text, wildcard });
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (/\s/.test(c)) {
      if (word) words.push(word);
      word = undefined;
    } else if (c === "\\") {
      push(pattern[++i] ?? "\\", false);
    } else if (c === "*") {
      push("", true);
    } else if (c === "'" || c === '"') {
      const end = pattern.indexOf(c, i + 1);
      if (end < 0) throw new Error(`the quote ${c} is not closed`);
      const inner = pattern.slice(i + 1, end);
      push(c === '"' ? inner.replace(/\\([$`"\\])/g, "$1") : inner, false);
      i = end;
    } else {
      push(c, false);
    }
  }
  if (word) words.push(word);
  return words;
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
    test: (text) => wildcard(whole, text) || (optionalTail && wildcard(withTail, text)),
    exact: !segments.some((s) => s.wildcard),
    literal: segments.reduce((n, s) => n + s.text.length, 0),
  };
}

/** A command written so that it matches only itself as a pattern (stars and quotes escaped). */
export function literalCommandPattern(text: string): string {
  return text
    .split(" ")
    .map((w) => w.replace(/[\\*'"]|[^\S ]/g, "\\$&"))
    .join(" ");
}
