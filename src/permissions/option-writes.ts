import path from "node:path";
import type { Word } from "../shell/ir.js";
import { splitLong, walkOptions } from "../shell/option-walk.js";
import { gitCall, under } from "./git-args.js";
import { gitOptionWrites } from "./option-effects.js";

/** What a command writes through its options: files it names, and folders it writes files into whose names wren cannot know. */
export interface OptionWrites {
  files: Word[];
  /** Folders git runs in or creates: `git -C DIR`, `--work-tree DIR`, `git clone URL DIR`. */
  folders: Word[];
  /**
   * Folders an archive or a diff is unpacked into, `.` for where it runs: `tar -x -C DIR`,
   * `unzip -d DIR`, `patch -d DIR`, `git apply`. What lands there is only known when it runs.
   */
  unpacked: Word[];
  /**
   * Folders whose git work tree a command rewrites wholesale from a commit, a branch, a stash or the
   * index (`git checkout BRANCH`, `git merge`, `git pull`, `git reset --hard`): the folder git runs
   * in, whose work tree may reach up to the project root, or the `--work-tree` it is given.
   */
  trees?: Word[];
  /**
   * The tree rewrite is git's alone and ends when git does: a subcommand that runs only git and the
   * repository's hooks (no `-x`/`--exec`, `--upload-pack`, `-s STRATEGY`, `-i`, no `-c`,
   * `--git-dir` or `--work-tree`), so what it changes in wren's own folder can be put back after it
   * (see `TreeGuard`). Absent where it may run a program the model chose, which could change the
   * folder after the command returns.
   */
  plainTree?: boolean;
  /**
   * Where git looks for the repository it uses (`git -C DIR`, or where it runs), whose config and
   * hooks it runs: the folder itself may be one (a bare repository), or one above it holds `.git`.
   */
  gitRuns?: Word[];
  /** Folders git is told are its repository (`--git-dir DIR`), or makes one (`git init --bare DIR`). */
  gitDirs?: Word[];
}

const NONE: OptionWrites = { files: [], folders: [], unpacked: [] };
const word = (text: string): Word => ({ text, dynamic: false, glob: false, subs: [] });
const here = (): Word => word(".");
/** Anywhere: members with absolute names or `..` (`tar -P`, `unzip -:`, `git apply --unsafe-paths`). */
const anywhere = (): Word => word("/");

/**
 * The writes of archive tools, git and patch, whose targets are option values or come from an
 * archive or a diff: `tar -xf A -C DIR`, `tar -cf OUT`, `unzip A -d DIR`, `7z x A -oDIR`,
 * `git -C DIR …`, `git clone URL DIR`, `patch FILE P`, `patch -o OUT`, `patch -d DIR`.
 */
export function optionWrites(name: string, args: readonly Word[]): OptionWrites {
  switch (name) {
    case "tar":
    case "gtar":
    case "bsdtar":
      return tarWrites(args);
    case "unzip":
      return unzipWrites(args);
    case "7z":
    case "7za":
    case "7zr":
      return sevenZipWrites(args);
    case "git":
      return gitWrites(args);
    case "patch":
      return patchWrites(args);
    default:
      return NONE;
  }
}

/** Short options of tar that take a value (GNU and bsdtar). */
const TAR_VALUES = new Set(["f", "C", "b", "F", "g", "H", "I", "K", "L", "N", "T", "V", "X"]);
const TAR_MODES: Record<string, string> = { "--extract": "x", "--get": "x", "--create": "c", "--append": "r", "--update": "u", "--catenate": "A", "--concatenate": "A", "--list": "t", "--diff": "d", "--compare": "d", "--delete": "D" };

