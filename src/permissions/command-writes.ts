import path from "node:path";
import type { Word } from "../shell/ir.js";
import { RUN_TIME } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import { editedInPlace, operands } from "../shell/match-rule.js";
import { writtenByArgument } from "../shell/path-writes.js";
import { wrapperChain } from "./command-forms.js";
import { findRuns } from "./find-actions.js";
import { optionWrites, type OptionWrites } from "./option-writes.js";
import { outputOptionFiles } from "./option-effects.js";

/** Commands whose every operand is a file they change (create, empty, remove, re-own…). */
const EVERY_OPERAND = new Set(["tee", "touch", "truncate", "rm", "rmdir", "unlink", "mkdir", "shred", "chmod", "chown", "chgrp", "chattr", "setfacl"]);
/** Commands that write their last operand, or the directory `-t` names, and what they copy, link or move lands there. */
const DESTINATION = new Set(["cp", "install", "ln", "rsync", "scp", "mv"]);
/** Commands whose first operand is not a file (a mode, an owner) unless `--reference` names one. */
const SETTING_FIRST = new Set(["chmod", "chown", "chgrp"]);
/** Options that make a command change whole folders: every file below what it names. */
const RECURSIVE: Record<string, RegExp> = { rm: /^(-[A-Za-z]*[rR][A-Za-z]*|--recursive)$/, chmod: /^(-[A-Za-z]*R[A-Za-z]*|--recursive)$/, chown: /^(-[A-Za-z]*R[A-Za-z]*|--recursive)$/, chgrp: /^(-[A-Za-z]*R[A-Za-z]*|--recursive)$/ };
/**
 * Options that make a copy take whole folders along (`cp -r`, `rsync -a`): what lands where it
 * copies may be any file below. `mv` always moves folders whole.
 */
const COPIES_FOLDERS: Record<string, RegExp> = {
  cp: /^(-[A-Za-z]*[rRa][A-Za-z]*|--recursive|--archive)$/,
  rsync: /^(-[A-Za-z]*[ra][A-Za-z]*|--recursive|--archive)$/,
  scp: /^-[A-Za-z]*r[A-Za-z]*$/,
};
/** Options that make `cp` link rather than copy (`-l` hard links, `-s` symbolic ones). */
const CP_LINKS = /^(-[A-Za-z]*[ls][A-Za-z]*|--link|--symbolic-link)$/;
/** Options of the copying commands that make the destination the new name itself, never a folder to land in. */
const NO_TARGET_DIRECTORY = /^(-[A-Za-z]*T[A-Za-z]*|--no-target-directory)$/;
/** `-t DIR` names where sources land; `-S SUFFIX` is a backup suffix. */
const TARGET = ["-t", "--target-directory", "-S", "--suffix"];
/** Options whose value, in the next word, is not a file written (`touch -r REF`, `touch -d DATE`, `truncate -s SIZE`). */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  touch: new Set(["-r", "--reference", "-d", "--date", "-t"]),
  truncate: new Set(["-r", "--reference", "-s", "--size"]),
  cp: new Set(TARGET),
  mv: new Set(TARGET),
  ln: new Set(TARGET),
  install: new Set([...TARGET, "-m", "--mode", "-o", "--owner", "-g", "--group"]),
  rsync: new Set(["-e", "--rsh", "-f", "--filter", "--exclude", "--include", "--exclude-from", "--include-from", "--files-from", "-T", "--temp-dir", "--backup-dir", "--partial-dir", "--chmod", "--chown", "-B", "--block-size", "-M", "--remote-option"]),
  scp: new Set(["-P", "-i", "-o", "-F", "-c", "-l", "-S", "-J", "-D", "-X"]),
};

/**
 * The words of a simple command that name files it writes through its arguments (not redirections):
 * `cp a DEST`, `tee FILE`, `dd of=FILE`, `curl -o FILE`, `sed -i … FILE`, `touch`, `rm`, `chmod MODE FILE`…, and
 * folders it writes files into (`git -C DIR`) or unpacks an archive or a diff into (`tar -x -C DIR`,
 * `patch -p1`; see `optionWrites`), also behind
 * wrappers (`sudo tee FILE`). Scripts, modes and owners are left out (`sed -i '/^x/d' F`,
 * `chmod 600 F`): every word that comes back must be inside the project or the command asks.
 */
