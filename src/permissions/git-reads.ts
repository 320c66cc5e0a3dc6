import type { Word } from "../shell/ir.js";
import { gitCall, under } from "./git-args.js";

/** What a git command shows of the files a commit, the index or the work tree holds. */
export interface GitReads {
  /** Paths it shows the content of: `git show HEAD:F`, `git cat-file -p :F`, `git diff -- F`, `git blame F`. */
  files: Word[];
  /** Folders it may show any file below: pathspecs of `git grep` and `git log -p`. */
  folders: Word[];
  /**
   * Paths git reads from the top of the repository, not from where it runs: `git show HEAD:F`,
   * `git show :F` and `git grep x HEAD:DIR` name F from the top unless it starts with `./` or `../`,
   * and so does the pathspec `:/F`. Where that top is is only known from the folders above where git runs.
   */
  fromTop: { files: Word[]; folders: Word[] };
  /** Where git runs (`-C DIR`), and the work tree it is given (`--work-tree DIR`, the top). */
  where?: Word;
  workTree?: Word;
  /**
   * It may show any file of the repository: `git grep P`, `git log -p`, `git diff`, `git show COMMIT`,
   * `git cat-file -p OBJECT`. wren cannot tell from the words which files those hold.
   */
  repository: boolean;
}

const NONE: GitReads = { files: [], folders: [], fromTop: { files: [], folders: [] }, repository: false };

/** Options that show a diff's lines, or search them (`-S`, `-G`). */
const PATCH = /^(--patch|--patch-with-stat|--patch-with-raw|--cc|--full-diff|--binary|--textconv|--ext-diff|--function-context|--pickaxe-regex|--pickaxe-all|--word-diff(=.*)?|--color-words(=.*)?|--unified(=.*)?|--find-object(=.*)?|-[LSG].*|-U\d*)$/;
/** Options that leave a diff's lines out (`--stat`, `--name-only`), unless one of {@link PATCH} puts them back. */
const NO_PATCH = /^(-s|--no-patch|--stat(=.*)?|--numstat|--shortstat|--name-only|--name-status|--summary|--dirstat(=.*)?|--raw|--quiet|--check)$/;
const SUBCOMMANDS_SHOWING_ALL = new Set(["archive", "format-patch", "bundle", "fast-export", "range-diff"]);
const OBJECT_TYPES = new Set(["blob", "tree", "commit", "tag"]);

const isOption = (w: Word): boolean => !w.dynamic && w.text.startsWith("-") && w.text !== "-";
const has = (args: readonly Word[], pattern: RegExp): boolean => args.some((w) => !w.dynamic && pattern.test(w.text));
/** `-p`, `-u`, `-c`, `-W`, also in a bundle of short options (`-1p`). */
const patched = (args: readonly Word[]): boolean => has(args, PATCH) || has(args, /^-[A-Za-z0-9]*[puW]$|^-c$/);

/**
 * What `git show`, `git diff`, `git log -p`, `git grep`, `git cat-file`, `git blame` and the like
 * show of the files git holds, for `Read(…)` deny rules: git prints a denied file from a commit or
 * the index as `cat` prints it from the work tree (`git show HEAD:.env`). Without `--`, git tells a
 * revision from a path only when it runs, so an operand is taken as both: a path read, and a
 * revision whose whole diff is shown.
 */
export function gitReads(args: readonly Word[]): GitReads {
  const { where, workTree, sub, rest } = gitCall(args);
  if (!sub || sub.dynamic) return NONE;
  const place = (w: Word): Word => under(where, w);
  let reads: GitReads;
  switch (sub.text) {
    case "show":
      reads = diffReads(rest, !has(rest, NO_PATCH) || patched(rest));
      break;
    case "diff":
      reads = has(rest, /^--no-index$/) ? { ...NONE, files: rest.filter((w) => !isOption(w)) } : diffReads(rest, !has(rest, NO_PATCH) || patched(rest));
      break;
    case "log":
    case "whatchanged":
    case "diff-tree":
    case "diff-index":
    case "diff-files":
      reads = diffReads(rest, patched(rest));
      break;
    case "stash":
      reads = rest[0]?.text === "show" && patched(rest) ? { ...NONE, repository: true } : NONE;
      break;
    case "grep":
      reads = grepReads(rest);
      break;
    case "cat-file":
      reads = catFileReads(rest);
      break;
    case "blame":
    case "annotate":
      reads = { ...NONE, files: rest.filter((w) => !isOption(w)) };
      break;
    default:
      reads = SUBCOMMANDS_SHOWING_ALL.has(sub.text) ? { ...NONE, repository: true } : NONE;
  }
  // A path written `./F` or `../F` after the colon is from where git runs, as a plain path is.
  const topFiles = reads.fromTop.files.filter((w) => !relative(w));
  const topFolders = reads.fromTop.folders.filter((w) => !relative(w));
  return {
    files: [...reads.files, ...reads.fromTop.files.filter(relative)].map(place),
    folders: [...reads.folders, ...reads.fromTop.folders.filter(relative)].map(place),
    fromTop: { files: topFiles, folders: topFolders },
    repository: reads.repository,
    ...(where ? { where } : {}),
    ...(workTree ? { workTree } : {}),
  };
}