function tarWrites(args: readonly Word[]): OptionWrites {
  let mode = "";
  const dirs: Word[] = [];
  let archive: Word | undefined;
  const take = (letter: string, value: Word | undefined): void => {
    if (letter === "C" && value) dirs.push(value);
    if (letter === "f") archive = value;
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic) continue;
    if (w.text === "--") break;
    if (w.text.startsWith("--")) {
      const [opt = "", value] = splitLong(w.text);
      mode += TAR_MODES[opt] ?? "";
      if (opt === "--to-stdout" || opt === "--absolute-names") mode += opt === "--to-stdout" ? "O" : "P";
      if (opt === "--directory" || opt === "--file") take(opt === "--file" ? "f" : "C", value === undefined ? args[++i] : word(value));
      continue;
    }
    const oldStyle = i === 0 && !w.text.startsWith("-");
    if (!oldStyle && (!w.text.startsWith("-") || w.text === "-")) continue;
    const cluster = oldStyle ? w.text : w.text.slice(1);
    let next = i + 1;
    for (let k = 0; k < cluster.length; k++) {
      const letter = cluster[k] ?? "";
      if ("xcrutdAOP".includes(letter)) mode += letter;
      if (!TAR_VALUES.has(letter)) continue;
      if (oldStyle) take(letter, args[next++]);
      else {
        const rest = cluster.slice(k + 1);
        take(letter, rest ? word(rest) : args[next++]);
        break;
      }
    }
    i = next - 1;
  }
  const files = archive && archive.text !== "-" && /[cruA]/.test(mode) ? [archive] : [];
  // Extracting writes the archive's files under -C's folder, or where tar runs (-O: to standard
  // output; -P: absolute names, anywhere). A mode tar was not given leaves only -C's folder.
  const kind = mode.replace(/[OP]/g, "");
  if (mode.includes("O") && kind.includes("x")) return { files, folders: [], unpacked: [] };
  const unpacked = kind.includes("x") || kind === "" ? (dirs.length > 0 ? dirs : kind === "" ? [] : [here()]) : [];
  return { files, folders: [], unpacked: mode.includes("P") && unpacked.length > 0 ? [...unpacked, anywhere()] : unpacked };
}

function unzipWrites(args: readonly Word[]): OptionWrites {
  const dirs: Word[] = [];
  let listing = false;
  let dotDot = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-") || w.text.startsWith("--")) continue;
    const d = w.text.indexOf("d");
    if (d > 0) {
      const rest = w.text.slice(d + 1);
      const dir = rest ? word(rest) : args[++i];
      if (dir) dirs.push(dir);
    }
    const letters = d > 0 ? w.text.slice(1, d) : w.text.slice(1);
    if (/[ltvpZ]/.test(letters)) listing = true;
    if (letters.includes(":")) dotDot = true;
  }
  const unpacked = dirs.length > 0 ? dirs : listing ? [] : [here()];
  return { files: [], folders: [], unpacked: dotDot && unpacked.length > 0 ? [...unpacked, anywhere()] : unpacked };
}

function sevenZipWrites(args: readonly Word[]): OptionWrites {
  const command = args.find((w) => !w.dynamic && !w.text.startsWith("-"));
  if (!command || !["x", "e"].includes(command.text)) return NONE;
  const out = args.filter((w) => !w.dynamic && w.text.startsWith("-o")).map((w) => ({ ...w, text: w.text.slice(2) }));
  return { files: [], folders: [], unpacked: out.length > 0 ? out : [here()] };
}

/**
 * `git -C DIR` runs git in DIR (several compose); `--work-tree` and `--git-dir` name folders it
 * writes; `clone`/`init` create one; `apply` and `am` write what a diff holds where git runs.
 */
