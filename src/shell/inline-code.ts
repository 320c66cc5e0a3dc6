/**
 * Reads code given inline to another interpreter (`python -c`, `perl -e`, `ruby -e`, `node -e`,
 * `php -r`, `lua -e`, or a here-document on its standard input) far enough to find what matters for safety:
 * starting processes, deleting file trees, changing permissions recursively and writing files. The
 * arguments of those calls are taken when they are string literals; anything else is reported as
 * unknown, never as harmless. The language's own names for the home folder (`os.homedir()`,
 * `process.env.HOME`, `Dir.home`, `os.path.expanduser('~')`, `$ENV{HOME}`, …), alone or with a
 * literal joined on, are read as a path that starts at the home (see {@link HOME_MARK}).
 */

import { HOME_MARK, type InlineAction, type InlineLanguage } from "./inline-action.js";
import { insideText, PERL_PAIRS, readArgs, readString } from "./inline-strings.js";
import { reverseShell } from "./inline-reverse-shell.js";
import { copyOrMove, luaOpens, pipeOpens, pythonExtras, rubyOpens } from "./inline-writes.js";

export { HOME_MARK, type InlineAction, type InlineLanguage } from "./inline-action.js";

const LANGUAGES: Readonly<Record<string, InlineLanguage>> = {
  python: "python", python2: "python", python3: "python", pypy: "python", pypy3: "python",
  perl: "perl", ruby: "ruby", node: "node", nodejs: "node", deno: "node", bun: "node", php: "php",
};

/** The language an interpreter speaks (`python3.12` is python, `lua5.4` and `luajit` are lua), or undefined. */
export function inlineLanguage(name: string): InlineLanguage | undefined {
  return LANGUAGES[name] ?? (/^python[23](\.\d+)?$/.test(name) ? "python" : /^lua(?:jit)?(?:5\.?[1-4])?$/.test(name) ? "lua" : undefined);
}

/** The options that take inline code, per language. */
export const CODE_OPTIONS: Readonly<Record<InlineLanguage, readonly string[]>> = {
  python: ["-c"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  node: ["-e", "--eval", "-p", "--print"],
  php: ["-r"],
  lua: ["-e"],
};

type Kind = "shell" | "argv" | "shell-or-argv" | "remove-tree" | "remove-file" | "rm-options" | "chmod-tree" | "write" | "copy" | "copy-tree" | "cp-options" | "move" | "eval";

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
    // Also reached through `fs.promises`, `require('fs/promises')` and Deno (`Deno.copyFileSync`, `Deno.rename`).
    ["(?:fs\\.)?(?:promises\\.)?(?:copyFileSync|copyFile)", "copy"],
    ["(?:fs\\.)?(?:promises\\.)?(?:cpSync|cp)", "cp-options"],
    ["(?:fs\\.)?(?:promises\\.)?(?:renameSync|rename)", "move"],
    ["eval|Function|new Function", "eval"],
  ],
  php: [
    ["system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec", "shell"],
    ["unlink|rmdir", "remove-file"],
    ["file_put_contents", "write"],
    ["eval|assert", "eval"],
  ],
  lua: [
    ["os\\.execute|io\\.popen", "shell"],
    ["os\\.remove", "remove-file"],
    ["os\\.rename", "move"],
    ["load|loadstring|dostring", "eval"],
  ],
};

/** How a home expression (or a join that starts one) begins, for a call without parentheses. */
const BARE_HOME = {
  perl: "\\$ENV\\{\\s*[\"']?HOME\\b",
  ruby: "Dir\\.home\\b|ENV(?:\\[|\\.fetch\\()\\s*[\"']HOME\\b|File\\.(?:join|expand_path)\\(",
};

/** Words that may follow a call's name without being its argument (`system if x`, `exec or die`). */
const BARE_KEYWORDS = {
  perl: "(?:if|unless|and|or|not|xor|while|until|for|foreach|x|eq|ne|lt|gt|le|ge|cmp)\\b",
  ruby: "(?:do|if|unless|and|or|not|then|else|elsif|end|rescue|ensure|while|until|in)\\b",
};

