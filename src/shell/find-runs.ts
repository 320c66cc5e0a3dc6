/** What `find -exec` and `fd -x` run on the files they find, judged through the evaluator's steps (`ctx.ops`). */
import type { Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { shortLetters, splitClap, walkOptions } from "./option-walk.js";
import type { Ctx } from "./evaluate-context.js";
import { judgeFoundKeys } from "./credential-files.js";
import { findStartPaths, keyFilesFound } from "./find-files.js";
import { foundBy, foundUnder } from "./find-stand-ins.js";
import { namesInShellCode, xargsReplaced } from "./xargs-input.js";

const FD_VALUE_OPTIONS = new Set([
  "-e", "--extension", "-E", "--exclude", "-t", "--type", "-d", "--max-depth", "--maxdepth", "--min-depth", "--exact-depth",
  "-S", "--size", "--changed-within", "--change-newer-than", "--newer", "--changed-before", "--change-older-than", "--older",
  "-o", "--owner", "-j", "--threads", "--max-results", "-C", "--base-directory", "--search-path", "-c", "--color",
  "--ignore-file", "--path-separator", "--batch-size", "--max-buffer-time", "--format", "--and",
]);
/** fd's options that name the folders searched (`-C`/`--base-directory`: the folder it works in). */
const FD_ROOT_OPTIONS = ["--search-path", "--base-directory", "-C"];
const FD_EXEC_OPTIONS = ["-x", "--exec", "-X", "--exec-batch"];
/** The letters of fd's short options that take a value, -x and -X among them (`-tf`, `-Ht f`, `-Hx CMD`). */
const FD_SHORT_VALUES = shortLetters([...FD_VALUE_OPTIONS, ...FD_EXEC_OPTIONS]);
/** fd's options that narrow what it finds by name, date, size or owner. */
const FD_FILTERS = new Set(["-e", "--extension", "-S", "--size", "--changed-within", "--change-newer-than", "--newer", "--changed-before", "--change-older-than", "--older", "-o", "--owner", "--and"]);

/**
 * `fd [PATTERN] [PATH…] -x CMD` (`--exec`; `-X`/`--exec-batch` hands all at once) runs CMD on each
 * file found, as `find PATH -exec CMD {} \;` does: `{}`, `{/}`, `{//}`, `{.}` and `{/.}` stand for
 * the file (its name, folder, or name without extension), and with none of them the files come last.
 */
export function runFd(args: Word[], ctx: Ctx): void {
  // Options are read as clap reads them: flags may be grouped, and the first letter that takes a
  // value takes the rest of the word (`-tf`, `-t=f`, `-xrm`) or the next word (`-Ht f`, `-Hx rm`).
  const end = args.findIndex((w) => !w.dynamic && w.text === "--");
  // A command only known at run time may be attached (`--exec="$C"`, `-x"$C"`): the option's name is not.
  const execOption = (w: Word): boolean => {
    const [option] = splitClap(w.text, FD_SHORT_VALUES);
    return w.text.startsWith("-") && !option.includes(RUN_TIME) && FD_EXEC_OPTIONS.includes(option);
  };
  const x = args.findIndex((w, i) => (end < 0 || i < end) && execOption(w));
  const exec = args[x];
  if (!exec) return;
  const attached = splitClap(exec.text, FD_SHORT_VALUES)[1];
  let own = args.slice(0, x);
  let inner = args.slice(x + 1);
  if (attached !== undefined) {
    // clap gives an attached value alone: `-xrm . ~` runs rm, and `. ~` are fd's again.
    own = [...own, ...inner];
    inner = [exec.dynamic ? { ...exec, text: attached } : literalWord(attached)];
  }
  const stop = inner.findIndex((w) => !w.dynamic && w.text === ";");
  if (stop >= 0) {
    // `;` ends the command: the words after it are fd's pattern and folders again (`fd -x rm \; . ~`).
    own = [...own, ...inner.slice(stop + 1)];
    inner = inner.slice(0, stop);
  }
  if (inner.length === 0) return;
  const roots: Word[] = [];
  let filtered = false;
  const positional = walkOptions(
    own,
    (text, next, word) => {
      const [option, joined] = splitClap(text, FD_SHORT_VALUES);
      if (FD_FILTERS.has(option)) filtered = true;
      // A root after `=` (`--search-path=/etc`, `--search-path="$HOME"`) is a root as the next word is.
      const root = joined === undefined ? next : word.dynamic ? { ...word, text: joined } : literalWord(joined);
      if (root && FD_ROOT_OPTIONS.includes(option)) roots.push(root);
      return FD_VALUE_OPTIONS.has(option) && joined === undefined;
    },
    { runTimeValues: true },
  );
  const pattern = positional[0];
  if (pattern && (pattern.dynamic || ![".", "", "^"].includes(pattern.text))) filtered = true;
  roots.push(...positional.slice(1));
  if (roots.length === 0) roots.push(literalWord("."));
  const placeholder = /\{\/?\/?\.?\}/g;
  const marked = inner.map((w) => (w.dynamic ? w : { ...w, text: w.text.replace(placeholder, "{}") }));
  const takes = marked.some((w) => !w.dynamic && w.text.includes("{}"));
  const command = takes ? marked : [...marked, literalWord("{}")];
  for (const root of roots) {
    const found = root.dynamic ? root : foundUnder(root, filtered, ctx.paths);
    const placed = command.flatMap((a) => xargsReplaced(a, "{}", [found]));
    ctx.ops.runArgv(placed, { kind: "cmd", argv: placed, redirects: [] }, [], ctx);
    const hidden = namesInShellCode(command, "{}", [found]);
    if (hidden) ctx.ops.runArgv(hidden, { kind: "cmd", argv: hidden, redirects: [] }, [], ctx);
  }
}

export function runFind(args: Word[], ctx: Ctx): void {
  const starts = findStartPaths(args);
  ctx.ops.applyRules({ name: "find", args, powershell: false, pathOperands: starts }, ctx);
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || !["-exec", "-execdir", "-ok", "-okdir"].includes(w.text)) continue;
    const inner: Word[] = [];
    let j = i + 1;
    for (; j < args.length; j++) {
      const a = args[j];
      if (!a || a.text === ";" || a.text === "+") break;
      inner.push(a);
    }
    i = j;
    for (const start of starts) {
      // GNU find puts each file wherever `{}` stands in an argument, as xargs -I does.
      const found = start.dynamic ? start : foundBy(start, args, ctx.paths);
      const placed = inner.flatMap((a) => xargsReplaced(a, "{}", [found]));
      ctx.ops.runArgv(placed, { kind: "cmd", argv: placed, redirects: [] }, [], ctx);
      const hidden = namesInShellCode(inner, "{}", [found]);
      if (hidden) ctx.ops.runArgv(hidden, { kind: "cmd", argv: hidden, redirects: [] }, [], ctx);
      // `-name '*.key'`: where the command sends the key files found.
      const keys = keyFilesFound(start, args);
      if (keys) judgeFoundKeys(inner.flatMap((a) => xargsReplaced(a, "{}", [keys])), keys, ctx);
    }
  }
}