function gitWrites(args: readonly Word[]): OptionWrites {
  const { where, workTree, gitDir, folders, sub, rest } = gitCall(args);
  if (where) folders.push(where);
  const operands = rest.filter((w) => w.dynamic || !w.text.startsWith("-"));
  const created = sub?.text === "clone" ? operands.slice(1, 2) : sub?.text === "init" ? operands.slice(0, 1) : sub?.text === "worktree" ? worktreeAdded(rest) : [];
  folders.push(...created.map((w) => under(where, w)));
  // What a new repository's git runs later: hooks from `--template`, settings from clone's `-c`.
  const seeded = sub?.text === "clone" || sub?.text === "init" ? seededFiles(sub.text, rest) : [];
  // `git checkout -- .` writes whatever the index holds anywhere below: as unpacking there.
  const paths = checkedOut(sub?.text, rest).map((w) => under(where, w));
  const whole = (w: Word): boolean => !w.dynamic && (path.posix.normalize(w.text) === "." || w.text === ":/");
  const unpacked = [...(sub?.text === "apply" || sub?.text === "am" ? applied(sub.text, rest, where) : []), ...paths.filter(whole).map((w) => (w.text === ":/" ? here() : w))];
  const trees = sub && !sub.dynamic && rewritesTree(sub.text, rest) ? [workTree ?? where ?? here()] : [];
  // What its options write: `git log --output=F`, `git archive -o F`, `git format-patch -o DIR`.
  const byOptions = sub && !sub.dynamic ? gitOptionWrites(sub.text, rest) : { files: [], folders: [] };
  unpacked.push(...byOptions.folders.map((w) => under(where, w)));
  const changed = [...removed(sub?.text, rest), ...(sub?.text === "config" ? configWritten(rest) : []), ...seeded, ...byOptions.files].map((w) => under(where, w));
  // `git mv src old` and `git rm -r src` take every file below along, as `mv` and `rm -r` do.
  if (sub?.text === "mv" || rest.some((w) => !w.dynamic && /^(-[A-Za-z]*r[A-Za-z]*)$/.test(w.text))) unpacked.push(...changed);
  const plainTree = trees.length > 0 && sub !== undefined && plainRewrite(args.slice(0, args.indexOf(sub)), sub.text, rest);
  const gitDirs = [...(gitDir ? [gitDir] : []), ...(sub?.text === "clone" || sub?.text === "init" ? madeBare(sub.text, rest).map((w) => under(where, w)) : [])];
  return { files: [...paths.filter((w) => !whole(w)), ...changed], folders, unpacked, trees, ...(plainTree ? { plainTree } : {}), gitRuns: [where ?? here()], gitDirs };
}

/** Tree rewrites that run only git and the repository's hooks, unless given one of {@link RUNS_PROGRAMS}. */
const PLAIN_TREE_WRITERS = new Set(["merge", "pull", "rebase", "cherry-pick", "revert", "stash", "reset", "checkout", "switch"]);
/** Options of those that run a program the model names, or an editor: `rebase -x CMD`, `pull --upload-pack=CMD`, `merge -s STRATEGY`. */
const RUNS_PROGRAMS = /^(-x|--exec|--upload-pack|--receive-pack|-s|--strategy|-i|--interactive|--recurse-submodules|--edit|-e)(=|$)|^-[A-Za-z]*[xsi]$|^--rebase=(i|interactive)$/;
/** git's own options that leave where it works and what it runs as they are. */
const PLAIN_GIT_OPTIONS = /^(-C|--no-pager|-P|--no-replace-objects|--no-optional-locks|--literal-pathspecs|--no-advice)$/;

/**
 * Whether a work-tree rewrite runs git alone, so wren can put back what it changed in its own
 * folder once git returns: no word known only at run time, none of git's options that choose another
 * repository, work tree, configuration or program (`-c`, `--git-dir`, `--work-tree`, `--exec-path`),
 * and none of the subcommand's that run a command (`rebase -x`, `pull --upload-pack`, `merge -s`).
 */
function plainRewrite(before: readonly Word[], sub: string, rest: readonly Word[]): boolean {
  if (!PLAIN_TREE_WRITERS.has(sub) || before.some((w) => w.dynamic) || rest.some((w) => w.dynamic)) return false;
  for (let i = 0; i < before.length; i++) {
    const w = before[i];
    if (!w || !PLAIN_GIT_OPTIONS.test(w.text)) return false;
    if (w.text === "-C") i++;
  }
  const end = rest.findIndex((w) => w.text === "--");
  return !(end < 0 ? rest : rest.slice(0, end)).some((w) => RUNS_PROGRAMS.test(w.text));
}

