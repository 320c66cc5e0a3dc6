import type { Word } from "../shell/ir.js";
import { RUN_TIME } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import { operands } from "../shell/match-rule.js";
import { walkOptions } from "../shell/option-walk.js";
import { wrapperChain } from "./command-forms.js";
import { findRuns } from "./find-actions.js";
import { gitReads, type GitReads } from "./git-reads.js";

/** What a command reads through its arguments: files, and folders it reads whole (`grep -r`, `cp -r`, `tar -c`). */
export interface ArgumentReads {
  files: Word[];
  folders: Word[];
  /** It may show any file of a git repository (`git grep P`, `git log -p`, `git show COMMIT`; see `gitReads`). */
  repository: boolean;
  /** Paths git reads from the top of the repository it runs in (`git show HEAD:F`; see `gitReads`). */
  fromTop: TopReads[];
}

/** Files and folders named from the top of the repository git runs in, with where it runs (`-C DIR`) and the work tree it is given. */
export type TopReads = GitReads["fromTop"] & Pick<GitReads, "where" | "workTree">;

/** Commands whose every operand is a file they read (or show, or hand on). */
const EVERY_OPERAND = new Set([
  "cat", "tac", "less", "more", "most", "head", "tail", "nl", "od", "xxd", "hexdump", "strings", "base64", "base32",
  "wc", "sort", "uniq", "cut", "paste", "fold", "fmt", "column", "rev", "tr", "diff", "cmp", "comm", "iconv", "bat",
  "batcat", "view", "vi", "vim", "nvim", "nano", "emacs", "source", ".", "md5sum", "sha1sum", "sha256sum", "sha512sum",
  "cksum", "b2sum", "tar", "bsdtar", "gtar", "zip", "gzip", "bzip2", "xz", "zstd", "zcat", "gpg", "openssl", "scp",
]);
/** Commands that read every operand but the last (the destination), or all of them with `-t DIR`. */
const SOURCES = new Set(["cp", "mv", "ln", "rsync", "install"]);
/** Options that make a copy read whole folders. */
const RECURSIVE_COPY: Record<string, RegExp> = {
  cp: /^(-[A-Za-z]*[rRa]|--recursive$|--archive$)/, scp: /^-[A-Za-z]*r/, rsync: /^(-[A-Za-z]*[ra]|--recursive$|--archive$)/, zip: /^(-[A-Za-z]*r|--recurse-paths$)/,
};
/**
 * Searchers: which options take a value (short ones in `short`; long ones in `long` take the next
 * word when not given `=value`), and whether they search folders whole without being asked (`rg`,
 * `ag`, `ack`). rg's, ag's and ack's lists are their own --help's (ripgrep 14, ag 2.2, ack 3.6).
 */
