import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";

/**
 * Reads a command's words as getopt does, options anywhere among the operands: each option word
 * (`-x`, `-xVALUE`, `--long`, `--long=value`) goes to `option`, which says how many of the words
 * after it are its values: `true` for one, `false` for none, or a count (hyperfine's
 * `-P NAME MIN MAX` takes 3). The operands come back in order. A run-time word and a lone `-` are
 * operands, and `--` ends the options. With `runTimeValues`, a long option written out whose value
 * is only known at run time (`--path="$DIR"`) is an option too; `option` gets the word itself, to
 * cut the value from it with its run-time parts.
 */
export function walkOptions(
  args: readonly Word[],
  option: (text: string, next: Word | undefined, word: Word) => boolean | number,
  { runTimeValues = false }: { runTimeValues?: boolean } = {},
): Word[] {
  const operands: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if ((w.dynamic && !(runTimeValues && literalLongName(w.text))) || !w.text.startsWith("-") || w.text === "-") {
      operands.push(w);
      continue;
    }
    if (w.text === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    i += Number(option(w.text, args[i + 1], w));
  }
  return operands;
}

/** `--name=…` whose name has no run-time part. */
function literalLongName(text: string): boolean {
  const eq = text.indexOf("=");
  return text.startsWith("--") && eq > 2 && !text.slice(0, eq).includes(RUN_TIME);
}

/** `--name=value` as `["--name", "value"]`; `--name` alone as `["--name", undefined]`. */
export function splitLong(text: string): [string, string | undefined] {
  const eq = text.indexOf("=");
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * A group of short options (`-Ht`, `-Htf`, `-w3`) read as getopt reads one: letters that take no
 * value may be grouped, and the first of `valueLetters` takes the rest of the word as its value
 * (`value`), or the next word when nothing follows it in the word (`value` undefined). `flags` are
 * the letters before it; with no letter that takes a value, `option` is undefined. clap (`clap`)
 * also drops an `=` before the value: `-t=f` is `-t f`.
 */
export function splitShort(text: string, valueLetters: string, { clap = false }: { clap?: boolean } = {}): { flags: string[]; option?: string; value?: string } {
  const flags: string[] = [];
  for (let k = 1; k < text.length; k++) {
    const letter = text.charAt(k);
    if (!valueLetters.includes(letter)) {
      flags.push(`-${letter}`);
      continue;
    }
    const rest = text.slice(k + 1);
    return { flags, option: `-${letter}`, value: rest === "" ? undefined : clap && rest.startsWith("=") ? rest.slice(1) : rest };
  }
  return { flags };
}

/**
 * An option word as `[option, attached value]`, read as getopt_long reads one: `--name=value`, or a
 * group of short options read by {@link splitShort} (`-wX`, `-itd`); `""` for a group of flags only.
 */
export function splitOption(text: string, valueLetters: string, { clap = false }: { clap?: boolean } = {}): [string, string | undefined] {
  if (text.startsWith("--")) return splitLong(text);
  const { option = "", value } = splitShort(text, valueLetters, { clap });
  return [option, value];
}

/**
 * An option word of a program that reads its options with clap (Rust's parser: fd, hyperfine, rg),
 * as {@link splitOption} reads it, but `-t=f` too is `-t` with `f`.
 */
export function splitClap(text: string, valueLetters: string): [string, string | undefined] {
  return splitOption(text, valueLetters, { clap: true });
}

/** The letters of the one-letter options among `options` (`-e`, `--type`, `-t` give `et`), for {@link splitShort}. */
export function shortLetters(options: Iterable<string>): string {
  return [...options].filter((o) => /^-[^-]$/.test(o)).map((o) => o.charAt(1)).join("");
}
