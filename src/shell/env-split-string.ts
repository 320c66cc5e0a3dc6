import { RUN_TIME, literalWord, type Word } from "./ir.js";
import { longOption } from "./long-options.js";
import { ENV_LONG_OPTIONS } from "./rules.js";

/**
 * What env runs given `-S STRING` (`-SSTRING`, `--split-string[=]STRING`, cut short or not): GNU
 * env splits STRING into words and reads them, then the words after it, as its own arguments again,
 * options and `NAME=value` included (`env -S 'rm -rf /'` runs `rm -rf /`, a shebang line
 * `#!/usr/bin/env -S bash -e` runs `bash -e FILE`). `argv` is env's arguments with every such
 * string split in place; `unknown` the string where it is only known at run time; `refused` where
 * env refuses the string (an unclosed quote, `$VAR` without braces) and runs nothing.
 */
export type EnvArguments = { argv: Word[] } | { unknown: Word } | { refused: true };

/** More strings than this (each one's words holding another `-S`) are left as they are. */
const MAX_SPLITS = 16;

export function envArguments(args: Word[]): EnvArguments {
  let argv = args;
  for (let n = 0; n < MAX_SPLITS; n++) {
    const found = splitOption(argv);
    if (!found) return { argv };
    if (found.value.dynamic) return { unknown: found.value };
    const words = splitString(found.value.text);
    if (!words) return { refused: true };
    argv = [...found.before, ...words, ...found.after];
  }
  return { argv };
}

/** The first `-S` among env's options (read as getopt reads them), the options before it and the words after its value. */
function splitOption(args: readonly Word[]): { before: Word[]; value: Word; after: Word[] } | undefined {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-") || w.text === "-" || w.text === "--") return undefined;
    const t = w.text;
    if (t.startsWith("--")) {
      const long = longOption(t, ENV_LONG_OPTIONS);
      const eq = t.indexOf("=");
      if (long === "--split-string") {
        const value = eq >= 0 ? literalWord(t.slice(eq + 1)) : args[i + 1];
        return value ? { before: args.slice(0, i), value, after: args.slice(i + (eq >= 0 ? 1 : 2)) } : undefined;
      }
      if (eq < 0 && (long === "--unset" || long === "--chdir")) i++;
      continue;
    }
    for (let k = 1; k < t.length; k++) {
      const c = t[k];
      const rest = t.slice(k + 1);
      if (c === "S") {
        const value = rest ? literalWord(rest) : args[i + 1];
        const bundle = k > 1 ? [literalWord(t.slice(0, k))] : [];
        return value ? { before: [...args.slice(0, i), ...bundle], value, after: args.slice(i + (rest ? 1 : 2)) } : undefined;
      }
      if (c === "u" || c === "C") {
        if (!rest) i++;
        break;
      }
    }
  }
  return undefined;
}

/**
 * STRING split as GNU env splits it: blanks separate words outside quotes; `'…'` keeps all but
 * `\\` and `\'`; `"…"` and bare text take the escapes `\" \# \$ \' \\ \f \n \r \t \v`, `\_` (a blank
 * in double quotes, else a separator) and `\c` (the end); `${NAME}` outside single quotes is NAME's
 * value, never split, and `#` starting a word starts a comment. Undefined where env refuses it.
 */
export function splitString(text: string): Word[] | undefined {
  const words: Word[] = [];
  let current: { text: string; vars: string[] } | undefined;
  let sq = false;
  let dq = false;
  const append = (s: string): void => {
    current ??= { text: "", vars: [] };
    current.text += s;
  };
  const finish = (): void => {
    if (current) words.push(current.vars.length > 0 ? { text: current.text, dynamic: true, glob: false, subs: [], vars: current.vars } : literalWord(current.text));
    current = undefined;
  };
  const ESCAPES: Record<string, string> = { '"': '"', "#": "#", $: "$", "'": "'", "\\": "\\", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
  let i = 0;
  scan: while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === "'" && !dq) {
      sq = !sq;
      append("");
      i++;
    } else if (ch === '"' && !sq) {
      dq = !dq;
      append("");
      i++;
    } else if (/[ \t\n\v\f\r]/.test(ch) && !sq && !dq) {
      finish();
      i++;
    } else if (ch === "#" && !current) {
      break;
    } else if (ch === "\\" && !(sq && text[i + 1] !== "\\" && text[i + 1] !== "'")) {
      const next = text[i + 1];
      if (next === undefined) return undefined;
      if (next === "_") {
        if (dq) append(" ");
        else finish();
      } else if (next === "c") {
        if (dq) return undefined;
        break scan;
      } else {
        const escaped = ESCAPES[next];
        if (escaped === undefined) return undefined;
        append(escaped);
      }
      i += 2;
    } else if (ch === "$" && !sq) {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(text.slice(i));
      if (!m) return undefined;
      append(RUN_TIME);
      current?.vars.push(m[1] ?? "");
      i += m[0].length;
    } else {
      append(ch);
      i++;
    }
  }
  if (sq || dq) return undefined;
  finish();
  return words;
}
