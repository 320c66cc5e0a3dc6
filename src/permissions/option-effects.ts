import path from "node:path";
import type { Word } from "../shell/ir.js";
import { splitLong } from "../shell/option-walk.js";
import { gitCall } from "./git-args.js";

/**
 * Whether `text` (an option's name, `--outp`) is `full` or an abbreviation git would take for it:
 * git's option parser accepts any unambiguous prefix of a long option. A prefix that is ambiguous
 * for git is refused by git, so counting it here errs only on the careful side.
 */
function names(text: string, full: string, shortest = 4): boolean {
  return text.startsWith("--") && text.length >= Math.min(shortest, full.length) && full.startsWith(text);
}

/** Subcommands that take the diff options, among them `--output=FILE` (the diff goes to that file). */
const DIFF_OUTPUT = new Set(["diff", "log", "show", "whatchanged", "diff-tree", "diff-index", "diff-files", "range-diff", "format-patch", "stash"]);

/**
 * Files and folders a git subcommand writes through its options, beside what it changes in the
 * work tree: `git diff|log|show --output=F` (the output, whose text `--format` chooses), `git archive
 * -o F`, `git bundle create F`, and the folder `git format-patch -o DIR` writes its patches into.
 * A prefix rule for the subcommand (`Bash(git log:*)`) is no consent to write `.git/config` or `~/.bashrc`.
 */
export function gitOptionWrites(sub: string, rest: readonly Word[]): { files: Word[]; folders: Word[] } {
  const files: Word[] = [];
  const folders: Word[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (!w || w.dynamic || !w.text.startsWith("-")) continue;
    if (w.text === "--") break;
    const [opt, inline] = splitLong(w.text);
    const value = (): Word | undefined => (inline !== undefined ? { ...w, text: inline } : rest[++i]);
    let into: Word[] | undefined;
    if (sub === "format-patch" && (opt === "-o" || names(opt, "--output-directory", 9))) into = folders;
    else if (sub === "archive" && (opt === "-o" || names(opt, "--output", 5))) into = files;
    else if (DIFF_OUTPUT.has(sub) && opt === "--output") into = files;
    else if (sub === "format-patch" && w.text.startsWith("-o") && w.text.length > 2) {
      folders.push({ ...w, text: w.text.slice(2) });
      continue;
    } else if (sub === "archive" && w.text.startsWith("-o") && w.text.length > 2) {
      files.push({ ...w, text: w.text.slice(2) });
      continue;
    }
    const target = into ? value() : undefined;
    if (into && target) into.push(target);
  }
  // `git bundle create FILE REV…`: the bundle is written to FILE.
  if (sub === "bundle") {
    const operands = rest.filter((w) => w.dynamic || !w.text.startsWith("-"));
    if (operands[0]?.text === "create" && operands[1]) files.push(operands[1]);
  }
  // Patches written where git runs are named from commit subjects (`0001-fix.patch`): only another folder matters.
  return { files, folders: folders.filter((f) => f.dynamic || path.posix.normalize(f.text) !== ".") };
}

/** Options of a git subcommand that name a program git runs (long names; short ones listed apart). */
const PROGRAM_OPTIONS: Readonly<Record<string, { long: readonly string[]; short?: readonly string[] }>> = {
  grep: { long: ["--open-files-in-pager"], short: ["-O"] },
  fetch: { long: ["--upload-pack"] },
  pull: { long: ["--upload-pack"] },
  "ls-remote": { long: ["--upload-pack"], short: ["-u"] },
  clone: { long: ["--upload-pack"], short: ["-u"] },
  "fetch-pack": { long: ["--upload-pack", "--exec"] },
  push: { long: ["--receive-pack", "--exec"] },
  "send-pack": { long: ["--receive-pack", "--exec"] },
  archive: { long: ["--exec"] },
  difftool: { long: ["--extcmd"], short: ["-x"] },
  rebase: { long: ["--exec"], short: ["-x"] },
  "send-email": { long: ["--to-cmd", "--cc-cmd", "--header-cmd", "--sendmail-cmd", "--smtp-server"] },
};

