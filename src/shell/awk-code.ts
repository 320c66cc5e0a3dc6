import type { Cmd, Word } from "./ir.js";
import { wasDownloaded } from "./downloads.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { checkStdin } from "./evaluate-input.js";
import { runCommand } from "./option-command.js";
import { INTERPRETERS, POSIX_SHELLS } from "./rules.js";

const AWK_VALUE_OPTIONS = ["-F", "-v", "-f", "-e", "-i", "-l", "--field-separator", "--assign", "--file", "--source", "--include", "--load"];

/** What an awk program runs: literal command lines, its input lines as they are, and commands built at run time. */
interface AwkRuns {
  commands: string[];
  /** `system($0)`, `print | "sh"`, `$0 | getline`: each input line is a command line. */
  inputLines: boolean;
  /** A command made of fields, variables or expressions. */
  built: boolean;
}

/**
 * An awk program runs commands with `system("…")`, `print … | "cmd"` and `"cmd" | getline`. Literal
 * commands are analysed like shell commands. One that is an input line (`system($0)`) is what awk
 * reads: a pipeline or here-string into it is read as a shell reads it, so a download piped in is
 * critical. Any other command built at run time is high, or critical when fed from a download.
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
  const runs: AwkRuns = { commands: [], inputLines: false, built: false };
  for (const program of programs) awkProgram(program.text, runs);
  for (const c of runs.commands) {
    const text = c.replace(/\\(.)/g, (_, d: string) => ({ n: "\n", t: "\t" })[d] ?? d);
    runCommand(ctx, { text, dynamic: text.includes("\u0000"), glob: false, subs: [] }, name);
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

function awkProgram(code: string, runs: AwkRuns): void {
  for (const m of code.matchAll(/(?<![\w$])system\s*\(\s*/g)) {
    const rest = code.slice(m.index + m[0].length);
    const literal = new RegExp(`^${STR}\\s*\\)`).exec(rest);
    if (literal) runs.commands.push(literal[1] ?? "");
    else if (/^\$0\s*\)/.test(rest)) runs.inputLines = true;
    else runs.built = true;
  }
  // print … | "cmd", print … |& "cmd"; what is printed into a shell is its script.
  for (const m of code.matchAll(new RegExp(`(?<!\\|)\\|&?\\s*${STR}`, "g"))) {
    const target = m[1] ?? "";
    runs.commands.push(target);
    const program = (target.trim().split(/\s+/)[0] ?? "").replace(/^.*\//, "");
    if (!INTERPRETERS.has(program)) continue;
    const before = code.slice(0, m.index);
    const printed = new RegExp(`\\bprintf?\\s*\\(?\\s*${STR}\\s*\\)?\\s*$`).exec(before);
    if (printed && POSIX_SHELLS.has(program)) runs.commands.push(printed[1] ?? "");
    else if (/\bprint\s*(\$0\s*)?$/.test(before) && POSIX_SHELLS.has(program)) runs.inputLines = true;
    else runs.built = true;
  }
  // "cmd" | getline
  for (const m of code.matchAll(/(?<!\|)\|&?\s*getline/g)) {
    const before = code.slice(0, m.index);
    const literal = new RegExp(`${STR}\\s*$`).exec(before);
    if (literal) runs.commands.push(literal[1] ?? "");
    else if (/(?<![\w$])\$0\s*$/.test(before)) runs.inputLines = true;
    else runs.built = true;
  }
  // print … | cmd (a variable or an expression): a command built at run time.
  if (/\bprintf?\b[^;{}\n]*?(?<!\|)\|&?(?!\|)\s*(?!getline)[A-Za-z_($]/.test(code)) runs.built = true;
}
