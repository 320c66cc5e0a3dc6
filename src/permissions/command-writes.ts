import type { Word } from "../shell/ir.js";
import { commandName } from "../shell/downloads.js";
import { operands } from "../shell/match-rule.js";
import { wrapperChain } from "./command-forms.js";
import { optionWrites, type OptionWrites } from "./option-writes.js";

/** Commands whose every operand is a file they change (create, empty, remove, re-own…). */
const EVERY_OPERAND = new Set(["tee", "touch", "truncate", "rm", "rmdir", "unlink", "mkdir", "shred", "chmod", "chown", "chgrp", "chattr", "setfacl", "mv"]);
/** Commands that write their last operand, or the directory `-t` names. */
const DESTINATION = new Set(["cp", "install", "ln", "rsync", "scp"]);
/** Commands that edit their file operands in place with `-i` (sed, perl). */
const IN_PLACE = new Set(["sed", "perl"]);

/**
 * The words of a simple command that name files it writes through its arguments (not redirections):
 * `cp a DEST`, `tee FILE`, `dd of=FILE`, `sed -i … FILE`, `touch`, `rm`, `chmod MODE FILE`…, and
 * folders it writes files into (`tar -x -C DIR`, `git -C DIR`; see `optionWrites`), also behind
 * wrappers (`sudo tee FILE`). Options and modes may come back too: a few words too many only mean
 * more paths are checked.
 */
export function argumentWrites(words: readonly Word[]): OptionWrites {
  const out: Word[] = [];
  const folders: Word[] = [];
  for (const argv of wrapperChain(words)) {
    const first = argv[0];
    if (!first || first.dynamic) continue;
    const name = commandName(first.text, false);
    const args = argv.slice(1);
    const files = operands({ name, args, powershell: false });
    if (EVERY_OPERAND.has(name)) out.push(...files);
    else if (DESTINATION.has(name)) out.push(...targetDirectory(args), ...files.slice(-1));
    else if (IN_PLACE.has(name) && args.some(inPlaceFlag)) out.push(...files);
    else if (name === "dd") out.push(...args.filter((w) => w.text.startsWith("of=")).map((w) => ({ ...w, text: w.text.slice(3) })));
    else {
      const more = optionWrites(name, args);
      out.push(...more.files);
      folders.push(...more.folders);
    }
  }
  return { files: out, folders };
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

function inPlaceFlag(w: Word): boolean {
  return !w.dynamic && (w.text.startsWith("--in-place") || /^-[A-Za-z]*i/.test(w.text));
}
