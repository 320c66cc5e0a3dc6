import type { Word } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import { operands } from "../shell/match-rule.js";
import { wrapperChain } from "./command-forms.js";
import { findRuns } from "./find-actions.js";
import { inPlaceFiles } from "./in-place-edits.js";
import { optionWrites, type OptionWrites } from "./option-writes.js";

/** Commands whose every operand is a file they change (create, empty, remove, re-own…). */
const EVERY_OPERAND = new Set(["tee", "touch", "truncate", "rm", "rmdir", "unlink", "mkdir", "shred", "chmod", "chown", "chgrp", "chattr", "setfacl", "mv"]);
/** Commands that write their last operand, or the directory `-t` names. */
const DESTINATION = new Set(["cp", "install", "ln", "rsync", "scp"]);
/** Commands whose first operand is not a file (a mode, an owner) unless `--reference` names one. */
const SETTING_FIRST = new Set(["chmod", "chown", "chgrp"]);
/** Options that make a command change whole folders: every file below what it names. */
const RECURSIVE: Record<string, RegExp> = { rm: /^(-[A-Za-z]*[rR][A-Za-z]*|--recursive)$/, chmod: /^(-[A-Za-z]*R[A-Za-z]*|--recursive)$/, chown: /^(-[A-Za-z]*R[A-Za-z]*|--recursive)$/, chgrp: /^(-[A-Za-z]*R[A-Za-z]*|--recursive)$/ };
/** Options whose value, in the next word, is not a file written (`touch -r REF`, `touch -d DATE`, `truncate -s SIZE`). */
const VALUE_OPTIONS: Record<string, Set<string>> = { touch: new Set(["-r", "--reference", "-d", "--date", "-t"]), truncate: new Set(["-r", "--reference", "-s", "--size"]) };

/**
 * The words of a simple command that name files it writes through its arguments (not redirections):
 * `cp a DEST`, `tee FILE`, `dd of=FILE`, `sed -i … FILE`, `touch`, `rm`, `chmod MODE FILE`…, and
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
  for (const argv of wrapperChain(words)) {
    const first = argv[0];
    if (!first || first.dynamic) continue;
    const name = commandName(first.text, false);
    const args = argv.slice(1);
    const files = operands({ name, args: withoutValues(args, VALUE_OPTIONS[name]), powershell: false });
    const inPlace = inPlaceFiles(name, args);
    const recursive = RECURSIVE[name];
    const changed = SETTING_FIRST.has(name) ? (args.some((w) => w.text.startsWith("--reference")) ? files : files.slice(1)) : EVERY_OPERAND.has(name) ? files : undefined;
    // `rm -r src` and `chmod -R 600 src` change every file below, as unpacking there may.
    if (changed && recursive && args.some((w) => !w.dynamic && recursive.test(w.text))) unpacked.push(...changed);
    if (changed) out.push(...changed);
    else if (DESTINATION.has(name)) out.push(...destination(name, args, files));
    else if (inPlace) out.push(...inPlace);
    else if (name === "dd") out.push(...args.filter((w) => w.text.startsWith("of=")).map((w) => ({ ...w, text: w.text.slice(3) })));
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
    }
  }
  return { files: out, folders, unpacked, trees };
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
