/**
 * What `echo` with literal words writes, as each shell writes it, for the text a pipeline feeds a
 * decoder or a shell (`echo 'cm0gLXJmIC8=' | base64 -d | sh`). Where the shell's build decides
 * (bash built with xpg_echo decodes backslashes without `-e`; `sh` is dash on Debian, bash
 * elsewhere) every text it may write is given, so each is judged. A reading is undefined where an
 * escape's output is not certain (`\u00e9` depends on the locale).
 */
export type EchoShell = "bash" | "zsh" | "sh";

/** Each text echo may write in this shell, without repeats. Bytes are latin1-carried, as in decode.ts. */
export function echoReadings(words: readonly string[], shell: EchoShell): (string | undefined)[] {
  const readings = shell === "zsh" ? [zshEcho(words)] : shell === "bash" ? bashEchoes(words) : [dashEcho(words), ...bashEchoes(words)];
  return [...new Set(readings)];
}

/** bash's echo: leading words of n, e and E after one `-` are options (`-ne`); escapes with -e, or by default with xpg_echo. */
function bashEchoes(words: readonly string[]): (string | undefined)[] {
  const written = (xpg: boolean): string | undefined => {
    let newline = true;
    let escapes = xpg;
    let i = 0;
    for (; i < words.length && /^-[neE]+$/.test(words[i] ?? ""); i++) {
      for (const flag of (words[i] ?? "").slice(1)) {
        if (flag === "n") newline = false;
        else escapes = flag === "e";
      }
    }
    return write(words.slice(i).join(" "), escapes ? "bash" : undefined, newline);
  };
  return words.some((w) => w.includes("\\")) ? [written(false), written(true)] : [written(false)];
}

/** zsh's echo: options as bash's, a `-` ends them and is not written; escapes unless -E. */
function zshEcho(words: readonly string[]): string | undefined {
  let newline = true;
  let escapes = true;
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i] ?? "";
    if (w === "-") {
      i++;
      break;
    }
    if (!/^-[neE]+$/.test(w)) break;
    for (const flag of w.slice(1)) {
      if (flag === "n") newline = false;
      else escapes = flag === "e";
    }
  }
  return write(words.slice(i).join(" "), escapes ? "zsh" : undefined, newline);
}

/** dash's echo: only a first word of exactly `-n` is an option (`-e` is written); escapes always. */
function dashEcho(words: readonly string[]): string | undefined {
  const newline = words[0] !== "-n";
  return write((newline ? words : words.slice(1)).join(" "), "dash", newline);
}

type Dialect = "bash" | "zsh" | "dash";

const SIMPLE: Readonly<Record<string, string>> = { a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** The text with its escapes decoded as the dialect's echo does (none without one); `\c` ends the output, newline included. */
function write(text: string, dialect: Dialect | undefined, newline: boolean): string | undefined {
  if (!dialect) return newline ? `${text}\n` : text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c !== "\\" || next === undefined) {
      out += c;
      continue;
    }
    i++;
    if (next === "c") return out;
    const simple = SIMPLE[next] ?? (next === "E" && dialect === "bash" ? "\x1b" : undefined);
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    // `\0` and up to three octal digits; dash also reads `\NNN` without the 0. Each shell keeps the low byte.
    const octal = next === "0" ? /^[0-7]{0,3}/.exec(text.slice(i + 1))?.[0] : dialect === "dash" && /[1-7]/.test(next) ? /^[0-7]{1,3}/.exec(text.slice(i))?.[0] : undefined;
    if (octal !== undefined) {
      out += String.fromCharCode(parseInt(octal || "0", 8) & 0xff);
      i += next === "0" ? octal.length : octal.length - 1;
      continue;
    }
    if (dialect !== "dash" && (next === "x" || next === "u" || next === "U")) {
      const digits = /^[0-9a-fA-F]*/.exec(text.slice(i + 1))?.[0].slice(0, next === "x" ? 2 : next === "u" ? 4 : 8) ?? "";
      // bash writes `\x` without digits as it is, zsh a NUL; a character past ASCII is written in the locale's encoding.
      if (digits === "" && dialect === "bash") out += `\\${next}`;
      else if (digits === "" && next === "x") out += "\0";
      else if (digits === "" || (next !== "x" && parseInt(digits, 16) > 0x7f)) return undefined;
      else out += String.fromCharCode(parseInt(digits, 16));
      i += digits.length;
      continue;
    }
    out += `\\${next}`;
  }
  return newline ? `${out}\n` : out;
}