export function argumentWrites(words: readonly Word[]): OptionWrites {
  const out: Word[] = [];
  const folders: Word[] = [];
  const unpacked: Word[] = [];
  const trees: Word[] = [];
  const gitRuns: Word[] = [];
  const gitDirs: Word[] = [];
  let plainTree = false;
  for (const argv of wrapperChain(words)) {
    const first = argv[0];
    if (!first || first.dynamic) continue;
    const name = commandName(first.text, false);
    const args = argv.slice(1);
    const files = operands({ name, args: withoutValues(args, VALUE_OPTIONS[name]), powershell: false });
    const inPlace = editedInPlace({ name, args, powershell: false });
    // Files an option names for a second output: `sort -o F`, `find -fprint F`, `gcc -o F`.
    out.push(...outputOptionFiles(name, args));
    const recursive = RECURSIVE[name];
    const changed = SETTING_FIRST.has(name) ? (args.some((w) => w.text.startsWith("--reference")) ? files : files.slice(1)) : EVERY_OPERAND.has(name) ? files : undefined;
    // `rm -r src` and `chmod -R 600 src` change every file below, as unpacking there may.
    if (changed && recursive && args.some((w) => !w.dynamic && recursive.test(w.text))) unpacked.push(...changed);
    if (changed) out.push(...changed);
    else if (DESTINATION.has(name)) {
      const dest = destination(name, args, files);
      const landed = landings(name, args, files, dest);
      out.push(...dest, ...landed.files);
      // `mv src old` takes every file below src along; `mv`, `cp -r` and `rsync -a` may land any file below where they go.
      if (name === "mv") out.push(...landed.sources);
      const whole = COPIES_FOLDERS[name];
      if (name === "mv") unpacked.push(...landed.sources, ...landed.folders);
      else if (whole && args.some((w) => !w.dynamic && whole.test(w.text))) unpacked.push(...landed.folders);
      unpacked.push(...landed.named);
      // A link is a second name for what it links to: writing through it changes that, and everything below a folder.
      const symbolic = args.some((w) => !w.dynamic && (name === "ln" ? /^(-[A-Za-z]*s[A-Za-z]*|--symbolic)$/ : /^(-[A-Za-z]*s[A-Za-z]*|--symbolic-link)$/).test(w.text));
      if (name === "ln" || (name === "cp" && args.some((w) => !w.dynamic && CP_LINKS.test(w.text)))) {
        const linked = linkedTo(landed.sources, symbolic ? dest : []);
        out.push(...linked);
        unpacked.push(...linked);
        // A symbolic link to a folder puts all it holds where the link lands (`ln -s prep x && git -C x …` finds prep's repository).
        if (symbolic) unpacked.push(...landed.folders);
      }
    }
    else if (inPlace.length > 0) out.push(...inPlace);
    else if (name === "dd") out.push(...args.filter((w) => w.text.startsWith("of=")).map((w) => ({ ...w, text: w.text.slice(3) })));
    // `curl -o F`, `wget -O F`: the download is saved there (`-`: to standard output).
    else if (name === "curl" || name === "wget") out.push(...writtenByArgument(name, args).flatMap(({ target }) => (target.dynamic || target.text !== "-" ? [target] : [])));
    else if (name === "find") {
      const found = findWrites(args);
      out.push(...found.files);
      unpacked.push(...found.below);
    }
    else {
      const more = optionWrites(name, args);
      out.push(...more.files);
      folders.push(...more.folders);
      unpacked.push(...more.unpacked);
      trees.push(...(more.trees ?? []));
      gitRuns.push(...(more.gitRuns ?? []));
      gitDirs.push(...(more.gitDirs ?? []));
      // Behind a wrapper (`sudo git pull`) git may run as someone else, who could make files wren cannot put back.
      plainTree = more.plainTree === true && argv.length === words.length;
    }
  }
  return { files: out, folders, unpacked, trees, ...(plainTree && trees.length > 0 ? { plainTree } : {}), gitRuns, gitDirs };
}

/** Stands for `{}` in what `find -exec` runs while its writes are worked out. */
const FOUND = "\u0001";

/**
 * Where `find` writes: `-delete` and an `-exec` command that writes what it finds (`rm {}`,
 * `sed -i … {}`) may change any file below its start paths, as unpacking there may; what such a
 * command writes by name counts too (`-exec cp {} .wren/ ;`).
 */
function findWrites(args: readonly Word[]): { files: Word[]; below: Word[] } {
  const { starts, commands, deletes } = findRuns(args);
  const files: Word[] = [];
  const below = deletes ? [...starts] : [];
  for (const command of commands) {
    const writes = argumentWrites(command.map((w) => (!w.dynamic && w.text.includes("{}") ? { ...w, text: w.text.split("{}").join(FOUND) } : w)));
    for (const w of [...writes.files, ...writes.folders, ...writes.unpacked]) {
      if (w.text.includes(FOUND)) below.push(...starts);
      else files.push(w);
    }
  }
  return { files, below };
}

/** `-t DIR` when given, else the last operand; `install -d` creates every operand; `ln TARGET` alone links into where it runs. */
function destination(name: string, args: readonly Word[], files: readonly Word[]): Word[] {
  const dirs = targetDirectory(args);
  if (dirs.length > 0) return dirs;
  if (name === "install" && args.some((w) => w.text === "--directory" || /^-[A-Za-z]*d/.test(w.text))) return [...files];
  if (files.length === 1 && name === "ln") return [{ text: ".", dynamic: false, glob: false, subs: [] }];
  return files.length > 1 ? files.slice(-1) : [];
}