/** Subcommands whose operands are commands git runs: `git submodule foreach CMD`, `git bisect run CMD`, `git filter-branch --tree-filter CMD`. */
const RUNS_OPERANDS: Readonly<Record<string, string | true>> = { submodule: "foreach", bisect: "run", "filter-branch": true };

/**
 * Why `git …` (its words after `git`) runs a program the command line names, or undefined:
 * `git grep -O CMD`, `git fetch --upload-pack=CMD`, `git push --receive-pack=CMD`,
 * `git difftool -x CMD`, `git submodule foreach CMD`. Such a call is no plainer than running CMD
 * itself, so only a rule that names it exactly allows it (as a high-risk command).
 */
export function gitRunsProgram(args: readonly Word[]): string | undefined {
  const { sub, rest } = gitCall(args);
  if (!sub || sub.dynamic) return undefined;
  const operands = rest.filter((w) => w.dynamic || !w.text.startsWith("-"));
  const runs = RUNS_OPERANDS[sub.text];
  if (runs === true || (runs !== undefined && operands[0]?.text === runs)) return `git ${sub.text} runs the commands it is given`;
  const options = PROGRAM_OPTIONS[sub.text];
  if (!options) return undefined;
  for (const w of rest) {
    if (w.dynamic || !w.text.startsWith("-")) continue;
    if (w.text === "--") break;
    const [opt] = splitLong(w.text);
    const long = options.long.find((full) => names(opt, full, 5));
    const short = options.short?.find((letter) => w.text.startsWith(letter) && !w.text.startsWith("--") && (letter !== "-O" || w.text.length > 2));
    if (long || short) return `git ${sub.text} ${long ?? short ?? ""} runs the program it names`;
  }
  return undefined;
}

/** Options of other commands that name a program they run: long names (abbreviations count), short ones (also in a bundle: `-cIprog`). */
const COMMAND_PROGRAM_OPTIONS: Readonly<Record<string, { long: readonly string[]; short?: readonly string[] }>> = {
  rg: { long: ["--pre"] },
  sort: { long: ["--compress-program"] },
  tar: { long: ["--use-compress-program", "--to-command", "--checkpoint-action", "--info-script", "--new-volume-script", "--rsh-command"], short: ["I", "F"] },
  man: { long: ["--pager", "--html"], short: ["P", "H"] },
  zip: { long: ["--unzip-command"] },
  rsync: { long: ["--rsh", "--rsync-path"], short: ["e"] },
  npm: { long: ["--script-shell"] },
  pnpm: { long: ["--script-shell"] },
};

/** Go's flags, written with one dash or two, that name a program the go command runs. */
const GO_PROGRAM_FLAGS = /^--?(?:exec|toolexec|vettool)(?:=|$)/;

/**
 * Why a command runs a program one of its options names, or undefined: git's (see
 * {@link gitRunsProgram}), `rg --pre CMD`, `sort --compress-program=CMD`, `tar -I CMD`,
 * `man -P CMD`, `zip -TT CMD`, `rsync -e CMD`, `npm test --script-shell CMD`, `go test -exec CMD`,
 * `make SHELL=CMD`. A rule for the command (`Bash(rg:*)`) is no consent to run CMD: such a call
 * counts as high-risk, which only a rule naming the exact command allows.
 */