const COMPILED = new Map<InlineLanguage, RegExp>();
function callPattern(language: InlineLanguage): RegExp {
  let re = COMPILED.get(language);
  if (!re) {
    const alternatives = CALLS[language].map(([src]) => `(${src})`).join("|");
    // Perl and Ruby call without parentheses (`system "ls"`, `FileUtils.rm_rf Dir.home`), the others need them.
    // An argument only known at run time (`system $x`, `exec { $prog } @args`, `exec cmd`, `system *ARGV`) opens
    // one too, marked by the empty group `dynamic`, unless a keyword follows the name (`system if x`) or, in
    // Ruby, the line ends there. Perl needs no space before a quote or a variable (`system"ls"`, `system$_`,
    // `exec@ARGV`, `exec{$prog}`); Lua calls with one string literal and no parentheses (`os.execute"ls"`, `os.execute [[ls]]`).
    const open =
      language === "perl"
        ? `(?:\\s*\\(|\\s*(?=["']|${BARE_HOME.perl})|\\s+(?=\\[|qq?\\s*[^\\w\\s=,])|(?<dynamic>)(?:\\s*(?=[$@][\\w{]|(?<=(?:system|exec)\\s*)\\{)|\\s+(?=[$@]|(?!${BARE_KEYWORDS.perl})[A-Za-z_])))`
        : language === "ruby"
          ? `(?:\\s*\\(|\\s+(?=["'\\[]|${BARE_HOME.ruby})|[ \\t]+(?<dynamic>)(?=[$@]|\\*[A-Za-z_$@]|(?!${BARE_KEYWORDS.ruby})[A-Za-z_]))`
          : language === "lua"
            ? `(?:\\s*\\(|\\s*(?=["']|\\[=*\\[))`
            : "\\s*\\(";
    // Python's and Lua's names carry their module (`os.system`, `os.execute`), so a dot (or Lua's `:`) before one
    // is another name (`x.exec`); in the other languages methods are called on objects (`require("child_process").execSync`).
    const before = language === "python" ? "(?<![\\w.$])" : language === "lua" ? "(?<![\\w.:])" : "(?<![\\w$])";
    re = new RegExp(`${before}(?:${alternatives})${open}`, "g");
    COMPILED.set(language, re);
  }
  return re;
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
    // A name followed by no literal is no call inside a string or comment, as a method of another object
    // (`conn.exec sql`) or in a definition (`def exec cmd`). Nor is a name with its argument right after it
    // (`"no system"`, Perl's `system"ls"`) or any Lua name, inside a string or comment.
    const dynamic = m.groups?.["dynamic"] !== undefined;
    const tight = m[0].length === (m[index + 1]?.length ?? 0);
    if ((dynamic || tight || language === "lua") && insideText(code, m.index, language)) continue;
    if (dynamic && /(?:[.:]|->|\bdef\s+)$/.test(code.slice(Math.max(0, m.index - 8), m.index))) continue;
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
        // Ruby's `IO.write("|cmd", …)` runs cmd (see pipeOpens).
        if (language === "ruby" && m[0].startsWith("IO") && /^\s*\|/.test(args?.strings[0] ?? "")) break;
        out.push(first !== undefined ? { kind: "write", path: first } : { kind: "write" });
        break;
      case "copy":
      case "copy-tree":
      case "cp-options":
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
  if (language === "lua") luaOpens(code, out);
  if (language === "perl" || language === "ruby") pipeOpens(language, code, out);
  if (language === "perl" || language === "ruby" || language === "php") backticks(code, language, out);
  const reverse = reverseShell(language, code, out);
  if (reverse) out.push(reverse);
  if (DOWNLOADS[language].test(code) && (out.some((a) => a.kind === "dynamic-code") || EVAL_AS_VALUE.test(code))) out.push({ kind: "downloaded-code" });
  return out;
}

/** A call that reads from the network, whose result the code may evaluate. */
const DOWNLOADS: Readonly<Record<InlineLanguage, RegExp>> = {
  python: /\b(?:urlopen|urlretrieve|requests\.(?:get|post|request)|httpx\.(?:get|post)|http\.client|urllib3|socket\.)/,
  perl: /\b(?:LWP|HTTP::Tiny|get(?:store|print)?\s*\(?\s*["'$]?https?:|IO::Socket|Net::)/,
  ruby: /\b(?:open-uri|URI\.open|Net::HTTP|open\s*\(?\s*["']https?:|TCPSocket)/,
  node: /\b(?:fetch\s*\(|https?\.(?:get|request)\s*\(|require\s*\(\s*["'](?:node:)?(?:https?|net)["']\s*\)|axios|XMLHttpRequest)/,
  php: /\b(?:file_get_contents\s*\(\s*["']https?:|curl_exec|fsockopen|stream_socket_client)/,
  lua: /\b(?:socket\.http|http\.request|require\s*\(?\s*["']socket)/,
};

/** `eval` handed over as a function rather than called (`.then(eval)`, `[x].map(eval)`): what it is given is run. */
const EVAL_AS_VALUE = /[(,]\s*(?:eval|Function|exec|loadstring|load)\s*[),]/;

/** A call that copies the running process. */
const FORK: Readonly<Record<InlineLanguage, RegExp>> = {
  python: /(?<![\w$])(?:os\.)?fork\s*\(/,
  perl: /(?<![\w$])fork\b/,
  ruby: /(?<![\w$])(?:Process\.)?fork\b/,
  node: /(?<![\w$])(?:child_process\.|\.)fork\s*\(/,
  php: /(?<![\w$])pcntl_fork\s*\(/,
  lua: /(?<![\w.:])(?:posix\.|unistd\.)?fork\s*\(/,
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

/**
 * Perl, Ruby and PHP run `` `…` `` and `qx{…}`/`%x{…}` in a shell; Perl's `qx` takes any delimiter, with or without
 * a space before it (`qx"ls"`, `qx!ls!`, `qx[ls]`), and interpolates nothing between single quotes (`qx'…'`).
 */
function backticks(code: string, language: InlineLanguage, out: InlineAction[]): void {
  const quoted = language === "ruby" ? /`([^`]*)`|%x\{([^}]*)\}|%x\(([^)]*)\)/g : language === "perl" ? /`([^`]*)`|(?<![\w$@%&])qx\s*([^\w\s#=,;)])/g : /`([^`]*)`/g;
  for (const m of code.matchAll(quoted)) {
    let body = m[1];
    let raw = false;
    if (body === undefined && language === "perl") {
      const open = m[2] ?? "";
      const close = PERL_PAIRS[open] ?? open;
      const start = m.index + m[0].length;
      const end = code.indexOf(close, start);
      if (end < 0) continue;
      body = code.slice(start, end);
      raw = open === "'";
    }
    body = body ?? m.slice(2).find((g) => g !== undefined) ?? "";
    const interpolated = !raw && (language === "ruby" ? body.includes("#{") : /\$[A-Za-z_{]/.test(body));
    out.push(interpolated ? { kind: "shell" } : { kind: "shell", command: body });
  }
}