/** What lands where a copy, a link or a move goes (see {@link landings}). */
interface Landings {
  /** The operands copied, linked or moved. */
  sources: Word[];
  /** Where each lands: `DEST/NAME` (`cp .env config` writes config/.env when config is a folder). */
  files: Word[];
  /** Where a folder copied or moved whole may land: each of `files`, and DEST itself when it may become the folder. */
  folders: Word[];
  /** Folders a source whose name is only known when it runs lands in (`cp "$F" config`): any name below may be written. */
  named: Word[];
}

/**
 * Where `cp`, `mv`, `rsync`, `scp`, `install` and `ln` land what they copy: the destination may be a
 * folder, so each source lands below it under its own name (a folder's contents, `src/.` or
 * rsync's `src/`, land in it directly); a single source may also take the destination's name
 * (`-T` says it does).
 */
/** Files that are devices, not folders anything lands in (`cp x /dev/null`). */
const DEVICES = /^\/dev\/(null|stdout|stderr|tty)$/;

function landings(name: string, args: readonly Word[], files: readonly Word[], dest: readonly Word[]): Landings {
  const into = targetDirectory(args);
  const none: Landings = { sources: [], files: [], folders: [], named: [] };
  // `ln TARGET` alone makes its link where it runs.
  const alone = name === "ln" && into.length === 0 && files.length === 1;
  if (into.length === 0 && files.length < 2 && !alone) return none;
  if (name === "install" && args.some((w) => w.text === "--directory" || /^-[A-Za-z]*d/.test(w.text))) return none;
  const sources = into.length > 0 || alone ? [...files] : files.slice(0, -1);
  const renames = name !== "rsync" && args.some((w) => !w.dynamic && NO_TARGET_DIRECTORY.test(w.text));
  const out: Landings = { sources, files: [], folders: [], named: [] };
  for (const folder of dest) {
    if (DEVICES.test(folder.text)) continue;
    // `mv a.txt .` lands in the folder that is there; `mv a b` may rename a to b, and b may be a folder already
    // (rsync makes b a folder and lands a in it).
    if (renames || (into.length === 0 && sources.length === 1 && name !== "rsync" && !/(^|\/)\.\.?\/*$/.test(folder.text))) out.folders.push(folder);
    if (renames) continue;
    for (const source of sources) {
      const base = landedName(name, source);
      if (base === undefined) out.folders.push(folder);
      else if (base.includes(RUN_TIME)) out.named.push(folder);
      else {
        const at: Word = { ...folder, text: `${folder.text.replace(/\/+$/, "")}/${base}`, glob: folder.glob || source.glob };
        out.files.push(at);
        out.folders.push(at);
      }
    }
  }
  return out;
}

/**
 * What links made to `sources` point to: each as named from where the command runs, and a
 * symbolic link's relative target also as named from the folder the link is made in (`ln -s
 * ../.env sub/x` points to .env): the destination, or the folder it is in.
 */
function linkedTo(sources: readonly Word[], dest: readonly Word[]): Word[] {
  const out = [...sources];
  for (const source of sources) {
    if (source.dynamic || path.posix.isAbsolute(source.text)) continue;
    for (const folder of dest) {
      if (folder.dynamic) continue;
      for (const at of [folder.text, path.posix.dirname(folder.text.replace(/\/+$/, ""))]) out.push({ ...source, text: path.posix.join(at, source.text) });
    }
  }
  return out;
}

/** The name a source takes where it lands, or undefined when its contents land there directly (`src/.`, rsync's `src/`). */
function landedName(name: string, source: Word): string | undefined {
  const text = source.text;
  if (/(^|\/)\.\/*$/.test(text) || (name === "rsync" && text.endsWith("/"))) return undefined;
  const trimmed = text.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || undefined;
}

function targetDirectory(args: readonly Word[]): Word[] {
  const out: Word[] = [];
  args.forEach((w, i) => {
    const next = args[i + 1];
    if ((w.text === "-t" || w.text === "--target-directory") && next) out.push(next);
    else if (w.text.startsWith("--target-directory=")) out.push({ ...w, text: w.text.slice("--target-directory=".length) });
    else if (/^-t./.test(w.text)) out.push({ ...w, text: w.text.slice(2) });
  });
  return out;
}

/** The words without the values of `options` (each in the word after it). */
function withoutValues(args: readonly Word[], options: Set<string> | undefined): Word[] {
  if (!options) return [...args];
  return args.filter((_, i) => {
    const before = args[i - 1];
    return !(before && !before.dynamic && options.has(before.text));
  });
}
