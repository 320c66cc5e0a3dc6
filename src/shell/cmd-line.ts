/**
 * Reads a cmd.exe command line (`cmd /c "rd /s /q C:\"`) as the PowerShell line that does the same
 * to files, so that the PowerShell analysis judges it: `rd /s` and `del /s` are `Remove-Item -Recurse`,
 * `%USERPROFILE%` is home, and other programs run with their words. A variable wren cannot know
 * stays one (`$env:NAME`), so its uses are judged as unknown, never as harmless.
 */

/** The values wren knows for cmd.exe's `%NAME%` variables, given the user's home. */
function knownVariables(home: string): Record<string, string> {
  const user = home.split(/[\\/]/).filter((p) => p.length > 0).pop() ?? "user";
  return {
    userprofile: home,
    appdata: `${home}\\AppData\\Roaming`,
    localappdata: `${home}\\AppData\\Local`,
    homedrive: "C:",
    homepath: `\\Users\\${user}`,
    systemdrive: "C:",
    systemroot: "C:\\Windows",
    windir: "C:\\Windows",
    programfiles: "C:\\Program Files",
    "programfiles(x86)": "C:\\Program Files (x86)",
    programdata: "C:\\ProgramData",
  };
}

/** Splits at cmd.exe's command separators (`&`, `&&`, `||`, `|`) outside quotes; `^` escapes the next character. */
function splitLine(line: string): { text: string; pipe: boolean }[] {
  const out: { text: string; pipe: boolean }[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (c === "^" && !quoted && i + 1 < line.length) {
      current += line[++i] === '"' ? '\\"' : line[i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === "&" || c === "|")) {
      const double = line[i + 1] === c;
      // `2>&1` is a redirection, not a separator.
      if (c === "&" && current.endsWith(">")) {
        current += c;
        continue;
      }
      out.push({ text: current, pipe: c === "|" && !double });
      current = "";
      if (double) i++;
      continue;
    }
    current += c;
  }
  out.push({ text: current, pipe: false });
  return out;
}

/** Words of one command, quotes removed (`"C:\Program Files"` is one word). */
function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/(?:"[^"]*"?|[^\s"]+)+/g)) words.push(m[0].replace(/"/g, ""));
  return words;
}

/** A cmd.exe word as a PowerShell string: known variables filled in, unknown ones left as `$env:NAME`. */
function quoteWord(word: string, vars: Record<string, string>): string {
  const redirect = /^(\d?>>?|<)(.*)$/.exec(word);
  if (redirect) return `${redirect[1] ?? ""}${redirect[2] ? quoteWord(redirect[2], vars) : ""}`;
  const parts: { text: string; env?: boolean }[] = [];
  let last = 0;
  for (const m of word.matchAll(/%([^%\s]+)%/g)) {
    parts.push({ text: word.slice(last, m.index) });
    const value = vars[(m[1] ?? "").toLowerCase()];
    parts.push(value === undefined ? { text: (m[1] ?? "").replace(/[^A-Za-z0-9_]/g, "_"), env: true } : { text: value });
    last = m.index + m[0].length;
  }
  parts.push({ text: word.slice(last) });
  if (!parts.some((p) => p.env)) {
    const text = parts.map((p) => p.text).join("");
    // Bare, so that a pattern stays one (cmd.exe's `del` expands `*` as Remove-Item does).
    return /^[A-Za-z0-9_.:\\/*?~+=][A-Za-z0-9_.:\\/*?~+=-]*$/.test(text) ? text : `'${text.replace(/'/g, "''")}'`;
  }
  return `"${parts.map((p) => (p.env ? `$($env:${p.text})` : p.text.replace(/[`"$]/g, "`$&"))).join("")}"`;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/** One cmd.exe command as PowerShell. */
function commandAsPowerShell(text: string, vars: Record<string, string>): string {
  const words = wordsOf(text.trim());
  const [first, ...rest] = words;
  if (!first) return "";
  const name = first.toLowerCase().replace(/\.exe$/, "");
  const flags = rest.filter((w) => /^\/[A-Za-z]/.test(w)).map((w) => w.toLowerCase());
  const operands = rest.filter((w) => !/^\/[A-Za-z]/.test(w));
  const quoted = (ws: string[]): string => ws.map((w) => quoteWord(w, vars)).join(" ");
  if (["rd", "rmdir", "del", "erase"].includes(name)) {
    const recurse = flags.some((f) => f.startsWith("/s"));
    return `Remove-Item ${recurse ? "-Recurse -Force " : ""}${quoted(operands)}`;
  }
  if (name === "cmd") return `cmd ${quoted(rest)}`;
  if (name === "rem") return "";
  return `${NAME.test(first) ? first : `& ${quoteWord(first, vars)}`} ${quoted(rest)}`.trimEnd();
}

/** The PowerShell line that does what a cmd.exe command line does, for the analysis to judge. */
export function cmdLineAsPowerShell(line: string, home: string): string {
  const vars = knownVariables(home);
  let out = "";
  for (const part of splitLine(line)) {
    out += commandAsPowerShell(part.text, vars);
    out += part.pipe ? " | " : "\n";
  }
  return out;
}
