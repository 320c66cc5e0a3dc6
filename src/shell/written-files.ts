import path from "node:path";
import type { Cmd, Redirect, Word } from "./ir.js";
import { cmdLineAsPowerShell } from "./cmd-line.js";
import { resolved } from "./downloads.js";
import { unresolved, type Ctx } from "./evaluate-context.js";
import { nestedHere } from "./nested-text.js";
import type { ShellKind } from "./types.js";

/**
 * Scripts the line writes itself (`echo 'rm -rf ~' > x.sh`, `cat > x.sh <<EOF`, cmd.exe's
 * `echo … > a.bat`) and then runs: running one is running the text written, when wren knows it,
 * and an unknown script otherwise. Files written by a command's arguments (`tee x.sh`, `cp`,
 * `Set-Content`) are remembered by `command-writes.ts`.
 */

/**
 * Remembers the files a command writes by a redirection: with `text`, what a plain `>` writes there;
 * an append (`>>`), another stream (`2>`) or output wren cannot know leaves the file's text unknown.
 * Of several redirections of the output (`echo … > a.sh > b.sh`) only the last gets it, the others
 * are left empty (bash, dash, fish); zsh (MULTIOS) writes it to each, and PowerShell is left as it was.
 */
export function recordWrites(cmd: Cmd, text: string | undefined, ctx: Ctx): void {
  const output = (r: Redirect): boolean => r.op.includes(">") && !r.op.includes("<") && (r.op.startsWith("&") || (r.fd ?? 1) === 1);
  const last = ctx.shell === "zsh" || ctx.shell === "powershell" ? -1 : cmd.redirects.findLastIndex(output);
  cmd.redirects.forEach((r, i) => {
    if (!r.op.includes(">") || r.op.includes("<") || r.target.dynamic || r.target.text === "/dev/null" || /^nul$/i.test(r.target.text)) return;
    const stdout = (r.fd ?? 1) === 1 && (r.op === ">" || r.op === ">|" || r.op === "1>");
    const emptied = stdout && last >= 0 && i < last;
    ctx.written.set(resolved(r.target.text, ctx.paths.cwd), emptied ? "" : stdout ? text : undefined);
  });
}

/** The extensions cmd.exe and Start-Process try for a name given without one. */
const PATHEXT = ["", ".com", ".exe", ".bat", ".cmd", ".ps1", ".sh"];

/** How a file is run: see {@link runsWritten}. */
export interface RunHow {
  /** A program name cmd.exe or Start-Process looks for in the current folder, with PATHEXT's extensions. */
  bare?: boolean;
  /** A script operand (`sh x.sh`, `source x.sh`), found in the current folder. */
  operand?: boolean;
  /** The language the text is read in; `none` for a program whose language wren does not read (`python3 x.py`). */
  shell?: ShellKind | "none";
  /**
   * Run by the line's shell itself (`source x.sh`, `. ./x.sh`, PowerShell's dot-sourcing): what the
   * script assigns, and the directory it leaves, hold for the rest of the line, as `eval`'s do.
   */
  here?: boolean;
}

/** The file the line wrote that running `word` runs: a path to it, or a name as `how` says it is found. */
function writtenFile(word: Word | undefined, ctx: Ctx, how: RunHow): string | undefined {
  if (!word || word.dynamic || ctx.written.size === 0) return undefined;
  const named = !/[\\/]/.test(word.text);
  if (named && !how.bare && !how.operand) return undefined;
  const names = named && how.bare ? PATHEXT.map((e) => word.text + e) : [word.text];
  const files = new Map([...ctx.written.keys()].map((f) => [f.toLowerCase(), f]));
  for (const name of names) {
    const file = files.get(resolved(name, ctx.paths.cwd).toLowerCase());
    if (file !== undefined) return file;
  }
  return undefined;
}

/**
 * Judges running a file the line wrote, by its name or a path (`./x.sh`, cmd.exe's `a`), by a
 * shell (`sh x.sh`, `source x.sh`: `shell`) or by Start-Process: as the text written, read in the
 * language its extension or `shell` names, or as an unknown script. False when the line wrote no such file.
 */
export function runsWritten(word: Word | undefined, ctx: Ctx, how: RunHow): boolean {
  const file = writtenFile(word, ctx, how);
  if (file === undefined || !word) return false;
  const text = ctx.written.get(file);
  const ext = path.posix.extname(file).toLowerCase();
  const language = how.shell ?? (ext === ".bat" || ext === ".cmd" ? "cmd" : ext === ".ps1" ? "powershell" : ext === "" || ext === ".sh" ? (ctx.shell === "powershell" ? undefined : "sh") : undefined);
  if (text === undefined || language === undefined || language === "none") {
    unresolved(ctx, `runs ${word.text}, a script this command line writes with text wren cannot know`);
    return true;
  }
  // The script is read once: running it again inside itself (`echo ./x.sh > x.sh`) adds nothing.
  const inner: Ctx = { ...ctx, written: new Map([...ctx.written].filter(([f]) => f !== file)) };
  if (language === "cmd") ctx.ops.nested(inner, cmdLineAsPowerShell(text, ctx.paths), "powershell", true);
  else if (how.here && language === ctx.shell) {
    nestedHere(inner, text);
    ctx.paths = inner.paths;
    ctx.dirs = inner.dirs;
  } else ctx.ops.nested(inner, text, language);
  return true;
}