/** Subcommands that write the whole work tree from a commit, a stash or the index, whatever their options. */
const TREE_WRITERS = new Set(["merge", "pull", "rebase", "cherry-pick", "revert", "bisect", "filter-branch", "sparse-checkout"]);
/** Stash subcommands that only look or store: the rest (`pop`, `apply`, `branch`, `push`, none) write the work tree. */
const STASH_READS = new Set(["list", "show", "drop", "clear", "create", "store"]);

/**
 * Whether `git SUB ARGS` rewrites the work tree as a whole: what lands there comes from a commit,
 * a branch, a stash or the index, any of which the model may have built with git itself
 * (`git update-index --cacheinfo`, `git commit-tree`, `git stash store`), so it may be anything.
 * `git checkout BRANCH` and `git switch BRANCH` do; `git checkout -b NEW` with no start point, and
 * checkouts of named paths (judged as the paths they write), do not.
 */
function rewritesTree(sub: string, args: readonly Word[]): boolean {
  const has = (pattern: RegExp): boolean => args.some((w) => !w.dynamic && pattern.test(w.text));
  if (TREE_WRITERS.has(sub)) return !has(/^(-h|--help)$/);
  if (sub === "stash") {
    const action = args.find((w) => w.dynamic || !w.text.startsWith("-"));
    return action === undefined || action.dynamic || !STASH_READS.has(action.text);
  }
  if (sub === "reset") return has(/^--(hard|keep|merge)$/);
  // Submodules are checked out where .gitmodules says, which the model may have written.
  if (sub === "submodule") return args.some((w) => w.dynamic || w.text === "update" || w.text === "add");
  if (sub === "read-tree") return has(/^-u$/);
  if (sub === "checkout-index") return has(/^(-a|--all|--stdin)$|^-[A-Za-z]*a/);
  if (sub !== "checkout" && sub !== "switch") return false;
  if (args.some((w) => !w.dynamic && w.text === "--")) return false;
  // The branch a new one is made under (`-b NEW`, `-c NEW`, `--orphan NEW`) is no start point.
  const named = sub === "checkout" ? /^(-[bB]|--orphan)$/ : /^(-[cC]|--create|--force-create|--orphan)$/;
  const operands = args.filter((w, k) => (w.dynamic || !w.text.startsWith("-") || w.text === "-") && !(k > 0 && !args[k - 1]?.dynamic && named.test(args[k - 1]?.text ?? "")));
  // `git checkout COMMIT PATH…` writes the paths only; `git switch --orphan NEW` empties the tree.
  if (sub === "checkout" && operands.length >= 2) return false;
  return operands.length === 1 || has(/^(-f|--force|--discard-changes|--orphan)$/);
}

/** The folder `git worktree add [-b NEW] PATH [COMMIT]` checks a work tree out into. */
function worktreeAdded(args: readonly Word[]): Word[] {
  const at = args.findIndex((w) => !w.dynamic && w.text === "add");
  if (at < 0) return [];
  const after = args.slice(at + 1);
  const folder = after.find((w, k) => (w.dynamic || !w.text.startsWith("-")) && !(k > 0 && /^(-[bB]|--reason)$/.test(after[k - 1]?.text ?? "")));
  return folder ? [folder] : [];
}

/** `git config` options that only read, or whose value is a file git reads settings from (`--blob`). */
const CONFIG_READS = /^(--get|--get-all|--get-regexp|--get-urlmatch|--get-color|--get-colorbool|-l|--list|--blob)$/;
/** `git config` options and subcommands that change settings whatever else is given. */
const CONFIG_CHANGES = /^(--add|--replace-all|--unset|--unset-all|--rename-section|--remove-section|-e|--edit|set|unset|edit|rename-section|remove-section)$/;
/** `git config` options that take a value. */
const CONFIG_VALUES = new Set(["-f", "--file", "--blob", "--type", "--default", "--comment", "--value"]);

