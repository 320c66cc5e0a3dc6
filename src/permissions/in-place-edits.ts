import type { Word } from "../shell/ir.js";
import { splitLong, walkOptions } from "../shell/option-walk.js";

/**
 * The files `sed -i` (`gsed -i`: GNU sed, as Homebrew names it on macOS) or `perl -i` edit, or
 * undefined when the command edits nothing in place. Kept apart from shell/'s `editedInPlace` for
 * BSD sed's `-i ''` (an empty suffix word, not the script). The
 * script is left out (`sed -i '/^x/d' f` writes `f`, not `/^x/d`): the first operand unless
 * `-e`/`-f` (sed) or `-e`/`-E` (perl) gave it, and option values (`-f FILE`, `-I DIR`). A run-time
 * word where a switch could be is kept as a file: a word too many only means one more path checked.
 */
export function inPlaceFiles(name: string, args: readonly Word[]): Word[] | undefined {
  if (name === "sed" || name === "gsed") return edited(args, sedSwitch);
  if (name === "perl") return edited(args, perlSwitch);
  return undefined;
}

/** What one option word of a command means: whether it edits in place, gives the script, takes the next word. */
interface Switch {
  inPlace: boolean;
  script: boolean;
  /** The next word is this option's value. */
  takesNext: boolean;
}

function edited(args: readonly Word[], read: (text: string, next: Word | undefined) => Switch): Word[] | undefined {
  let inPlace = false;
  let script = false;
  const operands = walkOptions(args, (text, next) => {
    const s = read(text, next);
    inPlace ||= s.inPlace;
    script ||= s.script;
    return s.takesNext;
  });
  if (!inPlace) return undefined;
  return script ? operands : operands.slice(1);
}

/** GNU and BSD sed: `-i[SUFFIX]` (BSD: `-i ''`), `-e SCRIPT`, `-f FILE`, `-l N`, `--expression=…`, `--in-place[=…]`. */
function sedSwitch(text: string, next: Word | undefined): Switch {
  if (text.startsWith("--")) {
    const [opt, value] = splitLong(text);
    const script = opt === "--expression" || opt === "--file";
    return { inPlace: opt === "--in-place", script, takesNext: value === undefined && (script || opt === "--line-length") };
  }
  for (let k = 1; k < text.length; k++) {
    const letter = text[k];
    const rest = text.slice(k + 1);
    if (letter === "i") return { inPlace: true, script: false, takesNext: text === "-i" && next?.text === "" && !next.dynamic };
    if (letter === "e" || letter === "f") return { inPlace: false, script: true, takesNext: rest === "" };
    if (letter === "l") return { inPlace: false, script: false, takesNext: rest === "" };
  }
  return { inPlace: false, script: false, takesNext: false };
}

/** perl's switches (perlrun): `-i[EXT]`, `-e`/`-E CODE`, `-I`/`-M`/`-m` with a value, `-0`/`-l` with digits, `-x`/`-F`/`-C`/`-d`/`-D` to the word's end. */
function perlSwitch(text: string): Switch {
  if (text.startsWith("--")) return { inPlace: false, script: false, takesNext: false };
  for (let k = 1; k < text.length; k++) {
    const letter = text[k] ?? "";
    const rest = text.slice(k + 1);
    if (letter === "i") return { inPlace: true, script: false, takesNext: false };
    if (letter === "e" || letter === "E") return { inPlace: false, script: true, takesNext: rest === "" };
    if ("IMm".includes(letter)) return { inPlace: false, script: false, takesNext: rest === "" };
    if ("xFCdD".includes(letter)) break;
    if (letter === "0") k += /^(x[0-9a-fA-F]*|[0-7]*)/.exec(rest)?.[0].length ?? 0;
    if (letter === "l") k += /^[0-7]*/.exec(rest)?.[0].length ?? 0;
  }
  return { inPlace: false, script: false, takesNext: false };
}
