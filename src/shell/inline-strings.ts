/**
 * Reads the text of inline code: string literals (Perl's `q{…}`/`qq{…}` and Lua's `[[…]]` too), the language's own names for
 * the home folder, path joins and literals joined on, and where a call's arguments start and end. A value
 * partly known only at run time is marked not exact, never guessed.
 */

import { HOME_MARK, type InlineLanguage } from "./inline-action.js";

/** How each language names the home folder in an expression: its environment's HOME, the runtime's own call, `~` expanded. */
const HOME_EXPRESSIONS: Readonly<Record<InlineLanguage, RegExp>> = {
  node: /(?:process\.env|Bun\.env)(?:\.HOME(?![\w$])|\[\s*(["'`])HOME\1\s*\])|Deno\.env\.get\(\s*(["'`])HOME\2\s*\)|(?:(?<![\w$.])os|require\(\s*(["'`])(?:node:)?os\3\s*\))\.homedir\(\s*\)/y,
  python: /os\.path\.expanduser\(\s*(["'])~(\/[^"'\\{}]*)?\1\s*\)|(?:(?<![\w.])pathlib\.|(?<![\w.]))Path\.home\(\s*\)|os\.environ\[\s*(["'])HOME\3\s*\]|os\.(?:environ\.get|getenv)\(\s*(["'])HOME\4\s*\)/y,
  ruby: /Dir\.home(?:\(\s*\))?(?![\w(])|ENV\[\s*(["'])HOME\1\s*\]|ENV\.fetch\(\s*(["'])HOME\2\s*\)|File\.expand_path\(\s*(["'])~(\/[^"'\\#]*)?\3\s*\)/y,
  perl: /\$ENV\{\s*(?:HOME|(["'])HOME\1)\s*\}/y,
  php: /getenv\(\s*(["'])HOME\1\s*\)|\$_(?:SERVER|ENV)\[\s*(["'])HOME\2\s*\]/y,
  lua: /os\.getenv\s*(?:\(\s*(["'])HOME\1\s*\)|(["'])HOME\2)/y,
};

/** A name of the home folder at `i`: where it ends and the literal path it adds (`expanduser('~/.ssh')`), or undefined. */
function homeExpression(code: string, i: number, language: InlineLanguage): { end: number; suffix: string } | undefined {
  const re = HOME_EXPRESSIONS[language];
  re.lastIndex = i;
  const m = re.exec(code);
  if (!m) return undefined;
  const suffix = language === "python" ? m[2] : language === "ruby" ? m[4] : undefined;
  return { end: i + m[0].length, suffix: suffix ?? "" };
}

/** The calls that join path parts, the name of the call in the group `how`. */
const PATH_JOINS: Readonly<Partial<Record<InlineLanguage, RegExp>>> = {
  node: /(?:(?<![\w$.])path|require\(\s*(["'`])(?:node:)?path\1\s*\))\.(?<how>join|resolve)\(/y,
  python: /(?<![\w.])(?:os\.path\.(?<how>join)|(?:pathlib\.)?Path)\(/y,
  ruby: /(?<![\w.])File\.(?<how>join)\(/y,
};

/**
 * `path.join(os.homedir(), '.ssh')`, `os.path.join('/etc', 'x')`, `File.join(Dir.home, ".ssh")` at `i`,
 * every part a literal or a home expression; undefined otherwise. Python's join and `path.resolve` start
 * again at an absolute part; the others put a home after another part, which wren does not know.
 */
function readPathJoin(code: string, i: number, language: InlineLanguage): { value: string; end: number; exact: boolean } | undefined {
  const re = PATH_JOINS[language];
  if (!re) return undefined;
  re.lastIndex = i;
  const m = re.exec(code);
  if (!m) return undefined;
  const restarts = language === "python" || m.groups?.["how"] === "resolve";
  let value: string | undefined;
  let k = i + m[0].length;
  for (;;) {
    while (/\s/.test(code[k] ?? "")) k++;
    if (code[k] === ")" && value !== undefined) return { value, end: k + 1, exact: true };
    const part = readString(code, k, language);
    if (!part?.exact) return undefined;
    const absolute = part.value.startsWith("/") || part.value.startsWith(HOME_MARK);
    if (value === undefined || (restarts && absolute)) value = part.value;
    else if (part.value.startsWith(HOME_MARK)) return undefined;
    else if (part.value !== "") value = value === "" ? part.value : `${value.replace(/\/+$/, "")}/${part.value.replace(/^\/+/, "")}`;
    k = part.end;
    while (/\s/.test(code[k] ?? "")) k++;
    if (code[k] === ",") k++;
    else if (code[k] !== ")") return undefined;
  }
}

/**
 * A string at `i` (after spaces): a literal, a home expression or a path join, with literals joined on
 * (`os.homedir() + '/a' + '/b'`, `'rm -rf ' + '/'`, `Path.home() / '.ssh'`, `$ENV{HOME} . "/x"`, Lua's `..`): its
 * value and where it ends; undefined when it is none of these. Not exact when part of it is only known at run time.
 */
export function readString(code: string, i: number, language: InlineLanguage): { value: string; end: number; exact: boolean } | undefined {
  const first = readTerm(code, i, language);
  if (!first?.exact) return first;
  let { value, end } = first;
  const join = language === "perl" || language === "php" ? /^\s*\.(?!\.)/ : language === "python" ? /^\s*([+/])/ : language === "lua" ? /^\s*\.\.(?!\.)/ : /^\s*\+/;
  for (;;) {
    const op = join.exec(code.slice(end, end + 40));
    // Python's `/` joins onto a Path (the home's), and an absolute part starts again: `Path.home() / '/etc'` is /etc.
    if (!op || (op[1] === "/" && !value.startsWith(HOME_MARK))) break;
    const next = readTerm(code, end + op[0].length, language);
    if (!next || next.value.startsWith(HOME_MARK)) break;
    value = op[1] !== "/" ? value + next.value : next.value.startsWith("/") ? next.value : `${value}/${next.value}`;
    end = next.end;
    if (!next.exact) return { value, end, exact: false };
  }
  return { value, end, exact: !joined(code, end, language) };
}

/** One literal, home expression (`expanduser('~/.ssh')` with its path) or path join at `i` (after spaces), nothing joined on. */
export function readTerm(code: string, i: number, language: InlineLanguage): { value: string; end: number; exact: boolean } | undefined {
  let j = i;
  while (/\s/.test(code[j] ?? "")) j++;
  const home = homeExpression(code, j, language);
  if (home) return { value: HOME_MARK + home.suffix, end: home.end, exact: true };
  const joinedPath = readPathJoin(code, j, language);
  if (joinedPath) return joinedPath;
  let prefix = "";
  while (language === "python" && /[rRbBuUfF]/.test(code[j] ?? "") && prefix.length < 2) prefix += code[j++];
  if (language === "perl") {
    const quoted = perlQuote(code, j);
    if (quoted) return quoted;
  }
  if (language === "lua") {
    const long = luaLongString(code, j);
    if (long) return { ...long, exact: true };
  }
  const q = code[j];
  if (q !== '"' && q !== "'" && !(q === "`" && language === "node")) return undefined;
  const triple = language === "python" && code.startsWith(q.repeat(3), j);
  const close = triple ? q.repeat(3) : q;
  let k = j + close.length;
  let value = "";
  const fString = /[fF]/.test(prefix);
  let exact = true;
  const raw = /[rR]/.test(prefix) || (q === "'" && (language === "perl" || language === "ruby" || language === "php"));
  while (k < code.length && !code.startsWith(close, k)) {
    const c = code[k] ?? "";
    if (c === "\\" && !raw) {
      const d = code[k + 1] ?? "";
      value += ({ n: "\n", t: "\t", r: "\r", "0": "\0" } as Record<string, string>)[d] ?? d;
      k += 2;
      continue;
    }
    if (c === "\\" && raw && (code[k + 1] === q || code[k + 1] === "\\")) {
      value += code[k + 1];
      k += 2;
      continue;
    }
    // A string that starts with the home folder: `${os.homedir()}/x`, `"#{Dir.home}/x"`, `"$ENV{HOME}/x"`, f"{Path.home()}/x".
    const home = k === j + close.length ? homeInterpolation(code, k, language, q, fString) : undefined;
    if (home !== undefined) {
      value = HOME_MARK;
      k = home;
      continue;
    }
    // Interpolation makes the value partly unknown.
    if ((fString && (c === "{" || c === "}")) || (q === "`" && c === "$" && code[k + 1] === "{") || (q === '"' && (language === "perl" || language === "php") && c === "$" && /[A-Za-z_{]/.test(code[k + 1] ?? "")) || (q === '"' && language === "ruby" && c === "#" && code[k + 1] === "{")) {
      exact = false;
    }
    value += c;
    k++;
  }
  if (k >= code.length) return undefined;
  return { value, end: k + close.length, exact };
}

/** The end of an interpolated home expression that opens a string at `k`, or undefined. */
function homeInterpolation(code: string, k: number, language: InlineLanguage, q: string, fString: boolean): number | undefined {
  const open = language === "node" && q === "`" ? "${" : language === "ruby" && q === '"' ? "#{" : language === "python" && fString ? "{" : language === "perl" && q === '"' ? "" : undefined;
  if (open === undefined || !code.startsWith(open, k)) return undefined;
  let at = k + open.length;
  while (open && code[at] === " ") at++;
  const home = homeExpression(code, at, language);
  if (!home || home.suffix) return undefined;
  if (!open) return home.end;
  at = home.end;
  while (code[at] === " ") at++;
  return code[at] === "}" ? at + 1 : undefined;
}

/** A literal joined with something else (`"rm -rf " + path`, `q{rm -rf } . $dir`, Lua's `"rm -rf " .. dir`) or cut (`'/etc'[0]`) is only partly known. */
function joined(code: string, end: number, language: InlineLanguage): boolean {
  const after = code.slice(end).trimStart();
  if (language === "lua") return /^(?:\.\.|:)/.test(after);
  return /^(\+|%|\[|\.format|\.\s*\$|\.\s*[A-Za-z_])/.test(after) && !/^\.\s*(join|encode|decode|split|strip)\b/.test(after);
}

/** Lua's long string `[[…]]` (or `[==[…]==]`) at `i`: its text, read as written, without a first newline. */
function luaLongString(code: string, i: number): { value: string; end: number } | undefined {
  const open = /^\[(=*)\[/.exec(code.slice(i, i + 40));
  if (!open) return undefined;
  const close = `]${open[1] ?? ""}]`;
  const end = code.indexOf(close, i + open[0].length);
  if (end < 0) return undefined;
  return { value: code.slice(i + open[0].length, end).replace(/^\r?\n/, ""), end: end + close.length };
}

/** The closing bracket of each of Perl's opening quote delimiters; any other delimiter closes itself. */
export const PERL_PAIRS: Readonly<Record<string, string>> = { "{": "}", "(": ")", "[": "]", "<": ">" };

/** Perl's `q{…}` (as `'…'`) and `qq{…}` (as `"…"`), with any delimiter; brackets nest. */
function perlQuote(code: string, i: number): { value: string; end: number; exact: boolean } | undefined {
  const m = /^(qq?)\s*([^\w\s])/.exec(code.slice(i));
  if (!m || m[2] === "=" || m[2] === ",") return undefined;
  const open = m[2] ?? "";
  const close = PERL_PAIRS[open] ?? open;
  const interpolates = m[1] === "qq";
  let k = i + m[0].length;
  let depth = 0;
  let value = "";
  let exact = true;
  for (; k < code.length; k++) {
    const c = code[k] ?? "";
    if (c === "\\" && (interpolates || code[k + 1] === close || code[k + 1] === open || code[k + 1] === "\\")) {
      value += code[k + 1] ?? "";
      k++;
      continue;
    }
    if (c === close && depth === 0) break;
    if (open !== close && c === open) depth++;
    if (open !== close && c === close) depth--;
    if (interpolates && (c === "$" || c === "@") && /[A-Za-z_{]/.test(code[k + 1] ?? "")) exact = false;
    value += c;
  }
  if (k >= code.length) return undefined;
  return { value, end: k + 1, exact };
}

/**
 * Whether `index` lies inside a string literal (Perl's `q{…}`/`qq{…}` and Lua's `[[…]]` too), a Perl or Ruby `#`
 * comment or a Lua `--` comment (`--[[…]]` too), as far
 * as scanning for quotes from the start can tell: a name there is text, not a call.
 */
export function insideText(code: string, index: number, language: InlineLanguage): boolean {
  let k = 0;
  while (k < index) {
    const c = code[k] ?? "";
    let end: number | undefined;
    if (c === '"' || c === "'" || c === "`") {
      end = k + 1;
      while (end < code.length && code[end] !== c) end += code[end] === "\\" ? 2 : 1;
      end++;
    } else if (c === "#" && (language === "perl" || language === "ruby") && code[k - 1] !== "$") {
      end = code.indexOf("\n", k);
      if (end === -1) end = code.length;
    } else if (language === "perl" && c === "q" && !/[\w$@%&]/.test(code[k - 1] ?? "")) {
      end = perlQuote(code, k)?.end;
    } else if (language === "lua" && c === "[") {
      end = luaLongString(code, k)?.end;
    } else if (language === "lua" && code.startsWith("--", k)) {
      end = luaLongString(code, k + 2)?.end ?? (code.indexOf("\n", k) + 1 || code.length);
    }
    if (end === undefined) k++;
    else if (index < end) return true;
    else k = end;
  }
  return false;
}

/** The literal arguments at `i`: one string, several strings, or a list of strings. */
export function readArgs(code: string, i: number, language: InlineLanguage): { strings: string[]; list: boolean; exact: boolean; rest: string } | undefined {
  let j = i;
  while (/\s/.test(code[j] ?? "")) j++;
  let list = false;
  // Lua has no list literal: its `[[…]]` is a string.
  if (code[j] === "[" && language !== "lua") {
    list = true;
    j++;
  }
  const strings: string[] = [];
  let exact = true;
  for (;;) {
    const s = readString(code, j, language);
    if (!s) {
      if (strings.length === 0) return undefined;
      exact = false;
      break;
    }
    strings.push(s.value);
    exact &&= s.exact;
    j = s.end;
    while (/\s/.test(code[j] ?? "")) j++;
    if (code[j] !== ",") break;
    j++;
    while (/\s/.test(code[j] ?? "")) j++;
    // spawn("dd", ["if=…", "of=…"]): the program, then its arguments as a list.
    if (!list && code[j] === "[") {
      const more = readArgs(code, j, language);
      if (more?.list) {
        strings.push(...more.strings);
        exact &&= more.exact;
        return { strings, list: true, exact, rest: more.rest };
      }
    }
    // Perl's arguments are all words of the command (`system("rm", "-rf", $dir)`); elsewhere what follows the
    // strings may be options (`execSync("ls", {stdio: "inherit"})`).
    if (!list && language !== "perl" && !/["'`]/.test(code[j] ?? "")) break;
  }
  if (list) {
    while (/\s/.test(code[j] ?? "")) j++;
    if (code[j] !== "]") exact = false;
  }
  return { strings, list, exact, rest: code.slice(j, j + 200) };
}

/** Where the call whose `(` ends just before `i` ends (after its `)`), or undefined. */
export function callEnd(code: string, i: number): number | undefined {
  let k = callArguments(code, i).at(-1)?.end ?? i;
  while (/\s/.test(code[k] ?? "")) k++;
  return code[k] === ")" ? k + 1 : undefined;
}

/**
 * The arguments of a call whose `(` ends just before `i`: where each starts (after its `keyword=`) and ends
 * (before spaces and the `,` or `)` after it). Brackets nest and quoted strings are skipped. A `bare` call
 * (Ruby's and Perl's `File.open "x", "w" do`) has no `(`: its arguments end with the statement, a block or a keyword.
 */
export function callArguments(code: string, i: number, bare = false): Array<{ keyword?: string; start: number; end: number }> {
  const out: Array<{ keyword?: string; start: number; end: number }> = [];
  let k = i;
  while (k < code.length) {
    while (/\s/.test(code[k] ?? "")) k++;
    if (code[k] === ")") break;
    const keyword = /^([A-Za-z_]\w*)\s*=(?!=)\s*/.exec(code.slice(k, k + 60));
    const start = keyword ? k + keyword[0].length : k;
    let depth = 0;
    for (k = start; k < code.length; k++) {
      const c = code[k] ?? "";
      if (c === '"' || c === "'") {
        for (k++; k < code.length && code[k] !== c; k++) if (code[k] === "\\") k++;
      } else if ("([{".includes(c)) depth++;
      else if (depth > 0 && ")]}".includes(c)) depth--;
      else if (depth === 0 && (c === "," || c === ")")) break;
      else if (bare && depth === 0 && (";\n#".includes(c) || /^\s+(?:do|if|unless|while|until|rescue|and|or|then)\b/.test(code.slice(k, k + 12)))) break;
    }
    let end = k;
    while (end > start && /\s/.test(code[end - 1] ?? "")) end--;
    out.push(keyword ? { keyword: keyword[1] ?? "", start, end } : { start, end });
    if (code[k] !== ",") break;
    k++;
  }
  return out;
}
