import type { Cmd, Word } from "./ir.js";
import { wasDownloaded, wordDownloads } from "./downloads.js";
import { clonedRun, inClone } from "./clones.js";
import { runsWritten } from "./written-files.js";
import { codeOf, downloadRce, hidden, unresolved, type Ctx } from "./evaluate-context.js";
import { codeArgument, isStdinPath, runInline } from "./evaluate-input.js";
import { inlineLanguage } from "./inline-code.js";
import { operands } from "./match-rule.js";
import { mayBeNoWord, runRedirectedScript } from "./run-shell.js";

/**
 * `python3`, `perl`, `ruby`, `node`, `php`, `lua`, …: the program they run, from inline code
 * (`-c`, `-e`), a script operand, or standard input (`python3 < x.py` runs x.py as `python3 x.py` does).
 */
export function runInterpreter(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const powershell = ctx.shell === "powershell";
  const language = inlineLanguage(name);
  const code = codeArgument(name, language, args);
  const codeWord = code >= 0 ? args[code + 1] : undefined;
  if (codeWord && wordDownloads(codeWord, powershell)) {
    downloadRce(ctx, name);
    return;
  }
  const runFile = (file: Word): void => {
    const cloned = inClone(file, ctx.downloaded, ctx.paths);
    if (wordDownloads(file, powershell) || wasDownloaded(file, ctx.downloaded, ctx.paths.cwd)) downloadRce(ctx, name);
    else if (cloned) ctx.findings.push(clonedRun(`${file.text} with ${name}`, cloned));
    // A script the line wrote in another language: wren does not read it, so it is unknown.
    else if (!file.processSub && runsWritten(file, ctx, { operand: true, shell: "none" })) return;
  };
  const given = operands({ name, args, powershell: false });
  const script = given[0];
  if (code < 0 && script && !isStdinPath(script)) {
    runFile(script);
    // Operands that may all be no word (`python3 $x`, fish `python3 foo$x`) leave the program reading standard input.
    if (!given.every((w) => mayBeNoWord(w, ctx.shell))) return;
  }
  if (codeWord && language) {
    const inline = codeOf([codeWord], ctx);
    if (inline.decoded) hidden(ctx);
    if (inline.text !== undefined) runInline(language, name, inline.text, ctx, cmd);
    else unresolved(ctx, `${name} runs code only known at run time`);
  }
  const run = language ? (text: string): void => runInline(language, name, text, ctx, cmd) : undefined;
  // `python3 -` and `python3 /dev/stdin` read their program from standard input, like no script at all.
  if (code < 0 && !args.some((w) => w.text === "-m")) runRedirectedScript(name, cmd, upstream, ctx, runFile, run);
}