export function optionProgram(words: readonly Word[]): string | undefined {
  const first = words[0];
  if (!first || first.dynamic) return undefined;
  const name = path.basename(first.text.replace(/\\/g, "/")).toLowerCase().replace(/\.exe$/, "");
  const args = words.slice(1);
  if (name === "git") return gitRunsProgram(args);
  if (name === "go") {
    const flag = args.find((w) => !w.dynamic && GO_PROGRAM_FLAGS.test(w.text));
    return flag ? `go ${splitLong(flag.text)[0]} runs the program it names` : undefined;
  }
  if (name === "make" || name === "gmake") {
    return args.some((w) => !w.dynamic && /^SHELL=/.test(w.text)) ? "make SHELL=… runs every recipe with the program it names" : undefined;
  }
  const options = COMMAND_PROGRAM_OPTIONS[name];
  if (!options) return undefined;
  for (const w of args) {
    if (w.dynamic || !w.text.startsWith("-")) continue;
    if (w.text === "--") break;
    if (w.text.startsWith("--")) {
      const long = options.long.find((full) => names(splitLong(w.text)[0], full, 4));
      if (long) return `${name} ${long} runs the program it names`;
      continue;
    }
    if (name === "zip" && w.text.startsWith("-TT")) return "zip -TT runs the program it names";
    // A bundle of short options: a letter that takes a program may come anywhere in it.
    const letter = options.short?.find((l) => w.text.slice(1).includes(l));
    if (letter) return `${name} -${letter} runs the program it names`;
  }
  return undefined;
}

/**
 * Options that name a file a command writes, beside its main output: `sort -o F`, `find -fprint F`,
 * `openssl … -out F`, `curl -D F`, `wget -o LOG`, `gcc -o F` (a program, made executable: at
 * `.git/hooks/pre-commit` git would run it). `bundles`: short options may be grouped (`sort -uo F`).
 */
const OUTPUT_OPTIONS: Readonly<Record<string, { options: readonly string[]; bundles?: true }>> = {
  sort: { options: ["-o", "--output"], bundles: true },
  find: { options: ["-fprint", "-fprint0", "-fprintf", "-fls"] },
  openssl: { options: ["-out", "-keyout"] },
  base64: { options: ["-o", "--output"], bundles: true },
  iconv: { options: ["-o", "--output"], bundles: true },
  wget: { options: ["-o", "--output-file", "-a", "--append-output"], bundles: true },
  curl: { options: ["-D", "--dump-header", "--trace", "--trace-ascii", "-c", "--cookie-jar", "--stderr", "--etag-save", "--libcurl"], bundles: true },
  pandoc: { options: ["-o", "--output"] },
  gcc: { options: ["-o"] },
  "g++": { options: ["-o"] },
  cc: { options: ["-o"] },
  "c++": { options: ["-o"] },
  clang: { options: ["-o"] },
  "clang++": { options: ["-o"] },
  rustc: { options: ["-o", "--out-dir"] },
  go: { options: ["-o", "--o"] },
  tsc: { options: ["--outFile", "--outDir", "--out"] },
};

/** The files `name ARGS` writes through the options of {@link OUTPUT_OPTIONS}, as written. */
export function outputOptionFiles(name: string, args: readonly Word[]): Word[] {
  const spec = OUTPUT_OPTIONS[name];
  if (!spec) return [];
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-")) continue;
    if (w.text === "--") break;
    const next = (): void => {
      const value = args[i + 1];
      if (value) out.push(value);
      i++;
    };
    const [opt, inline] = splitLong(w.text);
    const long = spec.options.find((o) => o.length > 2 && (o === opt || (o.startsWith("--") && names(opt, o, 5))));
    if (long) {
      if (inline !== undefined) out.push({ ...w, text: inline });
      else next();
      continue;
    }
    if (w.text.startsWith("--")) continue;
    const shorts = spec.options.filter((o) => o.length === 2).map((o) => o[1] ?? "");
    // `-o F`, `-oF`; grouped where the command allows it (`-uo F`, `-uoF`).
    const letters = w.text.slice(1);
    const at = spec.bundles ? [...letters].findIndex((c) => shorts.includes(c)) : shorts.includes(letters[0] ?? "") ? 0 : -1;
    if (at < 0) continue;
    const rest = letters.slice(at + 1);
    if (rest !== "") out.push({ ...w, text: rest.replace(/^=/, "") });
    else next();
  }
  return out;
}