interface Searcher {
  short: string;
  long: readonly string[];
  recursive: boolean;
  /** Options that take a number only when one follows (ack's `-C 3`, `--context 3`; Perl's Getopt `:i`). */
  optionalNumber?: { short: string; long: readonly string[] };
  /** Options after which no pattern is written: every operand is a path (`rg --files`, `ag -g RE`, `ack -f`). */
  noPattern?: { short: string; long: readonly string[] };
  /** Options that give the files to search in a list (`ack --files-from FILE`, `-x` from standard input): any file may be read. */
  fileList?: { short: string; long: readonly string[] };
}
const GREP: Searcher = { short: "efmABCdD", long: ["--regexp", "--file", "--max-count", "--after-context", "--before-context", "--context", "--directories", "--devices", "--include", "--exclude", "--exclude-from", "--exclude-dir", "--label", "--binary-files", "--group-separator"], recursive: false };
const SEARCHERS: Record<string, Searcher> = {
  grep: GREP,
  egrep: GREP,
  fgrep: GREP,
  rg: {
    short: "efgtTmABCjMrEd",
    long: [
      "--regexp", "--file", "--glob", "--iglob", "--type", "--type-not", "--type-add", "--type-clear", "--max-count", "--after-context", "--before-context",
      "--context", "--threads", "--max-columns", "--replace", "--encoding", "--max-depth", "--maxdepth", "--max-filesize", "--max-bytes", "--sort", "--sortr",
      "--pre", "--pre-glob", "--path-separator", "--colors", "--context-separator", "--field-match-separator", "--field-context-separator", "--ignore-file",
      "--engine", "--dfa-size-limit", "--regex-size-limit", "--color", "--hostname-bin", "--hyperlink-format", "--generate",
    ],
    recursive: true,
    noPattern: { short: "", long: ["--files", "--type-list"] },
  },
  // ag's --after, --before and --context take a value only after `=`; -A, -B and -C always take one.
  ag: {
    short: "ABCGgmpW",
    long: ["--ackmate-dir-filter", "--color-line-number", "--color-match", "--color-path", "--depth", "--file-search-regex", "--filename-pattern", "--ignore", "--ignore-dir", "--max-count", "--pager", "--path-to-ignore", "--width", "--workers"],
    recursive: true,
    noPattern: { short: "g", long: ["--filename-pattern"] },
  },
  ack: {
    short: "ABmtTg",
    long: [
      "--after-context", "--before-context", "--max-count", "--type", "--ignore-dir", "--ignore-directory", "--noignore-dir", "--noignore-directory", "--ignore-file",
      "--match", "--output", "--pager", "--type-set", "--type-add", "--type-del", "--range-start", "--range-end", "--color-filename", "--color-match",
      "--color-colno", "--color-lineno", "--files-from", "--ackrc",
    ],
    recursive: true,
    optionalNumber: { short: "Cp", long: ["--context", "--proximate"] },
    noPattern: { short: "fg", long: ["--match"] },
    fileList: { short: "x", long: ["--files-from"] },
  },
};
/** Commands whose first operand is a program unless one is given by option (`-e`, `-f`). */
const PATTERN_FIRST: Record<string, RegExp | null> = {
  sed: /^(-[A-Za-z]*[ef]|--expression|--file)/,
  awk: /^(-f|--file)/, gawk: /^(-f|--file)/, mawk: /^(-f|--file)/, jq: /^(-f|--from-file)/, yq: null,
};
/** PowerShell cmdlets that read their operands (aliases such as `cat`, `gc`, `type` come as these). */
const POWERSHELL_READERS = new Set(["get-content", "copy-item", "move-item", "select-string", "import-csv", "get-filehash", "format-hex"]);

/**
 * The words of a simple command that name files it plainly reads through its arguments: `cat F`,
 * `head -n 5 F`, `grep PATTERN F`, `cp F DEST`, `dd if=F`, `curl -d @F`, `source F`, also behind
 * wrappers. Option values may come back too: a few words too many only mean more paths are checked
 * against `Read(…)` deny rules. Folders read whole come back as folders: searched (`grep -r x .`,
 * `rg x`, which searches where it runs), copied (`cp -r src d`, `zip -r a.zip .`) or archived (`tar -czf a.tgz .`).
 */
