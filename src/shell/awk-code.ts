import type { Cmd, Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { wasDownloaded } from "./downloads.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { checkStdin, reverseShellFinding } from "./evaluate-input.js";
import { runCommand } from "./option-command.js";
import { judgeWrite } from "./path-writes.js";
import { INTERPRETERS, POSIX_SHELLS } from "./rules.js";

const AWK_VALUE_OPTIONS = ["-F", "-v", "-f", "-e", "-i", "-l", "--field-separator", "--assign", "--file", "--source", "--include", "--load"];

/** What an awk program runs: literal command lines, its input lines as they are, and commands built at run time. */
interface AwkRuns {
  commands: string[];
  /** `system($0)`, `print | "sh"`, `$0 | getline`: each input line is a command line. */
  inputLines: boolean;
  /** A command made of fields, variables or expressions. */
  built: boolean;
  /** The network connections it opens through gawk's special files (`/inet/tcp/0/HOST/PORT`, `/inet4/…`, `/inet6/…`). */
  network: string[];
  /** The files `print … > "F"` (`>> "F"`) writes, with the redirection's operator. */
  writes: { op: ">" | ">>"; file: string }[];
}

/** gawk's special files that open a network connection; reading and writing them with `|&` talks to the host. */
const INET = /^\/inet[46]?\/(?:tcp|udp)\//;

/**
 * An awk program runs commands with `system("…")`, `print … | "cmd"` and `"cmd" | getline`. Literal
 * commands are analysed like shell commands. One that is an input line (`system($0)`) is what awk
 * reads: a pipeline or here-string into it is read as a shell reads it, so a download piped in is
 * critical. Any other command built at run time is high, or critical when fed from a download.
 * gawk's network special files (`s = "/inet/tcp/0/HOST/PORT"; s |& getline c`) are no commands: a program that
 * talks to a host is high, and one that also runs command lines only known at run time (what it reads from the
 * host, `c |& getline`, `system(c)`) is a reverse shell, critical.
 */
export function awkCommands(name: string, args: readonly Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const programs: Word[] = [];
  let fromFile = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) break;
    if (!w.dynamic && (w.text === "-e" || w.text === "--source")) {
      const p = args[++i];
      if (p) programs.push(p);
    } else if (!w.dynamic && (w.text === "-f" || w.text === "--file")) {
      fromFile = true;
      i++;
    } else if (!w.dynamic && AWK_VALUE_OPTIONS.includes(w.text)) i++;
    else if (!w.dynamic && w.text.startsWith("-") && w.text !== "-") continue;
    else {
      if (programs.length === 0 && !fromFile) programs.push(w);
      break;
    }
  }
  const runs: AwkRuns = { commands: [], inputLines: false, built: false, network: [], writes: [] };
  for (const program of programs) awkProgram(program.text, runs);
  // `print > "/etc/passwd"` writes the file as the shell's `> /etc/passwd` does.
  for (const w of runs.writes) {
    const finding = judgeWrite(w.op, literalWord(w.file), ctx.paths);
    if (finding) ctx.findings.push(finding);
  }
  if (runs.network.length > 0 && (runs.built || runs.inputLines)) {
    ctx.findings.push(reverseShellFinding("sh"));
    return;
  }
  if (runs.network.length > 0) ctx.findings.push({ category: "network exposure", risk: "high", detail: `${name} opens a network connection (${runs.network[0] ?? ""})` });
  for (const c of runs.commands) {
    const text = c.replace(/\\(.)/g, (_, d: string) => ({ n: "\n", t: "\t" })[d] ?? d);
    runCommand(ctx, { text, dynamic: text.includes(RUN_TIME), glob: false, subs: [] }, name);
  }
  if (!runs.inputLines && !runs.built) return;
  const builtAtRunTime = (): void => unresolved(ctx, `${name} runs a command built at run time`);
  const from = [...cmd.redirects].reverse().find((r) => r.op === "<")?.target;
  const fromPlainFile = from !== undefined && !from.processSub && !cmd.stdinText && !wasDownloaded(from, ctx.downloaded, ctx.paths.cwd);
  if (fromPlainFile || (cmd.stdinText === undefined && from === undefined && upstream.length === 0)) {
    builtAtRunTime();
    return;
  }
  checkStdin(name, cmd, upstream, ctx, (text) => {
    if (runs.inputLines) ctx.ops.nested(ctx, text, "sh");
    if (runs.built) builtAtRunTime();
  });
}

const STR = '"((?:[^"\\\\]|\\\\.)*)"';

/** The same pattern matched in the program as written, where it matched in the masked program. */
function original(pattern: string, code: string, index: number): RegExpExecArray | null {
  const re = new RegExp(pattern, "y");
  re.lastIndex = index;
  return re.exec(code);
}

