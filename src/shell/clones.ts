import path from "node:path";
import { literalWord, RUN_TIME, type Cmd, type Word } from "./ir.js";
import type { PathContext } from "./paths.js";
import { contentsFed } from "./data-flow.js";
import { cmdDownloads, isAbsolutePath, resolved, wasDownloaded, wordDownloads } from "./downloads.js";
import { splitLong, walkOptions } from "./option-walk.js";
import { unpacking } from "./unpacked-archives.js";
import { TAR } from "./rules.js";
import type { Finding } from "./types.js";

/**
 * Repositories a line clones (`git clone URL [DIR]`, `gh repo clone`, `svn checkout`, `hg clone`):
 * downloaded code. A script run from one (`cd DIR && ./install.sh`, `bash DIR/setup.sh`,
 * `python3 setup.py`, `make -C DIR`) is `high`, not `critical` as a downloaded file run is: the line
 * names the repository, and cloning one to build it is an everyday flow. A package manager's install
 * or script there (`npm install`, `pip install .`) rates as it does anywhere. The folder is kept in
 * the evaluator's `downloaded`, beside the files a download writes, with a trailing `/`, which no
 * file's path there has, so the forks and merges of that set carry it alike. Where the working
 * directory is only known at run time (`cd "$D"`), a relative path may be in any clone, one into a
 * folder only known at run time ({@link SOMEWHERE}: `git clone URL "$D"`) among them.
 *
 * An archive the line downloads and unpacks is the same (`curl -LO URL/x.tgz && tar xzf x.tgz && cd
 * x && ./install.sh`, `curl … | tar xz -C vendor && make -C vendor/x`): its folder is the one it
 * unpacks into (`-C DIR`, `unzip -d DIR`, `7z x -oDIR`, else the working directory), kept with the
 * mark {@link ARCHIVE} before it, and what is run at or under it is "from an archive this command
 * line downloads". The name of the archive's top folder is not known, so `./configure` run where it
 * was unpacked counts too.
 */

/** The entry for a clone into a folder only known at run time. */
const SOMEWHERE = `${RUN_TIME}/`;

/** The mark before the entry of a folder an archive the line downloads is unpacked into. */
const ARCHIVE = "archive:";

/** Where the code in a folder of the evaluator's `downloaded` comes from: a repository the line clones, an archive it downloads and unpacks. */
export type FolderSource = "repository" | "archive";

const FROM: Readonly<Record<FolderSource, string>> = {
  repository: "a repository this command line clones",
  archive: "an archive this command line downloads",
};

/** The options of each clone command that take the next word as their value (a long one also as `--name=value`). */
const VALUE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  git: ["-o", "--origin", "-b", "--branch", "-u", "--upload-pack", "--reference", "--reference-if-able", "--separate-git-dir", "--depth", "--shallow-since", "--shallow-exclude", "-c", "--config", "--server-option", "-j", "--jobs", "--filter", "--template", "--bundle-uri", "--ref-format", "--revision"],
  gh: ["-u", "--upstream-remote-name"],
  svn: ["-r", "--revision", "--depth", "--set-depth", "--username", "--password", "--password-from-stdin", "--config-dir", "--config-option"],
  hg: ["-r", "--rev", "-b", "--branch", "-u", "--updaterev", "-e", "--ssh", "--remotecmd", "--config", "--cwd", "-R", "--repository"],
};

/** git's options before its subcommand that take a value; `-C DIR` moves where the clone lands. */
const GIT_GLOBAL_VALUES = ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"];

/** What a finding says of code run from a clone or an unpacked download: `./install.sh`, `setup.sh with bash`, `make`. */
export function clonedRun(what: string, from: FolderSource): Finding {
  return { category: "remote code execution", risk: "high", detail: `runs ${what} from ${FROM[from]}` };
}