export function argumentReads(words: readonly Word[], powershell: boolean): ArgumentReads {
  const out: Word[] = [];
  const folders: Word[] = [];
  const fromTop: TopReads[] = [];
  let repository = false;
  for (const argv of powershell ? [[...words]] : wrapperChain(words)) {
    const first = argv[0];
    if (!first || first.dynamic) continue;
    const name = commandName(first.text, powershell);
    const args = argv.slice(1);
    const files = operands({ name, args, powershell });
    if (powershell) {
      if (POWERSHELL_READERS.has(name)) out.push(...(name === "copy-item" || name === "move-item" ? files.slice(0, 1) : files));
      continue;
    }
    const given = PATTERN_FIRST[name];
    const searcher = SEARCHERS[name];
    const whole = RECURSIVE_COPY[name];
    const recursive = whole !== undefined && args.some((w) => !w.dynamic && whole.test(w.text));
    if (searcher) {
      const searched = searches(args, searcher);
      out.push(...searched.read.filter((w) => !w.dynamic));
      folders.push(...searched.read.filter((w) => w.dynamic));
      (searched.recursive ? folders : out).push(...searched.paths);
    } else if ((name === "tar" || name === "bsdtar" || name === "gtar") && isTarCreate(args)) folders.push(...tarSources(args));
    else if (name === "zip" && recursive) folders.push(...files.slice(1));
    else if (EVERY_OPERAND.has(name)) out.push(...files);
    else if (SOURCES.has(name) || name === "scp") {
      const sources = args.some((w) => /^(-t|--target-directory)/.test(w.text)) ? files : files.slice(0, -1);
      (recursive ? folders : out).push(...sources);
    }
    else if (given !== undefined) out.push(...(args.some((w) => !w.dynamic && given?.test(w.text)) ? files : files.slice(1)));
    else if (name === "dd") out.push(...args.filter((w) => w.text.startsWith("if=")).map((w) => ({ ...w, text: w.text.slice(3) })));
    else if (name === "curl" || name === "wget" || name === "http") out.push(...uploads(args));
    else if (name === "git") {
      const shown = gitReads(args);
      out.push(...shown.files);
      folders.push(...shown.folders);
      if (shown.fromTop.files.length + shown.fromTop.folders.length > 0) fromTop.push({ ...shown.fromTop, ...(shown.where ? { where: shown.where } : {}), ...(shown.workTree ? { workTree: shown.workTree } : {}) });
      repository ||= shown.repository;
    }
    else if (name === "find") {
      // What `-exec` runs on `{}` reads whatever find finds below its start paths.
      const { starts, commands } = findRuns(args);
      for (const command of commands) {
        const reads = argumentReads(command.map((w) => (!w.dynamic && w.text.includes("{}") ? { ...w, text: w.text.split("{}").join("\u0001") } : w)), false);
        for (const w of reads.files) (w.text.includes("\u0001") ? folders : out).push(...(w.text.includes("\u0001") ? starts : [w]));
        folders.push(...reads.folders.flatMap((w) => (w.text.includes("\u0001") ? starts : [w])));
        repository ||= reads.repository;
        fromTop.push(...reads.fromTop);
      }
    }
  }
  return { files: out, folders, repository, fromTop };
}

const here = (): Word => ({ text: ".", dynamic: false, glob: false, subs: [] });

/**
 * What grep, rg, ag or ack read: the operands after the pattern (every operand when `-e` or `-f`
 * gives it, or an option leaves it out), searched whole with `-r`, `-R`, `-d recurse` (grep) or
 * always (rg, ag, ack), and where the command runs when a recursive search names no path; a file
 * of patterns (`-f FILE`) is read too, and a list of files to search may name any file.
 */