function awkProgram(code: string, runs: AwkRuns): void {
  // Commands and pipes are looked for where awk reads code: not inside strings, regexes or comments.
  const masked = maskLiterals(code);
  // Names given a network special file (`s = "/inet/tcp/0/h/p"`): a pipe to or from one is a connection, not a command.
  const sockets = new Map<string, string>();
  for (const m of masked.matchAll(new RegExp(`(?<![\\w$])([A-Za-z_]\\w*)\\s*=(?!=)\\s*(?=")`, "g"))) {
    const value = original(STR, code, m.index + m[0].length)?.[1] ?? "";
    if (INET.test(value)) sockets.set(m[1] ?? "", value);
  }
  const connection = (text: string): boolean => {
    if (!INET.test(text)) return false;
    runs.network.push(text);
    return true;
  };
  for (const m of masked.matchAll(/(?<![\w$])system\s*\(\s*/g)) {
    const rest = code.slice(m.index + m[0].length);
    const literal = new RegExp(`^${STR}\\s*\\)`).exec(rest);
    if (literal) runs.commands.push(literal[1] ?? "");
    else if (/^\$0\s*\)/.test(rest)) runs.inputLines = true;
    else runs.built = true;
  }
  // print … | "cmd", print … |& "cmd"; what is printed into a shell is its script.
  const pipeTo = `(?<!\\|)\\|&?\\s*${STR}`;
  for (const m of masked.matchAll(new RegExp(pipeTo, "g"))) {
    const target = original(pipeTo, code, m.index)?.[1] ?? "";
    if (connection(target)) continue;
    runs.commands.push(target);
    const program = (target.trim().split(/\s+/)[0] ?? "").replace(/^.*\//, "");
    if (!INTERPRETERS.has(program)) continue;
    const before = code.slice(0, m.index);
    const printed = new RegExp(`\\bprintf?\\s*\\(?\\s*${STR}\\s*\\)?\\s*$`).exec(before);
    if (printed && POSIX_SHELLS.has(program)) runs.commands.push(printed[1] ?? "");
    else if (/\bprint\s*(\$0\s*)?$/.test(masked.slice(0, m.index)) && POSIX_SHELLS.has(program)) runs.inputLines = true;
    else runs.built = true;
  }
  // print … > "F", print … >> "F": awk opens F for writing (gawk's /dev/stdout and the like are no files).
  const writeTo = `\\bprintf?\\b[^;{}\\n]*?(>>?)\\s*(?=")`;
  for (const m of masked.matchAll(new RegExp(writeTo, "g"))) {
    const file = original(STR, code, m.index + m[0].length)?.[1] ?? "";
    if (file !== "" && !connection(file) && !/^\/dev\/(stdout|stderr|fd\/)/.test(file)) runs.writes.push({ op: m[1] === ">>" ? ">>" : ">", file });
  }
  // "cmd" | getline
  for (const m of masked.matchAll(/(?<!\|)\|&?\s*getline/g)) {
    const before = code.slice(0, m.index);
    const literal = new RegExp(`${STR}\\s*$`).exec(before);
    const name = /(?<![\w$])([A-Za-z_]\w*)\s*$/.exec(before)?.[1];
    if (literal) {
      if (!connection(literal[1] ?? "")) runs.commands.push(literal[1] ?? "");
    } else if (/(?<![\w$])\$0\s*$/.test(before)) runs.inputLines = true;
    else if (name !== undefined && sockets.has(name)) runs.network.push(sockets.get(name) ?? name);
    else runs.built = true;
  }
  // print … | cmd (a variable or an expression): a command built at run time, unless it names a connection.
  for (const m of masked.matchAll(/\bprintf?\b[^;{}\n]*?(?<!\|)\|&?(?!\|)\s*(?!getline)([A-Za-z_($])(\w*)/g)) {
    const socket = sockets.get(`${m[1] ?? ""}${m[2] ?? ""}`);
    if (socket !== undefined) runs.network.push(socket);
    else runs.built = true;
  }
}

/** Where a `/` starts a regex rather than divides: after these, or at the start of the program. */
const BEFORE_REGEX = new Set(["", "{", "}", ";", "(", ",", "!", "~", "&", "|", "=", "?", ":", "\n"]);
const REGEX_KEYWORDS = new Set(["print", "printf", "return", "in"]);

/**
 * The program with the text of its strings, regexes and comments blanked out (same length, quotes
 * and slashes kept), so a `|` or `system(` inside `"a|b"` or `/a|b/` is not taken for code. A `/`
 * is a regex only where it cannot be a division; an ambiguous one is left as code.
 */
function maskLiterals(code: string): string {
  let out = "";
  let last = "";
  let i = 0;
  while (i < code.length) {
    const c = code[i] ?? "";
    if (c === '"' || (c === "/" && (BEFORE_REGEX.has(last) || REGEX_KEYWORDS.has(last)))) {
      const end = literalEnd(code, i, c);
      if (end > 0) {
        out += c + "_".repeat(end - i - 1) + c;
        last = c === '"' ? "a" : "/";
        i = end + 1;
        continue;
      }
    }
    if (c === "#") {
      const end = code.indexOf("\n", i);
      const stop = end < 0 ? code.length : end;
      out += " ".repeat(stop - i);
      i = stop;
      continue;
    }
    const name = /[A-Za-z_]\w*/y;
    name.lastIndex = i;
    const word = name.exec(code)?.[0];
    if (word) {
      out += word;
      last = REGEX_KEYWORDS.has(word) ? word : "a";
      i += word.length;
      continue;
    }
    out += c;
    if (c === "\n" || !/\s/.test(c)) last = c;
    i++;
  }
  return out;
}

/** Where the string or regex opened at `start` closes, or -1 when it does not on the same line. */
function literalEnd(code: string, start: number, quote: string): number {
  let bracket = false;
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i];
    if (c === "\\") i++;
    else if (c === "\n") return -1;
    else if (quote === "/" && c === "[") bracket = true;
    else if (quote === "/" && c === "]") bracket = false;
    else if (c === quote && !bracket) return i;
  }
  return -1;
}
