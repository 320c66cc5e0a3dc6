/**
 * Reads code given inline to another interpreter (`python -c`, `perl -e`, `ruby -e`, `node -e`,
 * `php -r`, or a here-document on its standard input) far enough to find what matters for safety:
 * starting processes, deleting file trees, changing permissions recursively and writing files. The
 * arguments of those calls are taken when they are string literals; anything else is reported as
 * unknown, never as harmless. The language's own names for the home folder (`os.homedir()`,
 * `process.env.HOME`, `Dir.home`, `os.path.expanduser('~')`, `$ENV{HOME}`, …), alone or with a
 * literal joined on, are read as a path that starts at the home (see {@link HOME_MARK}).
 */

/** Starts a path (or argument) that starts at the user's home folder: what follows it is joined on as written. */
export const HOME_MARK = "\u0001";

export type InlineLanguage = "python" | "perl" | "ruby" | "node" | "php";

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
  /** Starts processes in a loop that never ends by itself (`perl -e 'fork while 1'`): a fork bomb. */
  | { kind: "fork-loop" };

const LANGUAGES: Readonly<Record<string, InlineLanguage>> = {
  python: "python", python2: "python", python3: "python", pypy: "python", pypy3: "python",
  perl: "perl", ruby: "ruby", node: "node", nodejs: "node", deno: "node", bun: "node", php: "php",
};

/** The language an interpreter speaks (`python3.12` is python), or undefined. */
export function inlineLanguage(name: string): InlineLanguage | undefined {
  return LANGUAGES[name] ?? (/^python[23](\.\d+)?$/.test(name) ? "python" : undefined);
}