/**
 * The file `git config ARGS` changes, or none when it only reads (`--get`, `-l`, `get`, a name
 * alone): `--file F`, `~/.gitconfig` for `--global` (a file wren cannot place: `$GIT_CONFIG_GLOBAL`
 * or `$XDG_CONFIG_HOME` may move it), `/etc/gitconfig` for `--system`, else the repository's
 * `.git/config` (`.git/config.worktree` with `--worktree`), named from where git runs: git finds
 * it at the repository's top, and every `.git/config` in the project is protected alike.
 */
function configWritten(args: readonly Word[]): Word[] {
  let file: Word | undefined;
  let scope = "";
  let changes = false;
  let reads = false;
  const operands: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (w.dynamic || !w.text.startsWith("-")) {
      if (operands.length === 0 && !w.dynamic && CONFIG_CHANGES.test(w.text)) changes = true;
      else if (operands.length === 0 && !w.dynamic && (w.text === "get" || w.text === "list")) reads = true;
      operands.push(w);
      continue;
    }
    const [opt = "", inline] = splitLong(w.text);
    const value = CONFIG_VALUES.has(opt) ? (inline === undefined ? args[++i] : word(inline)) : undefined;
    if ((opt === "-f" || opt === "--file") && value) file = value;
    if (/^--(global|system|worktree)$/.test(opt)) scope = opt;
    if (CONFIG_CHANGES.test(opt)) changes = true;
    else if (CONFIG_READS.test(opt)) reads = true;
  }
  if (!changes && (reads || operands.length <= 1)) return [];
  if (file) return [file];
  if (scope === "--global") return [{ ...word("~/.gitconfig"), dynamic: true }];
  if (scope === "--system") return [word("/etc/gitconfig")];
  return [word(scope === "--worktree" ? ".git/config.worktree" : ".git/config")];
}

/** Options of `git clone` and `git init` that take a value. */
const NEW_REPOSITORY_VALUES = new Set(["-o", "--origin", "-b", "--branch", "--initial-branch", "-u", "--upload-pack", "--reference", "--reference-if-able", "--separate-git-dir", "--depth", "--shallow-since", "--shallow-exclude", "-c", "--config", "--server-option", "-j", "--jobs", "--filter", "--template", "--bundle-uri", "--object-format", "--ref-format"]);

/**
 * The git folder files `git clone` or `git init` fills from what the model may have written: the
 * hooks (`.git/hooks`) copied from `--template=DIR`, and the settings (`.git/config`) clone's
 * `-c`/`--config KEY=VALUE` writes, in the folder it makes.
 */
function seededFiles(sub: string, args: readonly Word[]): Word[] {
  const { template, config, folder } = newRepository(sub, args);
  if (!template && !config) return [];
  const inFolder = (file: string): Word => ({ ...folder, text: path.join(folder.text, file) });
  return [...(template ? [inFolder(path.join(".git", "hooks"))] : []), ...(config ? [inFolder(path.join(".git", "config"))] : [])];
}

/** The folder `git init --bare`, `git clone --bare` or `--mirror` makes a repository of, whose config and hooks lie in it, not in a `.git`. */
function madeBare(sub: string, args: readonly Word[]): Word[] {
  const { bare, folder } = newRepository(sub, args);
  return bare ? [folder] : [];
}

/** What `git clone` or `git init` is asked to make, and where (clone: the folder named, else the repository's name; init: the one named, else where it runs). */
function newRepository(sub: string, args: readonly Word[]): { template: boolean; config: boolean; bare: boolean; folder: Word } {
  let template = false;
  let config = false;
  let bare = false;
  const operands: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (w.dynamic || !w.text.startsWith("-")) {
      operands.push(w);
      continue;
    }
    const [opt = "", inline] = splitLong(w.text);
    if (opt === "--template") template = true;
    if (opt === "--bare" || (sub === "clone" && opt === "--mirror")) bare = true;
    if (sub === "clone" && (opt === "-c" || opt === "--config")) config = true;
    if (NEW_REPOSITORY_VALUES.has(opt) && inline === undefined) i++;
  }
  const [first, second] = operands;
  const named = sub === "init" ? first : second;
  const folder = named ?? (sub === "init" || !first ? here() : first.dynamic ? first : word(path.posix.basename(first.text.replace(/\/+$/, "")).replace(/\.git$/, "") || "."));
  return { template, config, bare, folder };
}