/** Records the folder a clone command fills, where the line names it or it follows from the source's name. */
export function recordClone(name: string, args: readonly Word[], downloaded: Set<string>, paths: PathContext): void {
  const clone = cloneOf(name, args);
  if (!clone) return;
  const [source, dir] = clone.operands;
  const folder = dir ? (dir.dynamic ? undefined : dir.text) : source && !source.dynamic ? defaultFolder(source.text) : undefined;
  const target = folder === undefined ? undefined : clone.base === undefined ? (isAbsolutePath(folder) ? folder : undefined) : under(clone.base, folder);
  addFolder("", target, downloaded, paths);
}

/**
 * Records the folder `tar -x`, `unzip`, `7z x` or Expand-Archive unpacks into where the archive is a
 * download: a file the line downloaded, or, for tar reading its standard input, a file the line
 * downloaded given to it by `<` (`tar xzf - < x.tgz`), piped into it by `cat`, `zcat` or `gunzip -c`
 * (`cat x.tgz | tar xz`), or a download piped into it (`curl … | tar xz`).
 */
export function recordUnpacked(name: string, args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], downloaded: Set<string>, paths: PathContext, powershell: boolean): void {
  const unpacked = unpacking(name, args);
  if (!unpacked) return;
  const { archive, folder } = unpacked;
  // tar reading its standard input: the files whose contents reach it there (data-flow.ts: `< F`, `cat F |`, `gunzip -c F |`), or a download piped in.
  const fromDownload = archive
    ? wordDownloads(archive, powershell) || wasDownloaded(archive, downloaded, paths.cwd)
    : TAR.includes(name) && (upstream.some((c) => cmdDownloads(c, powershell)) || (!powershell && contentsFed(args, cmd, upstream).stdin.some((f) => wasDownloaded(f, downloaded, paths.cwd))));
  if (fromDownload) addFolder(ARCHIVE, folder.dynamic ? undefined : folder.text, downloaded, paths);
}

/** Adds a folder's entry, with its mark: `target` relative to the working directory or absolute, undefined where only known at run time. */
function addFolder(mark: string, target: string | undefined, downloaded: Set<string>, paths: PathContext): void {
  if (target !== undefined && (isAbsolutePath(target) || !paths.cwdUnknown)) downloaded.add(`${mark}${resolved(target, paths.cwd)}/`);
  else downloaded.add(`${mark}${SOMEWHERE}`);
}

/** Whether a path (a script, a folder) is in a repository the line clones or an archive it downloads and unpacks, and which (the innermost folder's) where both. */
export function inClone(word: Word | undefined, downloaded: ReadonlySet<string>, paths: PathContext): FolderSource | undefined {
  if (!word || word.dynamic || downloaded.size === 0) return undefined;
  const relative = !isAbsolutePath(word.text);
  const at = `${resolved(word.text, paths.cwd)}/`;
  let found: { folder: string; from: FolderSource } | undefined;
  for (const entry of downloaded) {
    if (!entry.endsWith("/")) continue;
    const from: FolderSource = entry.startsWith(ARCHIVE) ? "archive" : "repository";
    const folder = from === "archive" ? entry.slice(ARCHIVE.length) : entry;
    if (((paths.cwdUnknown && relative) || at.startsWith(folder)) && (!found || folder.length > found.folder.length)) found = { folder, from };
  }
  return found?.from;
}

/**
 * `make`, `make -C DIR`, `make -f DIR/Makefile`, `nmake /F DIR\Makefile`: whether the makefile it
 * reads is in a clone or an unpacked download, and which.
 */
export function makesInClone(name: string, args: readonly Word[], downloaded: ReadonlySet<string>, paths: PathContext): FolderSource | undefined {
  if (!["make", "gmake", "nmake"].includes(name) || downloaded.size === 0) return undefined;
  if (name === "nmake") {
    const file = nmakeFile(args);
    return file?.dynamic ? undefined : inClone(file ?? literalWord("."), downloaded, paths);
  }
  let dir: string | undefined = ".";
  let file: Word | undefined;
  const value = (i: number, w: Word, letter: string, long: string): Word | undefined => {
    if (w.text === `-${letter}` || w.text === long) return args[i + 1];
    if (w.text.startsWith(`${long}=`)) return { ...w, text: w.text.slice(long.length + 1) };
    if (/^-[A-Za-z]+$/.test(w.text) && w.text.endsWith(letter)) return args[i + 1];
    if (new RegExp(`^-${letter}.`).test(w.text)) return { ...w, text: w.text.slice(2) };
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-")) continue;
    if (w.text === "--") break;
    const to = value(i, w, "C", "--directory");
    if (to) dir = to.dynamic || dir === undefined ? undefined : under(dir, to.text);
    const makefile = value(i, w, "f", "--file") ?? value(i, w, "f", "--makefile");
    if (makefile) file = makefile;
  }
  if (dir === undefined || file?.dynamic) return undefined;
  return inClone(literalWord(file ? under(dir, file.text) : dir), downloaded, paths);
}