/** The options that take inline code, per language. */
export const CODE_OPTIONS: Readonly<Record<InlineLanguage, readonly string[]>> = {
  python: ["-c"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  node: ["-e", "--eval", "-p", "--print"],
  php: ["-r"],
};

type Kind = "shell" | "argv" | "shell-or-argv" | "remove-tree" | "remove-file" | "rm-options" | "chmod-tree" | "write" | "copy" | "copy-tree" | "move" | "eval";

/** Call names (as a regular expression source, matched where no word character or dot precedes). */
const CALLS: Readonly<Record<InlineLanguage, ReadonlyArray<[string, Kind]>>> = {
  python: [
    // `__import__("os").system(…)` reaches the same function through an expression.
    ["os\\.system|os\\.popen|\\)\\.system|\\)\\.popen|subprocess\\.getoutput|subprocess\\.getstatusoutput|commands\\.getoutput", "shell"],
    ["subprocess\\.(?:run|call|check_call|check_output|Popen)", "shell-or-argv"],
    ["os\\.exec[lv]p?e?|os\\.spawn[lv]p?e?|pty\\.spawn", "argv"],
    ["shutil\\.rmtree", "remove-tree"],
    ["os\\.remove|os\\.unlink|os\\.rmdir|os\\.removedirs", "remove-file"],
    ["shutil\\.copytree", "copy-tree"],
    ["shutil\\.(?:copyfile|copy2|copy)", "copy"],
    ["shutil\\.move|os\\.renames|os\\.rename|os\\.replace", "move"],
    ["exec|eval|compile", "eval"],
  ],
  perl: [
    ["system|exec", "shell-or-argv"],
    ["rmtree|remove_tree|File::Path::rmtree", "remove-tree"],
    ["unlink|rmdir", "remove-file"],
    ["eval", "eval"],
  ],
  ruby: [
    ["system|exec|spawn|Process\\.spawn|IO\\.popen|Open3\\.(?:capture2e?|capture3|popen2e?|popen3)|Kernel\\.system", "shell-or-argv"],
    ["FileUtils\\.(?:rm_rf|rm_r|remove_dir|remove_entry|remove_entry_secure|rmtree)", "remove-tree"],
    ["FileUtils\\.(?:rm|rm_f|remove|rmdir)|File\\.(?:delete|unlink)|Dir\\.(?:rmdir|delete|unlink)", "remove-file"],
    ["FileUtils\\.chmod_R", "chmod-tree"],
    ["File\\.(?:write|binwrite)|IO\\.(?:write|binwrite)", "write"],
    ["FileUtils\\.(?:cp_r|copy_entry)", "copy-tree"],
    ["FileUtils\\.(?:cp|copy_file|copy|install)", "copy"],
    ["FileUtils\\.(?:mv|move)|File\\.rename", "move"],
    ["eval|instance_eval", "eval"],
  ],
  node: [
    ["execSync|exec", "shell"],
    ["execFileSync|execFile|spawnSync|spawn|Bun\\.spawnSync|Bun\\.spawn|Deno\\.run|new Deno\\.Command", "argv"],
    ["(?:fs\\.)?(?:promises\\.)?(?:rmSync|rm|rmdirSync|rmdir)|Deno\\.remove(?:Sync)?", "rm-options"],
    ["(?:fs\\.)?(?:unlinkSync|unlink)", "remove-file"],
    ["(?:fs\\.)?(?:writeFileSync|writeFile|appendFileSync|appendFile)", "write"],
    ["eval|Function|new Function", "eval"],
  ],
  php: [
    ["system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec", "shell"],
    ["unlink|rmdir", "remove-file"],
    ["file_put_contents", "write"],
    ["eval|assert", "eval"],
  ],
};

/** How a home expression (or a join that starts one) begins, for a call without parentheses. */
const BARE_HOME = {
  perl: "\\$ENV\\{\\s*[\"']?HOME\\b",
  ruby: "Dir\\.home\\b|ENV(?:\\[|\\.fetch\\()\\s*[\"']HOME\\b|File\\.(?:join|expand_path)\\(",
};

const COMPILED = new Map<InlineLanguage, RegExp>();
function callPattern(language: InlineLanguage): RegExp {
  let re = COMPILED.get(language);
  if (!re) {
    const alternatives = CALLS[language].map(([src]) => `(${src})`).join("|");
    // Perl and Ruby call without parentheses (`system "ls"`, `FileUtils.rm_rf Dir.home`), the others need them.
    const open = language === "perl" ? `(?:\\s*\\(|\\s+(?=["'\\[]|qq?\\s*[^\\w\\s=,]|${BARE_HOME.perl}))` : language === "ruby" ? `(?:\\s*\\(|\\s+(?=["'\\[]|${BARE_HOME.ruby}))` : "\\s*\\(";
    // Python names carry their module (`os.system`), so a dot before one is another name (`x.exec`);
    // in the other languages methods are called on objects (`require("child_process").execSync`).
    const before = language === "python" ? "(?<![\\w.$])" : "(?<![\\w$])";
    re = new RegExp(`${before}(?:${alternatives})${open}`, "g");
    COMPILED.set(language, re);
  }
  return re;
}

/** How each language names the home folder in an expression: its environment's HOME, the runtime's own call, `~` expanded. */
const HOME_EXPRESSIONS: Readonly<Record<InlineLanguage, RegExp>> = {
  node: /(?:process\.env|Bun\.env)(?:\.HOME(?![\w$])|\[\s*(["'`])HOME\1\s*\])|Deno\.env\.get\(\s*(["'`])HOME\2\s*\)|(?:(?<![\w$.])os|require\(\s*(["'`])(?:node:)?os\3\s*\))\.homedir\(\s*\)/y,
  python: /os\.path\.expanduser\(\s*(["'])~(\/[^"'\\{}]*)?\1\s*\)|(?:(?<![\w.])pathlib\.|(?<![\w.]))Path\.home\(\s*\)|os\.environ\[\s*(["'])HOME\3\s*\]|os\.(?:environ\.get|getenv)\(\s*(["'])HOME\4\s*\)/y,
  ruby: /Dir\.home(?:\(\s*\))?(?![\w(])|ENV\[\s*(["'])HOME\1\s*\]|ENV\.fetch\(\s*(["'])HOME\2\s*\)|File\.expand_path\(\s*(["'])~(\/[^"'\\#]*)?\3\s*\)/y,
  perl: /\$ENV\{\s*(?:HOME|(["'])HOME\1)\s*\}/y,
  php: /getenv\(\s*(["'])HOME\1\s*\)|\$_(?:SERVER|ENV)\[\s*(["'])HOME\2\s*\]/y,
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
 * (`os.homedir() + '/a' + '/b'`, `'rm -rf ' + '/'`, `Path.home() / '.ssh'`, `$ENV{HOME} . "/x"`): its
 * value and where it ends; undefined when it is none of these. Not exact when part of it is only known at run time.
 */
function readString(code: string, i: number, language: InlineLanguage): { value: string; end: number; exact: boolean } | undefined {
  const first = readTerm(code, i, language);
  if (!first?.exact) return first;
  let { value, end } = first;
  const join = language === "perl" || language === "php" ? /^\s*\.(?!\.)/ : language === "python" ? /^\s*([+/])/ : /^\s*\+/;
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
  return { value, end, exact: !joined(code, end) };
}

/** One literal, home expression (`expanduser('~/.ssh')` with its path) or path join at `i` (after spaces), nothing joined on. */
function readTerm(code: string, i: number, language: InlineLanguage): { value: string; end: number; exact: boolean } | undefined {
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

/** A literal joined with something else (`"rm -rf " + path`, `q{rm -rf } . $dir`) or cut (`'/etc'[0]`) is only partly known. */
function joined(code: string, end: number): boolean {
  const after = code.slice(end).trimStart();
  return /^(\+|%|\[|\.format|\.\s*\$|\.\s*[A-Za-z_])/.test(after) && !/^\.\s*(join|encode|decode|split|strip)\b/.test(after);
}

const PERL_PAIRS: Readonly<Record<string, string>> = { "{": "}", "(": ")", "[": "]", "<": ">" };

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

/** The literal arguments at `i`: one string, several strings, or a list of strings. */
function readArgs(code: string, i: number, language: InlineLanguage): { strings: string[]; list: boolean; exact: boolean; rest: string } | undefined {
  let j = i;
  while (/\s/.test(code[j] ?? "")) j++;
  let list = false;
  if (code[j] === "[") {
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
    if (!list && !/["'`]/.test(code[j] ?? "")) break;
  }
  if (list) {
    while (/\s/.test(code[j] ?? "")) j++;
    if (code[j] !== "]") exact = false;
  }
  return { strings, list, exact, rest: code.slice(j, j + 200) };
}

const MAX_NESTING = 4;

/** Every safety-relevant call in the code, in order. */
export function inlineActions(language: InlineLanguage, code: string, depth = 0): InlineAction[] {
  const out: InlineAction[] = [];
  // matchAll works on a copy of the cached pattern, so reading nested code cannot disturb this loop.
  for (const m of code.matchAll(callPattern(language))) {
    const index = m.slice(1).findIndex((g) => g !== undefined);
    const kind = CALLS[language][index]?.[1];
    if (!kind) continue;
    const args = readArgs(code, m.index + m[0].length, language);
    const known = args?.exact === true;
    const first = known ? args.strings[0] : undefined;
    // The home folder as a command line or as code is text only known at run time.
    const text = first?.includes(HOME_MARK) ? undefined : first;
    switch (kind) {
      case "shell":
        out.push(known && args.list ? { kind: "argv", argv: args.strings } : text !== undefined ? { kind: "shell", command: text } : { kind: "shell" });
        break;
      case "shell-or-argv":
        if (!known) out.push({ kind: "shell" });
        else if (args.list || args.strings.length > 1) out.push({ kind: "argv", argv: args.strings });
        else out.push(text !== undefined ? { kind: "shell", command: text } : { kind: "shell" });
        break;
      case "argv":
        out.push(known ? (args.strings.length === 1 && !args.list && /\s/.test(args.strings[0] ?? "") ? (text !== undefined ? { kind: "shell", command: text } : { kind: "shell" }) : { kind: "argv", argv: args.strings }) : { kind: "shell" });
        break;
      case "remove-tree":
        out.push(first !== undefined ? { kind: "remove-tree", path: first } : { kind: "remove-tree" });
        break;
      case "rm-options": {
        const recursive = /recursive\s*:\s*true/.test(args?.rest ?? code.slice(m.index, m.index + 200));
        const path = first !== undefined ? { path: first } : {};
        out.push({ kind: recursive ? "remove-tree" : "remove-file", ...path });
        break;
      }
      case "remove-file":
        out.push(first !== undefined ? { kind: "remove-file", path: first } : { kind: "remove-file" });
        break;
      case "chmod-tree": {
        // FileUtils.chmod_R(0777, "/"): the mode is a number, the path a string.
        const call = /^\s*(0o?[0-7]+|\d+|["'][^"']*["'])\s*,/.exec(code.slice(m.index + m[0].length));
        const path = call ? readString(code, m.index + m[0].length + call[0].length, language) : undefined;
        const mode = call?.[1]?.replace(/^["']|["']$/g, "").replace(/^0o/, "0");
        out.push(path?.exact && mode !== undefined ? { kind: "chmod-tree", mode, path: path.value } : { kind: "chmod-tree" });
        break;
      }
      case "write":
        out.push(first !== undefined ? { kind: "write", path: first } : { kind: "write" });
        break;
      case "copy":
      case "copy-tree":
      case "move":
        out.push(...copyOrMove(kind, code, m.index + m[0].length, language, !m[0].trimEnd().endsWith("(")));
        break;
      case "eval":
        if (text !== undefined && depth < MAX_NESTING) out.push(...inlineActions(language, text, depth + 1));
        else if (!decodedPayload(code, language, depth, out)) out.push({ kind: "dynamic-code" });
        break;
    }
  }
  if (FORK[language].test(code) && ENDLESS_LOOP.test(code)) out.push({ kind: "fork-loop" });
  if (language === "python") pythonExtras(code, out);
  if (language === "ruby") rubyOpens(code, out);
  if (language === "perl" || language === "ruby" || language === "php") backticks(code, language, out);
  return out;
}

/**
 * `shutil.copy(src, dst)`, `shutil.move`, `os.rename`, `FileUtils.cp`, `FileUtils.mv`, … with both paths read
 * whole are `cp` and `mv` of them (`cp -r` for a tree); with only the target read, a write of it; with
 * neither, a write of a file named at run time (a move from a path read whole also takes that path away).
 */
function copyOrMove(kind: "copy" | "copy-tree" | "move", code: string, i: number, language: InlineLanguage, bare: boolean): InlineAction[] {
  const args = callArguments(code, i, bare);
  const positional = args.filter((a) => a.keyword === undefined);
  const path = (arg: { start: number; end: number } | undefined): string | undefined => {
    const s = arg && readString(code, arg.start, language);
    return s?.exact && s.end === arg?.end ? s.value : undefined;
  };
  const from = path(args.find((a) => a.keyword === "src") ?? positional[0]);
  const to = path(args.find((a) => a.keyword === "dst") ?? positional[1]);
  if (to === undefined) return kind === "move" && from !== undefined ? [{ kind: "remove-file", path: from }, { kind: "write" }] : [{ kind: "write" }];
  if (from === undefined) return [{ kind: "write", path: to }];
  return [{ kind: "argv", argv: kind === "move" ? ["mv", "--", from, to] : kind === "copy" ? ["cp", "--", from, to] : ["cp", "-r", "--", from, to] }];
}

/** A call that copies the running process. */
const FORK: Readonly<Record<InlineLanguage, RegExp>> = {
  python: /(?<![\w$])(?:os\.)?fork\s*\(/,
  perl: /(?<![\w$])fork\b/,
  ruby: /(?<![\w$])(?:Process\.)?fork\b/,
  node: /(?<![\w$])(?:child_process\.|\.)fork\s*\(/,
  php: /(?<![\w$])pcntl_fork\s*\(/,
};

/** A loop with no end of its own: `while 1`, `while True:`, `while fork`, `until 0`, `for (;;)`, Ruby's `loop`. */
const ENDLESS_LOOP = /\b(?:while\s*\(?\s*(?:1|true|True|fork)\b|until\s*\(?\s*(?:0|false|False)\b|for\s*\(\s*;\s*;\s*\)|loop\s*(?:\{|do\b))/;

/** `exec(base64.b64decode("…"))`: decode and read the hidden code. Returns whether it found one. */
function decodedPayload(code: string, language: InlineLanguage, depth: number, out: InlineAction[]): boolean {
  const m = /(?:b64decode|decode64|base64_decode|atob|Buffer\.from)\s*\(\s*["']([A-Za-z0-9+/=\s]+)["']/.exec(code);
  if (!m || depth >= MAX_NESTING) return false;
  const hidden = Buffer.from(m[1] ?? "", "base64").toString("utf8");
  const found = inlineActions(language, hidden, depth + 1);
  out.push(...(found.length > 0 ? found : [{ kind: "dynamic-code" } as const]));
  return true;
}

/** A write of the path in `code` from `start` to `end`: that path when it is read whole, else a file named at run time. */
function writeOf(code: string, start: number | undefined, end: number | undefined, language: InlineLanguage): InlineAction {
  const path = start === undefined ? undefined : readString(code, start, language);
  return path?.exact && path.end === end ? { kind: "write", path: path.value } : { kind: "write" };
}

/**
 * Whether the mode (or flags) argument may write: a literal, read whole, that writes (`'w'`, `'a'`, `'r+'`,
 * Python's `'x'`), flag constants that open for writing (`os.O_WRONLY|os.O_CREAT`, `File::RDWR`), or a mode
 * only known at run time (`sys.argv[2]`, `m`), which is rated as the write it may be. No mode only reads.
 */
function writingMode(code: string, arg: { start: number; end: number } | undefined, language: InlineLanguage): boolean {
  if (!arg || arg.end <= arg.start) return false;
  const mode = readString(code, arg.start, language);
  if (mode?.exact && mode.end === arg.end) return (language === "python" ? /[wax+]/ : /[wa+]/).test(mode.value);
  return openFlags(code.slice(arg.start, arg.end)) ?? true;
}

/** Whether flags made of constants (`os.O_WRONLY | os.O_CREAT`, `File::RDONLY`, `0`) open for writing; undefined for anything else. */
function openFlags(text: string): boolean | undefined {
  let writes = false;
  for (const part of text.replace(/^\((.*)\)$/s, "$1").split("|")) {
    const name = /^\s*(?:os\.O_|O_|(?:File|IO|File::Constants)::)([A-Z]+)\s*$/.exec(part)?.[1] ?? (/^\s*0\s*$/.test(part) ? "RDONLY" : undefined);
    if (name === undefined) return undefined;
    writes ||= /^(?:WRONLY|RDWR|APPEND|TRUNC|CREAT)$/.test(name);
  }
  return writes;
}

/** Where the call whose `(` ends just before `i` ends (after its `)`), or undefined. */
function callEnd(code: string, i: number): number | undefined {
  let k = callArguments(code, i).at(-1)?.end ?? i;
  while (/\s/.test(code[k] ?? "")) k++;
  return code[k] === ")" ? k + 1 : undefined;
}

/**
 * Python: `open(path, mode)` (and `io.open`, `codecs.open`, `gzip.open`, …) writes when the mode (second argument
 * or `mode=`) may write (see {@link writingMode}), and `os.open(path, flags)` when its flags may; a path that is
 * not read whole (`sys.argv[1]`, `p`, `'/tmp/' + name`) is a file named at run time. A `Path(…)` (or
 * `(Path… / …)`, or a name given one earlier, `p = Path(…)`) followed by `.write_text(`, `.write_bytes(` or
 * `.open(mode)` writes that path. `os.walk(top)` with `chmod` changes permissions of a whole tree.
 */
function pythonExtras(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<![\w.])(?:(?:io|codecs|gzip|bz2|lzma)\.)?open\s*\(/g)) {
    const args = callArguments(code, m.index + m[0].length);
    const positional = args.filter((a) => a.keyword === undefined);
    const pathArg = args.find((a) => a.keyword === "file" || a.keyword === "filename") ?? positional[0];
    if (!writingMode(code, args.find((a) => a.keyword === "mode") ?? positional[1], "python")) continue;
    out.push(writeOf(code, pathArg?.start, pathArg?.end, "python"));
  }
  for (const m of code.matchAll(/(?<![\w.])os\.open\s*\(/g)) {
    const args = callArguments(code, m.index + m[0].length);
    const positional = args.filter((a) => a.keyword === undefined);
    const pathArg = args.find((a) => a.keyword === "path") ?? positional[0];
    if (!writingMode(code, args.find((a) => a.keyword === "flags") ?? positional[1], "python")) continue;
    out.push(writeOf(code, pathArg?.start, pathArg?.end, "python"));
  }
  // The receiver is the call `Path(…)` itself, or the one argument of parentheses around a Path expression.
  for (const m of code.matchAll(/(?<![\w.])(?:pathlib\.)?Path\s*\(|\((?=\s*(?:pathlib\.)?Path\b)/g)) {
    const inner = m.index + m[0].length;
    const call = m[0] !== "(";
    const arg = call ? undefined : callArguments(code, inner)[0];
    const end = callEnd(code, inner);
    if (end === undefined || !pathMethodWrites(code, end)) continue;
    // The call alone (readString would see the method after it as a cut of the string).
    const path = call ? readTerm(code, m.index, "python") : undefined;
    out.push(!call ? writeOf(code, arg?.start, arg?.end, "python") : path?.exact && path.end === end ? { kind: "write", path: path.value } : { kind: "write" });
  }
  pathNames(code, out);
  const walk = /os\.walk\s*\(\s*(["'])([^"']*)\1/.exec(code);
  if (walk && /\bchmod\s*\(|\bchown\s*\(/.test(code)) out.push({ kind: "chmod-tree", path: walk[2] ?? "" });
}

/** Whether the method called at `at` on a path (`.write_text(`, `.write_bytes(`, `.open(mode)`) writes it. */
function pathMethodWrites(code: string, at: number): boolean {
  const method = /^\s*\.\s*(write_text|write_bytes|open)\s*\(/.exec(code.slice(at, at + 40));
  if (!method) return false;
  if (method[1] !== "open") return true;
  const args = callArguments(code, at + method[0].length);
  return writingMode(code, args.find((a) => a.keyword === "mode") ?? args.find((a) => a.keyword === undefined), "python");
}

/**
 * A name given a path in a statement of its own (`p = Path('/etc/hosts')`, `p = Path.home() / '.bashrc'`), then
 * written through (`p.write_text(…)`) before anything gives the name another value: a write of that path, or
 * of a file named at run time when the path is not read whole (`p = Path(sys.argv[1])`).
 */
function pathNames(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<=(?:^|[;\n])[ \t]*)([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*(?=\(?\s*(?:pathlib\.)?Path\b)/g)) {
    const name = m[1] ?? "";
    const value = readString(code, m.index + m[0].length, "python");
    const alone = value !== undefined && /^[ \t]*(?:[;\n#]|$)/.test(code.slice(value.end));
    const path = alone && value.exact ? value.value : undefined;
    const from = value?.end ?? m.index + m[0].length;
    // Any later binding of the name (`p = …`, `p += …`, `for p in`, `as p`, `del p`) ends what is known of it.
    const rebound = new RegExp(`(?<![\\w.])${name}\\s*(?:[-+*/%&|^@:]|//|\\*\\*|<<|>>)?=(?!=)|\\b(?:for|as|del|global|nonlocal|def|class|import)\\b[^;\\n]*?(?<![\\w.])${name}\\b`).exec(code.slice(from));
    const until = rebound ? from + rebound.index : code.length;
    for (const use of code.slice(from, until).matchAll(new RegExp(`(?<![\\w.])${name}(?=\\s*\\.)`, "g"))) {
      if (pathMethodWrites(code, from + use.index + use[0].length)) out.push(path !== undefined ? { kind: "write", path } : { kind: "write" });
    }
  }
}

/**
 * The arguments of a call whose `(` ends just before `i`: where each starts (after its `keyword=`) and ends
 * (before spaces and the `,` or `)` after it). Brackets nest and quoted strings are skipped. A `bare` call
 * (Ruby's and Perl's `File.open "x", "w" do`) has no `(`: its arguments end with the statement, a block or a keyword.
 */
function callArguments(code: string, i: number, bare = false): Array<{ keyword?: string; start: number; end: number }> {
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

/**
 * Ruby: `File.open(path, mode)` (or `File.new`, with or without parentheses) writes when the mode (second
 * argument or `mode:`) may write (see {@link writingMode}: `"w"`, `File::WRONLY|File::CREAT`, a mode only known
 * at run time). Other keyword arguments (`encoding:`) and a block argument (`&:read`) are not the mode.
 */
function rubyOpens(code: string, out: InlineAction[]): void {
  for (const m of code.matchAll(/(?<![\w$])File\.(?:open|new)(?:\s*\(|[ \t]+(?!(?:do|if|unless|and|or|then|rescue)\b)(?=["'A-Za-z_$@]))/g)) {
    const args = callArguments(code, m.index + m[0].length, !m[0].endsWith("("));
    const named = args.find((a) => /^mode:\s*/.test(code.slice(a.start, a.end)));
    const positional = args.filter((a) => !/^(?:[A-Za-z_]\w*:(?!:)|&|\*)/.test(code.slice(a.start, a.end)));
    const modeArg = named ? { start: named.start + (/^mode:\s*/.exec(code.slice(named.start))?.[0].length ?? 0), end: named.end } : positional[1];
    if (!writingMode(code, modeArg, "ruby")) continue;
    out.push(writeOf(code, positional[0]?.start, positional[0]?.end, "ruby"));
  }
}

/** Perl, Ruby and PHP run `` `…` `` and `qx{…}`/`%x{…}` in a shell. */
function backticks(code: string, language: InlineLanguage, out: InlineAction[]): void {
  const quoted = language === "ruby" ? /`([^`]*)`|%x\{([^}]*)\}|%x\(([^)]*)\)/g : language === "perl" ? /`([^`]*)`|qx\{([^}]*)\}|qx\(([^)]*)\)|qx\/([^/]*)\//g : /`([^`]*)`/g;
  for (const m of code.matchAll(quoted)) {
    const body = m.slice(1).find((g) => g !== undefined) ?? "";
    const interpolated = language === "ruby" ? body.includes("#{") : /\$[A-Za-z_{]/.test(body);
    out.push(interpolated ? { kind: "shell" } : { kind: "shell", command: body });
  }
}