/** Files `git rm` and `git mv` remove or move in the work tree (`git rm --cached` leaves them). */
function removed(sub: string | undefined, args: readonly Word[]): Word[] {
  if (sub !== "rm" && sub !== "mv") return [];
  if (sub === "rm" && args.some((w) => !w.dynamic && w.text === "--cached")) return [];
  const end = args.findIndex((w) => !w.dynamic && w.text === "--");
  return end >= 0 ? [...args.slice(0, end).filter((w) => w.dynamic || !w.text.startsWith("-")), ...args.slice(end + 1)] : args.filter((w) => w.dynamic || !w.text.startsWith("-"));
}

/**
 * The paths `git checkout [COMMIT] [--] PATH…` and `git restore PATH…` write from the index or a
 * commit (which the model may have filled: `git update-index --cacheinfo`): after `--`, else every
 * operand after checkout's first (restore: every operand).
 */
function checkedOut(sub: string | undefined, args: readonly Word[]): Word[] {
  if (sub !== "checkout" && sub !== "restore") return [];
  const end = args.findIndex((w) => !w.dynamic && w.text === "--");
  if (end >= 0) return args.slice(end + 1);
  const operands = args.filter((w) => w.dynamic || !w.text.startsWith("-"));
  return sub === "restore" ? operands : operands.slice(1);
}

/** Where `git apply` or `git am` writes the files its diff names: the work tree, unless it only reports (`--check`, `--stat`) or fills the index (`--cached`). */
function applied(sub: string, args: readonly Word[], where: Word | undefined): Word[] {
  const has = (...names: string[]): boolean => args.some((w) => !w.dynamic && names.includes(splitLong(w.text)[0]));
  if (sub === "apply" && !has("--apply") && (has("--check", "--stat", "--numstat", "--summary") || (has("--cached") && !has("--index", "-3", "--3way")))) return [];
  const inside = args.find((w) => !w.dynamic && w.text.startsWith("--directory="));
  const folder = inside ? under(where, word(inside.text.slice("--directory=".length))) : (where ?? here());
  return has("--unsafe-paths") ? [folder, anywhere()] : [folder];
}

/** Short options of patch that take a value. */
const PATCH_VALUES = new Set(["p", "i", "o", "d", "D", "B", "F", "V", "Y", "z", "r", "g"]);

function patchWrites(args: readonly Word[]): OptionWrites {
  const files: Word[] = [];
  const dirs: Word[] = [];
  const take = (letter: string, value: Word | undefined): void => {
    if (!value) return;
    if (letter === "o" || letter === "r") files.push(value);
    if (letter === "d") dirs.push(value);
  };
  const operands = walkOptions(args, (text, next) => {
    if (text.startsWith("--")) {
      const [opt, value] = splitLong(text);
      const letter = { "--output": "o", "--reject-file": "r", "--directory": "d" }[opt];
      if (letter) take(letter, value === undefined ? next : word(value));
      return letter !== undefined && value === undefined;
    }
    const letter = text[1] ?? "";
    if (!PATCH_VALUES.has(letter)) return false;
    const rest = text.slice(2);
    take(letter, rest ? word(rest) : next);
    return rest === "";
  });
  // With no file named, patch writes the files the diff names, under -d's folder or where it runs.
  const file = operands[0];
  if (file) files.push(dirs[0] ? under(dirs[0], file) : file);
  const reports = args.some((w) => !w.dynamic && (w.text === "--dry-run" || w.text === "-C" || w.text === "--check"));
  return { files: reports ? [] : files, folders: [], unpacked: file || reports ? [] : dirs.length > 0 ? dirs : [here()] };
}
