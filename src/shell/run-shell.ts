import type { Cmd, Word } from "./ir.js";
import { wasDownloaded, wordDownloads } from "./downloads.js";
import { codeOf, downloadRce, hidden, isOpt, unresolved, type Ctx } from "./evaluate-context.js";
import { checkStdin, isStdinPath, stdinFed, stdinFile } from "./evaluate-input.js";
import type { ShellKind } from "./types.js";
import { resolveWord, type Variables } from "./variables.js";

/** `sh`, `bash`, `zsh`, `fish`, …: the script they run, from `-c`, a file, or standard input. */
export function runShell(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const shell = shellOf(name);
  const c = args.findIndex((w) => !w.dynamic && (w.text === "--command" || /^-[A-Za-z]*c[A-Za-z]*$/.test(w.text)));
  if (c >= 0) {
    const script = args[c + 1];
    if (!script) return;
    const code = codeOf([script], ctx);
    if (wordDownloads(script, ctx.shell === "powershell")) downloadRce(ctx, `${name} -c`);
    else if (code.text === undefined) unresolved(ctx, code.decoded ? `${name} -c runs decoded text that wren cannot decode` : `${name} -c runs a command line only known at run time`);
    else {
      if (code.decoded) hidden(ctx);
      const child = childContext(cmd, ctx);
      ctx.ops.nested(shell === "fish" ? child : { ...child, vars: positionalParameters(child.vars, args.slice(c + 2)) }, code.text, shell);
    }
    return;
  }
  const ops = shellOperands(args);
  const file = ops[0];
  // `-s` reads the script from standard input whatever follows (those are its arguments).
  const fromStdin = args.some((w) => !w.dynamic && /^-[A-Za-z]*s[A-Za-z]*$/.test(w.text));
  // `bash /proc/$$/fd/0` with nothing fed to it reads a stream wren cannot see.
  if (file && !fromStdin && (!isStdinPath(file) || (file.dynamic && !stdinFed(cmd, upstream)))) {
    runScriptFile(name, file, shell, ctx);
    return;
  }
  runRedirectedScript(name, cmd, upstream, ctx, (from) => runScriptFile(name, from, shell, ctx), (t) => ctx.ops.nested(childContext(cmd, ctx), t, shell));
}

/**
 * A program with no script operand (a shell, python3, node, …) runs the file its `<` names exactly
 * as it runs a script operand (`runFile`), and a /dev/tcp or /dev/udp socket there is a reverse
 * shell. `< <(…)`, `< /dev/stdin`, a here-document or a pipe is standard input's text, for `run`.
 */
export function runRedirectedScript(name: string, cmd: Cmd, upstream: Cmd[], ctx: Ctx, runFile: (file: Word) => void, run?: (text: string) => void): void {
  const from = cmd.stdinText ? undefined : stdinFile(cmd);
  if (!from || from.processSub || isStdinPath(from)) {
    checkStdin(name, cmd, upstream, ctx, run);
    return;
  }
  if (!from.dynamic && /^\/dev\/(tcp|udp)\//.test(from.text)) {
    ctx.findings.push({ category: "network exposure", risk: "critical", detail: `runs commands received over the network with ${name} (a reverse shell)` });
  } else runFile(from);
  // In bash the file, not a pipe before it, is standard input; zsh (MULTIOS) reads the pipe first.
  if (ctx.shell === "zsh" && upstream.length > 0) {
    checkStdin(name, { ...cmd, redirects: cmd.redirects.filter((r) => r.op !== "<" && r.op !== "<>") }, upstream, ctx, run);
  }
}

function runScriptFile(name: string, file: Word, shell: ShellKind, ctx: Ctx): void {
  if (wordDownloads(file, ctx.shell === "powershell")) downloadRce(ctx, name);
  else if (wasDownloaded(file, ctx.downloaded, ctx.paths.cwd)) ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `runs ${file.text} with ${name}, which this command line downloads` });
  else if (file.dynamic && !file.processSub) unresolved(ctx, `${name} runs a script whose name is only known at run time`);
  else if (file.processSub) {
    const produced = codeOf([{ ...file, processSub: false }], ctx);
    if (produced.text === undefined) unresolved(ctx, `${name} runs the output of a command as a script`);
    else {
      if (produced.decoded) hidden(ctx);
      ctx.ops.nested(ctx, produced.text, shell);
    }
  }
}

/**
 * What a child shell sees of the line's variables: those exported (`export x=/`, fish `set -x`,
 * all after `set -a`) and those assigned before its name (`x=/ sh -c …`). One assigned plainly
 * (`x=/; sh -c 'rm -rf $x'`) is empty there, unless its name is all capitals, as environment
 * variables are (`PATH`, `HOME`): the environment may already hold it, and then the child sees
 * the new value. PowerShell's variables never reach a child process.
 */
function childContext(cmd: Cmd, ctx: Ctx): Ctx {
  const vars: Variables = new Map();
  const names = new Set<string>();
  if (ctx.shell !== "powershell") {
    for (const [name, value] of ctx.vars) {
      if (/^(\d+|[@*])$/.test(name)) continue;
      const reaches = ctx.exported.all || ctx.exported.names.has(name) || !/[a-z]/.test(name);
      vars.set(name, reaches ? value : "");
      if (reaches) names.add(name);
    }
  }
  // Each assignment sees those before it (`x=/ y=$x sh -c …`).
  const line = new Map(ctx.vars);
  for (const assign of cmd.env ?? []) {
    const value = assign.value ? resolveWord(assign.value, line) : undefined;
    for (const scope of [vars, line]) {
      if (value && !value.dynamic) scope.set(assign.name, value.text);
      else scope.delete(assign.name);
    }
    names.add(assign.name);
  }
  return { ...ctx, vars, exported: { names, all: false } };
}

/**
 * `sh -c 'rm -rf "$1"' _ ~`: the words after the script are `$0`, `$1`, …, so the script is read
 * with them filled in. A parameter not given is empty; one only known at run time stays unknown.
 */
function positionalParameters(vars: Variables, words: readonly Word[]): Variables {
  const out: Variables = new Map([...vars].filter(([name]) => !/^(\d+|[@*])$/.test(name)));
  for (let i = 1; i <= 9; i++) out.set(String(i), "");
  words.forEach((w, i) => {
    if (w.dynamic) out.delete(String(i));
    else out.set(String(i), w.text);
  });
  // `"$@"` is one word per parameter: only a single one is known as a single value.
  const params = words.slice(1);
  const only = params.length === 1 ? params[0] : undefined;
  if (params.length === 0) ["@", "*"].forEach((name) => out.set(name, ""));
  else if (only && !only.dynamic) ["@", "*"].forEach((name) => out.set(name, only.text));
  return out;
}

function shellOf(name: string): ShellKind {
  if (name === "fish") return "fish";
  if (name === "zsh") return "zsh";
  if (name === "bash") return "bash";
  return "sh";
}

/** A shell's operands: its script and that script's arguments, without options and their values (`-o pipefail`). */
function shellOperands(args: Word[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (!w.dynamic && /^[-+]o$|^[-+]O$|^--(rcfile|init-file)$/.test(w.text)) i++;
    else if (!isOpt(w, false)) out.push(w);
  }
  return out;
}