function searches(args: readonly Word[], searcher: Searcher): { paths: Word[]; recursive: boolean; read: Word[] } {
  let given = false;
  let recursive = searcher.recursive;
  const read: Word[] = [];
  const number = (next: Word | undefined): boolean => next !== undefined && !next.dynamic && /^\d+$/.test(next.text);
  const operands = walkOptions(args, (text, next) => {
    if (text.startsWith("--")) {
      const [opt, value] = text.includes("=") ? [text.slice(0, text.indexOf("=")), text.slice(text.indexOf("=") + 1)] : [text, undefined];
      const taken = value === undefined && searcher.long.includes(opt);
      if (opt === "--regexp" || opt === "--file" || searcher.noPattern?.long.includes(opt)) given = true;
      if (opt === "--recursive" || opt === "--dereference-recursive" || (opt === "--directories" && (value ?? next?.text) === "recurse")) recursive = true;
      const file = value === undefined ? next : textWord(value);
      if ((opt === "--file" || searcher.fileList?.long.includes(opt)) && file) read.push(file);
      if (searcher.fileList?.long.includes(opt)) read.push(anything());
      return taken || (value === undefined && !!searcher.optionalNumber?.long.includes(opt) && number(next));
    }
    for (let k = 1; k < text.length; k++) {
      const letter = text[k] ?? "";
      const rest = text.slice(k + 1);
      if (!searcher.recursive && (letter === "r" || letter === "R")) recursive = true;
      if (searcher.noPattern?.short.includes(letter)) given = true;
      if (searcher.fileList?.short.includes(letter)) read.push(anything());
      if (searcher.optionalNumber?.short.includes(letter)) return rest === "" && number(next);
      if (!searcher.short.includes(letter)) continue;
      if (letter === "e" || letter === "f") given = true;
      if (letter === "f" && (rest || next)) read.push(rest ? textWord(rest) : (next as Word));
      if (letter === "d" && !searcher.recursive && (rest || next?.text) === "recurse") recursive = true;
      return rest === "";
    }
    return false;
  });
  const paths = given ? operands : operands.slice(1);
  return { paths: recursive && paths.length === 0 ? [here()] : paths, recursive, read };
}

const textWord = (text: string): Word => ({ text, dynamic: false, glob: false, subs: [] });
/** A file known only when the command runs: it may be any file. */
const anything = (): Word => ({ text: RUN_TIME, dynamic: true, glob: false, subs: [] });

/** tar creating or adding to an archive (`-c`, `-r`, `-u`, `czf` as its first word). */
function isTarCreate(args: readonly Word[]): boolean {
  return args.some((w, i) => !w.dynamic && (/^--(create|append|update)$/.test(w.text) || ((i === 0 || /^-[^-]/.test(w.text)) && /^-?[A-Za-z]*[cru]/.test(w.text) && !/^-?[A-Za-z]*[fCbFgHIKLNTVX][cru]/.test(w.text))));
}

/** What tar archives: its operands (not option values), also under each `-C DIR` it changes to. */
function tarSources(args: readonly Word[]): Word[] {
  const dirs: Word[] = [];
  const files: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    const next = args[i + 1];
    if (!w.dynamic && (w.text === "-C" || w.text === "--directory") && next) {
      dirs.push(next);
      i++;
    } else if (!w.dynamic && w.text.startsWith("--directory=")) dirs.push({ ...w, text: w.text.slice("--directory=".length) });
    else if (!w.dynamic && (/^-[A-Za-z]*f$/.test(w.text) || (i === 0 && /^[A-Za-z]*f/.test(w.text)))) i++;
    else if (i > 0 && (w.dynamic || !w.text.startsWith("-"))) files.push(w);
  }
  const under = (dir: Word, file: Word): Word => (file.dynamic || file.text.startsWith("/") ? file : { ...file, text: `${dir.text}/${file.text}`, dynamic: file.dynamic || dir.dynamic });
  return [...files, ...dirs.flatMap((dir) => files.map((file) => under(dir, file)))];
}

/** Files `curl` sends: `-T F`, `--upload-file F`, and `@F` in `-d`, `--data*`, `-F name=@F`, `--post-file=F`. */
function uploads(args: readonly Word[]): Word[] {
  const out: Word[] = [];
  args.forEach((w, i) => {
    const next = args[i + 1];
    if ((w.text === "-T" || w.text === "--upload-file" || w.text === "--post-file" || w.text === "--body-file") && next) out.push(next);
    else if (/^--(post|body)-file=/.test(w.text)) out.push({ ...w, text: w.text.slice(w.text.indexOf("=") + 1) });
    const at = /(?:^|=)[@<]([^;]+)/.exec(w.text);
    if (at?.[1]) out.push({ ...w, text: at[1] });
  });
  return out;
}
