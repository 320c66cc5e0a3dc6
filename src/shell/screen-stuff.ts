import type { Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { wrappedCommand } from "./evaluate-context.js";

/**
 * What `screen [-S NAME] [-p WINDOW] -X stuff TEXT` types into a running session: `runs` is the text
 * up to its last newline or carriage return, the lines the window's shell runs (as tmux's
 * `send-keys … Enter`), none when the text has no line end; `typed` the text after the last line
 * end, left at the prompt for the next Enter. Undefined for any
 * other screen command line. screen reads each word after `-X` as a double-quoted word of its own
 * command language (socket.c quotes them for `Parse`), so `\n`, `\r`, octal `\015` and `^M` in TEXT
 * are the control characters they name, and `\\n` a backslash and an `n`; `stuff` refuses more than
 * one word (but `-k KEY`), and types nothing then.
 */
export function screenStuff(args: Word[]): { runs: Word | undefined; typed?: Word } | undefined {
  const rest = wrappedCommand("screen", args) ?? [];
  const options = args.slice(0, args.length - rest.length);
  const [command, text, ...more] = rest;
  if (!options.some((w) => !w.dynamic && w.text === "-X") || command?.dynamic !== false || command.text !== "stuff") return undefined;
  if (!text || more.length > 0) return { runs: undefined };
  const typed = screenText(text.text);
  const end = Math.max(typed.lastIndexOf("\n"), typed.lastIndexOf("\r"));
  const word = (part: string): Word => (part.includes(RUN_TIME) ? { text: part, dynamic: true, glob: false, subs: text.subs } : literalWord(part));
  const left = typed.slice(end + 1);
  const waiting = left.trim() !== "" ? { typed: word(left) } : {};
  if (end < 0) return { runs: undefined, ...waiting };
  return { runs: word(typed.slice(0, end).replace(/\r/g, "\n")), ...waiting };
}

/** A double-quoted word as screen's `Parse` reads it: backslash escapes and `^X` control characters (`^?` is DEL). */
function screenText(text: string): string {
  return text.replace(/\\([0-7]{1,3}|[nrt'"\\$#^])|\^(.)/gs, (_, escape: string | undefined, control: string | undefined) => {
    if (control !== undefined) return control === "?" ? "\u007f" : String.fromCharCode(control.charCodeAt(0) & 0x1f);
    if (escape === undefined) return "";
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8) & 0xff);
    return escape === "n" ? "\n" : escape === "r" ? "\r" : escape === "t" ? "\t" : escape;
  });
}
