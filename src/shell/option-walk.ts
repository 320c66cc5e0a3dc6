import type { Word } from "./ir.js";

/**
 * Reads a command's words as getopt does, options anywhere among the operands: each option word
 * (`-x`, `-xVALUE`, `--long`, `--long=value`) goes to `option`, which says how many of the words
 * after it are its values: `true` for one, `false` for none, or a count (hyperfine's
 * `-P NAME MIN MAX` takes 3). The operands come back in order. A run-time word and a lone `-` are
 * operands, and `--` ends the options.
 */
export function walkOptions(args: readonly Word[], option: (text: string, next: Word | undefined) => boolean | number): Word[] {
  const operands: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (w.dynamic || !w.text.startsWith("-") || w.text === "-") {
      operands.push(w);
      continue;
    }
    if (w.text === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    i += Number(option(w.text, args[i + 1]));
  }
  return operands;
}

/** `--name=value` as `["--name", "value"]`; `--name` alone as `["--name", undefined]`. */
export function splitLong(text: string): [string, string | undefined] {
  const eq = text.indexOf("=");
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}
