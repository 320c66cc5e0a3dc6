import type { Cmd, Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { cmdDownloads, wasDownloaded, wordDownloads } from "./downloads.js";
import { downloadRce, unresolved, type Ctx } from "./evaluate-context.js";
import { isStdinPath, stdinFile } from "./evaluate-input.js";
import { runCommand } from "./option-command.js";
import { inputText } from "./written-content.js";

/**
 * Programs told to read their script from standard input (`sed -f /dev/stdin <<< '1e rm -rf ~'`,
 * `make -f - <<< …`, `cmake -P /dev/stdin`): what they are fed is their code. sed's and awk's is
 * judged as if given with `-e`; make's recipe lines are shell commands; any other language, or text
 * wren cannot see, is code only known at run time, and a download fed in is downloaded code run.
 */

/** The options by which each program names the file its script, program or makefile is read from. */
const SCRIPT_FILE_OPTIONS: Readonly<Record<string, { short: string[]; long: string[]; as?: string }>> = {
  sed: { short: ["-f"], long: ["--file"], as: "-e" },
  gsed: { short: ["-f"], long: ["--file"], as: "-e" },
  awk: { short: ["-f"], long: ["--file"], as: "-e" },
  gawk: { short: ["-f"], long: ["--file"], as: "-e" },
  mawk: { short: ["-f"], long: ["--file"], as: "-e" },
  nawk: { short: ["-f"], long: ["--file"], as: "-e" },
  make: { short: ["-f"], long: ["--file", "--makefile"] },
  gmake: { short: ["-f"], long: ["--file", "--makefile"] },
  bmake: { short: ["-f"], long: [] },
  cmake: { short: ["-P"], long: [] },
  gdb: { short: ["-x"], long: ["--command"] },
  expect: { short: ["-f"], long: [] },
};

const MAKES: ReadonlySet<string> = new Set(["make", "gmake", "bmake"]);

/** Where the script-file option naming standard input is: its index and how many words it takes. */
function stdinOption(name: string, args: readonly Word[]): { at: number; words: number } | undefined {
  const spec = SCRIPT_FILE_OPTIONS[name];
  if (!spec) return undefined;
  const stdin = (w: Word | undefined): boolean => w !== undefined && (isStdinPath(w) || (!w.dynamic && w.text === "-"));
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic) continue;
    if (w.text === "--") break;
    if ([...spec.short, ...spec.long].includes(w.text)) {
      if (stdin(args[i + 1])) return { at: i, words: 2 };
      i++;
      continue;
    }
    const long = spec.long.find((o) => w.text.startsWith(`${o}=`));
    if (long !== undefined && stdin({ ...w, text: w.text.slice(long.length + 1) })) return { at: i, words: 1 };
    const short = spec.short.find((o) => w.text.startsWith(o) && w.text.length > o.length && !w.text.startsWith("--"));
    if (short !== undefined && stdin({ ...w, text: w.text.slice(short.length) })) return { at: i, words: 1 };
  }
  return undefined;
}

/**
 * Judges a script a program reads from standard input. Returns the arguments to judge the program
 * with: for sed and awk, the script given with `-e` in place of the option that names standard input.
 */
export function stdinScripts(name: string, args: Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): Word[] {
  const found = stdinOption(name, args);
  if (!found) return args;
  const powershell = ctx.shell === "powershell";
  const from = stdinFile(cmd);
  if ((cmd.stdinText && wordDownloads(cmd.stdinText, powershell)) || upstream.some((c) => cmdDownloads(c, powershell)) || (from && (wordDownloads(from, powershell) || wasDownloaded(from, ctx.downloaded, ctx.paths.cwd)))) {
    downloadRce(ctx, name);
    return args;
  }
  const text = inputText(cmd, upstream, ctx);
  const as = SCRIPT_FILE_OPTIONS[name]?.as;
  if (text !== undefined && as !== undefined) return [...args.slice(0, found.at), literalWord(as), literalWord(text), ...args.slice(found.at + found.words)];
  if (text !== undefined && MAKES.has(name)) {
    // A recipe line starts with a tab; make hands it, less its `@`, `-` and `+`, to a shell.
    for (const line of text.split("\n")) if (line.startsWith("\t")) runCommand(ctx, literalWord(line.replace(/^\t[@+\-\s]*/, "")), name);
    return args;
  }
  unresolved(ctx, text === undefined ? `${name} reads its script from standard input, which wren cannot see` : `${name} runs a script read from standard input, which wren does not analyse`);
  return args;
}