/** The makefile nmake reads where one is named: `/F FILE`, `-F FILE` or `/FFILE`, in any case (nmake has no `-C`: its `/C` only quiets it). */
function nmakeFile(args: readonly Word[]): Word | undefined {
  let file: Word | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !/^[/-]f/i.test(w.text)) continue;
    file = w.text.length > 2 ? { ...w, text: w.text.slice(2) } : args[i + 1];
  }
  return file;
}

/** A clone command's source and folder operands, and the folder it works in (`git -C DIR`); undefined for any other command. */
function cloneOf(name: string, args: readonly Word[]): { operands: Word[]; base: string | undefined } | undefined {
  let base: string | undefined = ".";
  let rest = [...args];
  if (name === "git") {
    for (;;) {
      const w = rest[0];
      if (!w || w.dynamic || !w.text.startsWith("-")) break;
      const takes = GIT_GLOBAL_VALUES.includes(w.text);
      if (w.text.startsWith("-C")) {
        const dir = w.text === "-C" ? rest[1] : { ...w, text: w.text.slice(2) };
        base = !dir || dir.dynamic || base === undefined ? undefined : under(base, dir.text);
      }
      rest = rest.slice(takes ? 2 : 1);
    }
  }
  const sub = (rest[0]?.dynamic ? "" : rest[0]?.text) ?? "";
  const valueOptions = VALUE_OPTIONS[name] ?? [];
  let after: Word[];
  if (name === "git" && sub === "clone") after = rest.slice(1);
  else if (name === "gh" && sub === "repo" && !rest[1]?.dynamic && rest[1]?.text === "clone") after = rest.slice(2);
  else if (name === "svn" && (sub === "checkout" || sub === "co")) after = rest.slice(1);
  else if (name === "hg" && sub === "clone") after = rest.slice(1);
  else return undefined;
  // gh hands the words after `--` to git clone: they are git's options, not its operands.
  const end = name === "gh" ? after.findIndex((w) => !w.dynamic && w.text === "--") : -1;
  const own = end >= 0 ? after.slice(0, end) : after;
  const operands = walkOptions(own, (text) => {
    const [option, inline] = splitLong(text);
    return inline === undefined && valueOptions.includes(option);
  });
  // svn checks out one or more URLs, into the last operand where that is no URL.
  if (name === "svn" && operands.length > 1 && operands.every((w) => w.dynamic || /^[a-z+]+:\/\//.test(w.text))) return { operands: [operands[0] as Word], base };
  return { operands: name === "svn" && operands.length > 2 ? [operands[0] as Word, operands.at(-1) as Word] : operands, base };
}

/** The folder a clone makes by default: the source's last part, less `.git` (`https://x.io/a/b.git` and `git@x.io:a/b` make `b`). */
function defaultFolder(source: string): string | undefined {
  const trimmed = source.split(/[?#]/)[0]?.replace(/@[^/@:]*$/, "").replace(/\/+$/, "").replace(/\/\.git$/, "") ?? "";
  const last = trimmed.split(/[/:]/).pop()?.replace(/\.git$/, "");
  return last && last !== "." && last !== ".." ? last : undefined;
}

/** `file` in `dir`, both maybe relative (to the working directory): `file` itself where it is absolute. */
function under(dir: string, file: string): string {
  const posix = file.replace(/\\/g, "/");
  return isAbsolutePath(posix) ? posix : path.posix.join(dir, posix);
}