/** `./F`, `../F`, `.` and `..`: from where git runs, even after `REV:`. */
const relative = (w: Word): boolean => !w.dynamic && /^\.\.?(\/|$)/.test(w.text);

/** `REV:PATH`, `:PATH`, `:N:PATH`: a file's content in a commit or the index, PATH from the repository's top; undefined for a revision (`:/text` searches messages). */
function blobPath(w: Word): Word | undefined {
  if (w.dynamic || w.text.startsWith(":/")) return undefined;
  const m = /^(?::[0-3]:|[^:]*:)(.*)$/.exec(w.text);
  return m ? { ...w, text: m[1] || "." } : undefined;
}

/** Pathspecs read whole; magic (`:(exclude)x`, `:!x`) may mean any file, `:/x` is x from the top. */
function pathspecs(specs: readonly Word[]): GitReads {
  const folders: Word[] = [];
  const top: Word[] = [];
  let repository = false;
  for (const w of specs) {
    if (!w.dynamic && w.text.startsWith(":/")) top.push({ ...w, text: w.text.slice(2).replace(/^\/+/, "") || "" });
    else if (!w.dynamic && w.text.startsWith(":")) repository = true;
    else folders.push(w);
  }
  return { files: [], folders, fromTop: { files: [], folders: top }, repository };
}

/** What a diff, a log or `git show` shows: blobs named, pathspecs after `--`, and with `content`, any file of the revisions it names. */
function diffReads(args: readonly Word[], content: boolean): GitReads {
  const end = args.findIndex((w) => !w.dynamic && w.text === "--");
  const operands = (end >= 0 ? args.slice(0, end) : args).filter((w) => !isOption(w));
  const files: Word[] = [];
  const blobs: Word[] = [];
  let revisions = operands.length === 0;
  for (const w of operands) {
    const blob = blobPath(w);
    if (blob) blobs.push(blob);
    else {
      revisions = true;
      if (end < 0 && content) files.push(w);
    }
  }
  if (!content) return { ...NONE, files, fromTop: { files: blobs, folders: [] } };
  const specs = end >= 0 ? pathspecs(args.slice(end + 1)) : NONE;
  const specified = specs.folders.length + specs.fromTop.folders.length > 0;
  return { files, folders: specs.folders, fromTop: { files: blobs, folders: specs.fromTop.folders }, repository: specs.repository || (revisions && !specified) };
}

/** Short and long options of `git grep` that take the next word as their value. */
const GREP_VALUES = /^(-[efABCm]|--max-count|--max-depth|--threads|--context|--after-context|--before-context|--open-files-in-pager)$/;

/** `git grep`: the pattern (unless `-e`/`-f` give it), then revisions or paths; `-f FILE` reads FILE. */
function grepReads(args: readonly Word[]): GitReads {
  const end = args.findIndex((w) => !w.dynamic && w.text === "--");
  const before = end >= 0 ? args.slice(0, end) : args;
  const files: Word[] = [];
  const operands: Word[] = [];
  let given = false;
  for (let i = 0; i < before.length; i++) {
    const w = before[i];
    if (!w) continue;
    if (!isOption(w)) {
      operands.push(w);
      continue;
    }
    const value = /^-[ef]./.test(w.text) ? { ...w, text: w.text.slice(2) } : GREP_VALUES.test(w.text) ? before[++i] : undefined;
    if (w.text.startsWith("-e") || w.text.startsWith("-f")) given = true;
    if (w.text.startsWith("-f") && value) files.push(value);
  }
  const named = operands.slice(given ? 0 : 1);
  if (end >= 0) {
    const specs = pathspecs(args.slice(end + 1));
    const specified = specs.folders.length + specs.fromTop.folders.length > 0;
    return { files, folders: specs.folders, fromTop: { files: [], folders: [...named.flatMap((w) => blobPath(w) ?? []), ...specs.fromTop.folders] }, repository: specs.repository || !specified };
  }
  // Without `--` each word may be a revision, whose whole tree is searched.
  return { files, folders: named.filter((w) => !blobPath(w)), fromTop: { files: [], folders: named.flatMap((w) => blobPath(w) ?? []) }, repository: true };
}

/** `git cat-file -p OBJ`, `git cat-file blob OBJ`, `--batch`: an object id may be any file's content, `REV:PATH` is that path's. */
function catFileReads(args: readonly Word[]): GitReads {
  if (has(args, /^--batch(-command)?(=.*)?$|^--batch-all-objects$/) && !has(args, /^--batch-check(=.*)?$/)) return { ...NONE, repository: true };
  if (!has(args, /^(-p|--textconv|--filters)$/) && has(args, /^-[tse]$/)) return NONE;
  const operands = args.filter((w) => !isOption(w));
  const objects = operands.length > 1 && !operands[0]?.dynamic && OBJECT_TYPES.has(operands[0]?.text ?? "") ? operands.slice(1) : operands;
  const files = objects.flatMap((w) => blobPath(w) ?? []);
  return { ...NONE, fromTop: { files, folders: [] }, repository: files.length < objects.length };
}
