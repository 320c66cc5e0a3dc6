import type { Word } from "./ir.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { runCommand } from "./option-command.js";
import { INTERPRETERS, POSIX_SHELLS } from "./rules.js";

const AWK_VALUE_OPTIONS = ["-F", "-v", "-f", "-e", "-i", "-l", "--field-separator", "--assign", "--file", "--source", "--include", "--load"];

/**
 * An awk program runs commands with `system("…")`, `print … | "cmd"` and `"cmd" | getline`. Literal
 * commands are analysed like shell commands; a command built at run time is high.
 */
export function awkCommands(name: string, args: readonly Word[], ctx: Ctx): void {
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
  for (const program of programs) awkProgram(name, program, ctx);
}

function awkProgram(name: string, program: Word, ctx: Ctx): void {
  const code = program.text;
  const str = '"((?:[^"\\\\]|\\\\.)*)"';
  const commands: string[] = [];
  let unknown = false;
  for (const m of code.matchAll(/(?<![\w$])system\s*\(\s*/g)) {
    const literal = new RegExp(`^${str}\\s*\\)`).exec(code.slice(m.index + m[0].length));
    if (literal) commands.push(literal[1] ?? "");
    else unknown = true;
  }
  // print … | "cmd", print … |& "cmd"; what is printed into a shell is its script.
  for (const m of code.matchAll(new RegExp(`(?<!\\|)\\|&?\\s*${str}`, "g"))) {
    const target = m[1] ?? "";
    commands.push(target);
    const program = target.trim().split(/\s+/)[0] ?? "";
    if (!INTERPRETERS.has(program.replace(/^.*\//, ""))) continue;
    const printed = new RegExp(`\\bprintf?\\s*\\(?\\s*${str}\\s*\\)?\\s*$`).exec(code.slice(0, m.index));
    if (printed && POSIX_SHELLS.has(program.replace(/^.*\//, ""))) commands.push(printed[1] ?? "");
    else unknown = true;
  }
  // "cmd" | getline
  for (const m of code.matchAll(/(?<!\|)\|&?\s*getline/g)) {
    const before = new RegExp(`${str}\\s*$`).exec(code.slice(0, m.index));
    if (before) commands.push(before[1] ?? "");
    else unknown = true;
  }
  // print … | cmd (a variable or an expression): a command built at run time.
  if (/\bprintf?\b[^;{}\n]*?(?<!\|)\|&?(?!\|)\s*(?!getline)[A-Za-z_($]/.test(code)) unknown = true;
  for (const c of commands) {
    const text = c.replace(/\\(.)/g, (_, d: string) => ({ n: "\n", t: "\t" })[d] ?? d);
    runCommand(ctx, { text, dynamic: text.includes("\u0000"), glob: false, subs: [] }, name);
  }
  if (unknown) unresolved(ctx, `${name} runs a command built at run time`);
}
