import type { Word } from "./ir.js";

/**
 * What a sed script does besides editing text: GNU sed's `e COMMAND` runs a shell command (`e` alone,
 * and the `e` flag of `s///`, run the pattern space: text only known at run time), and `w FILE`
 * (`W FILE`, the `w` flag of `s///`) writes a file.
 */
export interface SedActions {
  runs: string[];
  runsInput: boolean;
  writes: string[];
}

/** The scripts of a sed command: every `-e`/`--expression` value, else its first operand. Dynamic ones are left out. */
export function sedScripts(args: readonly Word[]): Word[] {
  const given: Word[] = [];
  const operands: Word[] = [];
  let fromFile = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    const t = w.text;
    if (w.dynamic || t === "-" || !t.startsWith("-")) {
      operands.push(w);
      continue;
    }
    if (t === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (t.startsWith("--")) {
      const [option, value] = t.includes("=") ? [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)] : [t, undefined];
      if (option === "--expression") {
        const v = value === undefined ? args[++i] : { ...w, text: value };
        if (v) given.push(v);
      } else if (option === "--file") {
        fromFile = true;
        if (value === undefined) i++;
      } else if (option === "--line-length" && value === undefined) i++;
      continue;
    }
    for (let k = 1; k < t.length; k++) {
      const letter = t[k];
      if (letter === "i") break;
      if (letter !== "e" && letter !== "f" && letter !== "l") continue;
      const rest = t.slice(k + 1);
      const v = rest !== "" ? { ...w, text: rest } : args[++i];
      if (letter === "e" && v) given.push(v);
      if (letter === "f") fromFile = true;
      break;
    }
  }
  const scripts = given.length > 0 || fromFile ? given : operands.slice(0, 1);
  return scripts.filter((s) => !s.dynamic);
}

/** Reads a sed script's commands, as GNU sed does, for the ones that run commands or write files. */
export function sedActions(script: string): SedActions {
  const out: SedActions = { runs: [], runsInput: false, writes: [] };
  let i = 0;
  const n = script.length;
  const restOfLine = (): string => {
    const end = script.indexOf("\n", i);
    const text = script.slice(i, end < 0 ? n : end);
    i = end < 0 ? n : end + 1;
    return text.trim();
  };
  const skipDelimited = (delim: string): void => {
    while (i < n && script[i] !== delim) i += script[i] === "\\" ? 2 : 1;
    i++;
  };
  const skipAddress = (): void => {
    const c = script[i];
    if (c === "/" || c === "\\") {
      if (c === "\\") i++;
      const delim = script[i] ?? "/";
      i++;
      skipDelimited(delim);
      while (script[i] === "I" || script[i] === "M") i++;
    } else while (i < n && /[0-9$~+]/.test(script[i] ?? "")) i++;
  };
  while (i < n) {
    while (i < n && /[\s;{}!]/.test(script[i] ?? "")) i++;
    if (i >= n) break;
    skipAddress();
    if (script[i] === ",") {
      i++;
      skipAddress();
    }
    while (i < n && /[\s!]/.test(script[i] ?? "") && script[i] !== "\n") i++;
    const cmd = script[i];
    i++;
    if (cmd === "#" || cmd === ":" || cmd === "a" || cmd === "i" || cmd === "c" || cmd === "r" || cmd === "R" || cmd === "b" || cmd === "t" || cmd === "T") restOfLine();
    else if (cmd === "e") {
      const line = restOfLine();
      if (line === "") out.runsInput = true;
      else out.runs.push(line);
    } else if (cmd === "w" || cmd === "W") {
      const file = restOfLine();
      if (file !== "") out.writes.push(file);
    } else if (cmd === "s" || cmd === "y") {
      const delim = script[i] ?? "/";
      i++;
      skipDelimited(delim);
      skipDelimited(delim);
      if (cmd === "y") continue;
      while (i < n && /[gpiImMe0-9]/.test(script[i] ?? "")) {
        if (script[i] === "e") out.runsInput = true;
        i++;
      }
      if (script[i] === "w") {
        i++;
        const file = restOfLine();
        if (file !== "") out.writes.push(file);
      }
    }
  }
  return out;
}
