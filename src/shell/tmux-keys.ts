import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { skipOptions } from "./evaluate-context.js";
import { splitShort } from "./option-walk.js";

/** Options of tmux's send-keys that take a value (`-c CLIENT`, `-N COUNT`, `-t PANE`). */
const SEND_KEYS_VALUE_OPTIONS = ["-c", "-N", "-t"];

/** Key names that end the line, which the pane's shell then runs (`^M` is `C-m`). */
const LINE_END = /^(enter|kpenter|c-m|c-j|\^m|\^j)$/i;
/** Key names that drop the line typed so far at a shell's prompt. */
const DROP_LINE = /^(c-c|c-u|\^c|\^u)$/i;
/** Key names that type a character. */
const CHARACTER_KEYS: Record<string, string> = { space: " ", tab: "\t" };
/** Key names that type nothing a shell line keeps: moves, function keys, other modified keys. */
const OTHER_KEYS = /^(([cms]-|\^)+.+|escape|up|down|left|right|home|end|ic|insert|dc|delete|npage|ppage|pagedown|pageup|pgdn|pgup|btab|f([1-9]|1[0-2]))$/i;

/**
 * What tmux's `send-keys [-lH] [-c CLIENT] [-N COUNT] [-t PANE] KEY…` types into a pane, as tmux
 * reads each word: a key name (see the tables above; `BSpace` deletes a character), else its
 * characters, a newline or carriage return among them ending the line too; with `-l` every word is
 * characters, with `-H` an ASCII code in hex; with `-X` copy mode's commands, which type nothing. `runs`: the lines ended, which the pane's shell runs;
 * `typed`: what is left at its prompt, waiting for the next Enter. Options come before the keys
 * (tmux stops at the first key).
 */
export function tmuxKeys(args: readonly Word[]): { runs: Word[]; typed: Word | undefined } {
  const keys = skipOptions([...args], SEND_KEYS_VALUE_OPTIONS);
  const flags = args.slice(0, args.length - keys.length).flatMap((w) => (w.dynamic || w.text.startsWith("--") ? [] : splitShort(w.text, "cNt").flags));
  // `-X`: the words are copy mode's commands (`send-keys -X cancel`), nothing typed.
  if (flags.includes("-X")) return { runs: [], typed: undefined };
  const literal = flags.includes("-l");
  const hex = flags.includes("-H");
  const runs: Word[] = [];
  let line: Word[] = [];
  const type = (text: string): void => {
    const parts = text.split(/[\r\n]/);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        runs.push(joined(line));
        line = [];
      }
      if (parts[i]) line.push(literalWord(parts[i] ?? ""));
    }
  };
  for (const key of keys) {
    if (key.dynamic) {
      line.push(key);
      continue;
    }
    const text = key.text;
    if (hex) type(/^[0-9a-f]{1,2}$/i.test(text) ? String.fromCharCode(parseInt(text, 16)) : "");
    else if (literal) type(text);
    else if (LINE_END.test(text)) type("\n");
    else if (DROP_LINE.test(text)) line = [];
    else if (text.toLowerCase() === "bspace") line = backspace(line);
    else if (CHARACTER_KEYS[text.toLowerCase()] !== undefined) type(CHARACTER_KEYS[text.toLowerCase()] ?? "");
    else if (!(text.length > 1 && OTHER_KEYS.test(text))) type(text);
  }
  const typed = joined(line);
  return { runs: runs.filter((w) => w.dynamic || w.text.trim() !== ""), typed: typed.dynamic || typed.text.trim() !== "" ? typed : undefined };
}

/** The line with its last character deleted (a word only known at run time is left as it is). */
function backspace(line: Word[]): Word[] {
  const last = line.at(-1);
  if (!last || last.dynamic) return line;
  return last.text.length > 1 ? [...line.slice(0, -1), literalWord(last.text.slice(0, -1))] : line.slice(0, -1);
}

/** The pieces of a line typed as one word: dynamic where a piece is only known at run time. */
function joined(pieces: Word[]): Word {
  const text = pieces.map((w) => w.text).join("");
  return pieces.some((w) => w.dynamic) ? { text, dynamic: true, glob: false, subs: pieces.flatMap((w) => w.subs) } : literalWord(text);
}
