/**
 * What xargs hands the command it runs (its input items, `-I` replacements), and find's and fd's `{}`
 * put into a command, or into a shell's `-c` code as names only known at run time.
 */
import type { Cmd, Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { asUtf8, pipelineOutput, substitutionOutput } from "./decode.js";
import { runsDefined, wrappedCommand, type Ctx } from "./evaluate-context.js";
import { isStdinPath, stdinFile } from "./evaluate-input.js";
import { xargsItems, type XargsInput } from "./xargs-items.js";
import { findStartPaths, keyFilesFound } from "./find-files.js";
import { commandName } from "./downloads.js";
import { SHELLS } from "./rules.js";
import { foundBy, isFoundStandIn } from "./find-stand-ins.js";

/**
 * The words xargs adds to its command: what the line feeds it where wren can read that
 * (`echo / | xargs rm -rf` is `rm -rf /`, and so is `xargs rm -rf <<< /` or `xargs -a <(echo /) rm -rf`),
 * the files `find` finds, or else one word only known at run time. `-a FILE` reads FILE instead of
 * what is piped in (`-a -` and `-a /dev/stdin` excepted), so a file wren cannot read gives a word
 * only known at run time whatever the pipe holds.
 */
export function xargsInput(upstream: Cmd[], cmd: Cmd, lines: boolean, options: XargsInput, ctx: Ctx): Word[] {
  const { delimiter, file: argFile } = options;
  const file = argFile && !isStdinPath(argFile) ? argFile : cmd.stdinText ? undefined : stdinFile(cmd);
  const fromPipe = !cmd.stdinText && file === undefined;
  const previous = upstream[upstream.length - 1];
  const name = previous?.argv[0];
  if (fromPipe && previous && name && !name.dynamic && commandName(name.text, false) === "find") {
    const args = previous.argv.slice(1);
    const start = findStartPaths(args)[0];
    if (start && !start.dynamic) return [foundBy(start, args, ctx.paths)];
  }
  // /dev/null holds no items: xargs runs its command once, with none added.
  if (file && !file.dynamic && file.text === "/dev/null") return [];
  // `<(…)` is what the substitution writes; any other file is only known at run time.
  const substituted = file?.processSub ? { ...file, processSub: false } : undefined;
  // A function or alias the line defines (`echo() { …; }; echo x | xargs rm -rf`) writes what it runs, not the builtin's.
  const written = (word: Word): string | undefined => (word.dynamic ? (runsDefined(word, ctx) ? undefined : substitutionOutput(word, false)?.text) : word.text);
  const text = file
    ? substituted && written(substituted)
    : cmd.stdinText
      ? written(cmd.stdinText)
      : fromPipe && upstream.length > 0 && !runsDefined(upstream, ctx) ? pipelineOutput(upstream, false).text : undefined;
  // xargs splits what it reads at blanks and newlines, under -I into lines, under -0 or -d only at that character.
  const words = text === undefined || delimiter === undefined ? [] : xargsItems(asUtf8(text), delimiter, lines);
  if (words.length > 0 && words.length <= MAX_XARGS_WORDS) return words.map(literalWord);
  // What the pipeline or the substitution writes, so a shell or `-c` given it sees the text (or the download) it is.
  const subs = substituted ? substituted.subs : fromPipe && upstream.length > 0 ? [{ units: [{ kind: "pipeline" as const, stages: upstream }] }] : [];
  // Items from a file may be none at all (an empty file), as an unquoted `$x` may be: `bare` says so.
  return [{ text: RUN_TIME, dynamic: true, glob: false, subs, ...(file ? { bare: true } : {}) }];
}

/**
 * A word of xargs's command under `-I R`, with each input item put wherever R stands in it, as xargs
 * does (`sh -c "rm -rf {}"`, `{}/`, `{}.bak`, not only a whole `{}`): one word per item where they
 * are known (each item runs its own command; judged together, as the items of a plain xargs are), else
 * one word whose R parts are only known at run time.
 */
export function xargsReplaced(w: Word, replace: string, input: Word[]): Word[] {
  if (w.dynamic || !w.text.includes(replace)) return [w];
  if (w.text === replace) return input;
  if (input.every((item) => !item.dynamic)) return input.map((item) => literalWord(w.text.split(replace).join(item.text)));
  return [{ text: w.text.split(replace).join(RUN_TIME), dynamic: true, glob: false, subs: input.flatMap((item) => item.subs) }];
}

/**
 * The command with the names of files `find` hands on put into a shell's `-c` code as text only
 * known at run time, or undefined when no such code takes them. `find . -exec sh -c "wc -l {}" \;`
 * runs each name as shell code: a file named `$(rm -rf ~).txt` runs that, as it does behind a wrapper
 * (`-exec sudo sh -c …`, `env`, `nice`, `timeout 5`). The literal reading (`sh -c "wc -l ./…"`) is
 * judged too, for what the code does with the files.
 */
export function namesInShellCode(argv: Word[], replace: string, items: Word[]): Word[] | undefined {
  // Wrappers in front of the shell (`sudo`, `env X=1`, `nice -n 5`, `timeout 5`) hand it the same code.
  let at = 0;
  for (let guard = 0; guard < 16; guard++) {
    const first = argv[at];
    const rest = first && !first.dynamic ? wrappedCommand(commandName(first.text, false), argv.slice(at + 1)) : undefined;
    if (!rest || rest.length === 0) break;
    at = argv.length - rest.length;
  }
  const shell = argv[at];
  if (!shell || shell.dynamic || !SHELLS.includes(commandName(shell.text, false))) return undefined;
  if (!items.some((item) => !item.dynamic && isFoundStandIn(item))) return undefined;
  const code = argv.findIndex((w, i) => i > at + 1 && !w.dynamic && w.text.includes(replace) && w.text !== replace && /^-[A-Za-z]*c[A-Za-z]*$/.test(argv[i - 1]?.text ?? ""));
  if (code < 0) return undefined;
  return argv.flatMap((w, i) => (i === code ? [{ text: w.text.split(replace).join(RUN_TIME), dynamic: true, glob: false, subs: [] }] : xargsReplaced(w, replace, items)));
}

/** The key files a `find` piped into xargs hands on, where its name filter picks them (see `keyFilesFound`). */
export function foundKeys(upstream: readonly Cmd[]): Word | undefined {
  const find = upstream.at(-1)?.argv;
  if (!find?.[0] || find[0].dynamic || commandName(find[0].text, false) !== "find") return undefined;
  const start = findStartPaths(find.slice(1))[0];
  return start && keyFilesFound(start, find.slice(1));
}

/** More words than this in xargs's input are left as one only known at run time (judged by the worst case). */
const MAX_XARGS_WORDS = 256;
