import { POWERSHELL_ALIASES } from "./rules.js";

/**
 * Reads a cmd.exe command line (`cmd /c "rd /s /q C:\"`) as the PowerShell line that does the same
 * to files, so that the PowerShell analysis judges it: `rd /s` and `del /s` are `Remove-Item -Recurse`,
 * `%USERPROFILE%` is home, `%CD%` the directory the line starts in, labels and jumps leave every
 * command read, `set NAME=VALUE` gives later `%NAME%` and `!NAME!` that value, `for %d in
 * (…) do …` runs its command once per value, `if … (…) else (…)` both commands, and other programs
 * run with their words (as programs: `sc` is sc.exe, never PowerShell's alias). A variable wren cannot know stays one (`$env:NAME`), so its uses are judged
 * as unknown, never as harmless, and so does a loop over what wren cannot list (`for /f`, `for /l`),
 * while `for /r DIR %f in (*)` is every file under DIR. A command it cannot read is unknown too.
 */

/**
 * cmd.exe's variables by lower-case name: a value wren knows, or undefined where the line set one
 * that wren cannot know (`set /p`, `set /a`).
 */
type CmdVariables = Map<string, string | undefined>;

/**
 * The values wren knows for cmd.exe's `%NAME%` variables, given the user's home and the directory the
 * line starts in (`%CD%`, filled in when cmd.exe reads the line, as the others are). `%RANDOM%`,
 * `%DATE%`, `%ERRORLEVEL%` and the like stay unknown.
 */
function knownVariables({ home, cwd, cwdUnknown }: CmdPlace): CmdVariables {
  const user = home.split(/[\\/]/).filter((p) => p.length > 0).pop() ?? "user";
  return new Map(Object.entries({
    ...(cwdUnknown ? {} : { cd: cwd }),
    userprofile: home,
    temp: `${home}\\AppData\\Local\\Temp`,
    tmp: `${home}\\AppData\\Local\\Temp`,
    onedrive: `${home}\\OneDrive`,
    public: "C:\\Users\\Public",
    allusersprofile: "C:\\ProgramData",
    commonprogramfiles: "C:\\Program Files\\Common Files",
    comspec: "C:\\Windows\\system32\\cmd.exe",
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
  }));
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
function quoteWord(word: string, vars: CmdVariables): string {
  const redirect = /^(\d?>>?|<)(.*)$/.exec(word);
  if (redirect) return `${redirect[1] ?? ""}${redirect[2] ? quoteWord(redirect[2], vars) : ""}`;
  return stringOf(word, vars, true);
}

/**
 * Text as a PowerShell string, known variables filled in and unknown ones left as `$env:NAME`; with
 * `bare`, a plain word is left without quotes (so that a pattern stays one: cmd.exe's `del` expands
 * `*` as Remove-Item does).
 */
function stringOf(word: string, vars: CmdVariables, bare: boolean): string {
  const parts: { text: string; env?: boolean }[] = [];
  let last = 0;
  // `!NAME!` is NAME's value when the command runs (delayed expansion, `cmd /v:on`).
  for (const m of word.matchAll(/%([^%\s]+)%|!([^!\s]+)!/g)) {
    parts.push({ text: word.slice(last, m.index) });
    const name = m[1] ?? m[2] ?? "";
    // `!CD!` is the directory when the command runs, after any `cd` before it on the line.
    const value = m[2]?.toLowerCase() === "cd" && vars.has("cd") ? "." : withoutEndBlanks(vars.get(name.toLowerCase()));
    parts.push(value === undefined ? { text: name.replace(/[^A-Za-z0-9_]/g, "_"), env: true } : { text: value });
    last = m.index + m[0].length;
  }
  parts.push({ text: word.slice(last) });
  if (!parts.some((p) => p.env)) {
    const text = parts.map((p) => p.text).join("");
    return bare && /^[A-Za-z0-9_.:\\/*?~+=][A-Za-z0-9_.:\\/*?~+=-]*$/.test(text) ? text : `'${text.replace(/'/g, "''")}'`;
  }
  return `"${parts.map((p) => (p.env ? `$($env:${p.text})` : p.text.replace(/[`"$]/g, "`$&"))).join("")}"`;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * A value without the blanks it ends in (`set D=C:\ && …` sets `C:\ `). Inside a word they make no
 * difference to what wren judges: Windows drops them at the end of a path (`"C:\ "` is C:\), and a
 * folder whose name ends in a blank in the middle of a path (`"C:\x \y"`) is one that Windows tools
 * cannot make, so the path without them is the stricter reading. Where they end a word, see {@link blanksEndingWords}.
 */
function withoutEndBlanks(value: string | undefined): string | undefined {
  return value?.replace(/[ \t]+$/, "");
}

/**
 * cmd.exe fills `%NAME%` and `!NAME!` in before a command splits its words, so the blanks a value
 * ends in end the word there: with `C:\ ` in D, `rd /s /q %D%tmp` is `rd /s /q C:\ tmp`, which
 * deletes C:\. The command with a blank after each such variable outside quotes that more of the
 * word follows; the same command where there is none.
 */
function blanksEndingWords(text: string, vars: CmdVariables): string {
  let out = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === '"') quoted = !quoted;
    const m = quoted ? null : /^(?:%([^%\s]+)%|!([^!\s]+)!)/.exec(text.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    out += m[0];
    i += m[0].length - 1;
    const value = vars.get((m[1] ?? m[2] ?? "").toLowerCase());
    if (value !== undefined && /[ \t]$/.test(value) && /\S/.test(text[i + 1] ?? " ")) out += " ";
  }
  return out;
}

/** A command wren cannot read: judged as one whose name is only known at run time. */
const UNREAD = "& $env:cmd_line_unread";

/** More values than this in a `for` list leave its variable unknown (as in the other shells). */
const MAX_LOOP_VALUES = 16;

/** One cmd.exe command as PowerShell; `set` changes `vars` for the commands after it. */
function commandAsPowerShell(raw: string, vars: CmdVariables, depth: number): string {
  let text = raw.trimStart().replace(/^@/, "");
  if (depth > 8) return UNREAD;
  // `(rd /s /q C:\)`: a block's commands.
  if (text.startsWith("(")) text = text.slice(1);
  // The `)` that ends a block whose `(` an `&` inside it left on an earlier command (the blanks
  // before it are the command's: `(set D=x )` sets `x `).
  const count = (c: string): number => text.split(c).length - 1;
  while (text.trimEnd().endsWith(")") && count(")") > count("(")) text = text.trimEnd().slice(0, -1);
  const keyword = /^(\w+)/.exec(text)?.[1]?.toLowerCase();
  if (keyword === "set") return setVariable(text, vars);
  text = text.trimEnd();
  if (keyword === "setlocal" || keyword === "endlocal") return "";
  if (keyword === "if") return ifCommand(text, vars, depth);
  if (keyword === "for") return forCommand(text, vars, depth);
  if (keyword === "call") return lineAsPowerShell(text.slice(4), vars, depth + 1);
  if (keyword === "start") return startCommand(text, vars, depth);
  // A label, and a jump: every command of the line is read whether a jump skips it or runs it
  // again (and outside a batch file cmd.exe finds no label), so neither is a command. A jump to a
  // label only known at run time is one wren cannot follow.
  if (text.startsWith(":")) return "";
  if (keyword === "goto") return /%[^%\s]+%|![^!\s]+!/.test(text) && quoteWord(text.slice(4).trim(), vars).startsWith('"') ? UNREAD : "";
  // Read with the words the blanks a value ends in make, and as before too, so that no reading is lost.
  const split = blanksEndingWords(text, vars);
  return split === text ? programAsPowerShell(text, vars) : `${programAsPowerShell(split, vars)}\n${programAsPowerShell(text, vars)}`;
}

/** A cmd.exe command that runs a program or `rd`, `del` and the like, as PowerShell. */
function programAsPowerShell(text: string, vars: CmdVariables): string {
  const words = wordsOf(text);
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
  const program = programName(first);
  return `${NAME.test(program) ? program : `& ${quoteWord(program, vars)}`} ${quoted(rest)}`.trimEnd();
}

/** cmd.exe's own commands that PowerShell has an alias of the same name for, doing the same to files. */
const CMD_BUILTINS = new Set(["copy", "move", "type", "dir", "echo", "start", "del", "erase", "rd", "rmdir"]);

/**
 * cmd.exe has no aliases: a name that is not one of its own commands is a program, even where
 * PowerShell would read the name as an alias (`sc` is sc.exe there, not Set-Content). Such a name
 * is written with `.exe`, which PowerShell never reads as an alias, so the program's rules judge it.
 */
function programName(first: string): string {
  const base = first.split(/[\\/]/).pop() ?? first;
  const key = base.toLowerCase();
  return key in POWERSHELL_ALIASES && !CMD_BUILTINS.has(key) ? `${first}.exe` : first;
}

/** What `set /p` reads and `set /a` computes: the value of a variable no program sets, only known at run time. */
const UNKNOWN_VALUE = '"$($env:cmd_set_unknown)"';

/**
 * `set NAME=VALUE` (`set "NAME=VALUE"`; `set NAME="VALUE"` keeps the quotes in the value, as
 * cmd.exe does): later `%NAME%` and `!NAME!` are VALUE. cmd.exe fills in
 * `%NAME%` when it reads the whole line, before `set` runs; wren takes the value set, erring on the
 * side of caution. `set /p` (typed in) and `set /a` (arithmetic) leave the value unknown. The
 * programs started after it get the variable: it is read as `$env:NAME = 'VALUE'`, which judges what
 * the value makes them do (`NODE_OPTIONS`, `PATH`, `GIT_SSH_COMMAND`: see `env-injection.ts`).
 */
function setVariable(text: string, vars: CmdVariables): string {
  // The blanks before the end of the command are the value's (`set D=x && …` sets `x `).
  const m = /^set\s+(\/[ap]\s+)?(")?([^=\s"]+)=([^\r\n]*)\s*$/i.exec(text);
  if (!m) return "";
  const name = (m[3] ?? "").toLowerCase();
  // `set "NAME=VALUE" rest` sets what is before the last quote; `set NAME="VALUE"` keeps both quotes.
  const rest = m[4] ?? "";
  const value = m[2] && rest.includes('"') ? rest.slice(0, rest.lastIndexOf('"')) : rest;
  const given = m[3] ?? "";
  // What the value makes programs do is judged without those blanks (see `withoutEndBlanks`).
  const assigned = /^[A-Za-z_][A-Za-z0-9_]*$/.test(given) ? `$env:${given} = ${m[1] ? UNKNOWN_VALUE : stringOf(withoutEndBlanks(value) ?? "", vars, false)}` : "";
  if (m[1]) vars.set(name, undefined);
  else {
    let known = true;
    const filled = value.replace(/%([^%\s]+)%|!([^!\s]+)!/g, (_, a: string | undefined, b: string | undefined) => {
      const v = vars.get((a ?? b ?? "").toLowerCase());
      if (v === undefined) known = false;
      return v ?? "";
    });
    vars.set(name, known ? filled : undefined);
  }
  return assigned;
}

/**
 * `start ["title"] [/b /wait /d DIR …] COMMAND` runs COMMAND as cmd.exe would (in a new window), so
 * a program named without a path is looked for in the current folder first. A first quoted word is
 * the window's title, never the program; with no command, `start` opens a new cmd.exe window.
 */
function startCommand(text: string, vars: CmdVariables, depth: number): string {
  let rest = text.slice("start".length).trimStart().replace(/^"[^"]*"\s*/, "");
  // `/d DIR`, `/node N` and `/affinity MASK` take a value; the other options do not.
  const option = /^\/(?:(?:d|node|affinity)\s*(?:"[^"]*"|\S+)|\S+)\s*/i;
  for (let m = option.exec(rest); m; m = option.exec(rest)) rest = rest.slice(m[0].length);
  return rest === "" ? "" : commandAsPowerShell(rest, vars, depth + 1);
}

/** `if [/i] [not] CONDITION COMMAND [else COMMAND]`: either command may run, so both are read. */
function ifCommand(text: string, vars: CmdVariables, depth: number): string {
  const m = /^if\s+(?:\/i\s+)?(?:not\s+)?(?:(?:exist|defined|errorlevel|cmdextversion)\s+(?:"[^"]*"|\S+)|(?:"[^"]*"|[^\s=]+)\s*(?:==|\s(?:equ|neq|lss|leq|gtr|geq)\s)\s*(?:"[^"]*"|\S+))\s+(.+)$/i.exec(text);
  if (!m) return UNREAD;
  const branches = (m[1] ?? "").split(/\)?\s+else\s+/i);
  return branches.map((b) => commandAsPowerShell(b, vars, depth + 1)).join("\n");
}

/**
 * `for [/d] %d in (a b) do COMMAND` runs COMMAND once per value with `%d` (`%%d` in a batch file)
 * replaced; `for /r DIR %f in (*)` runs it with `DIR\*`. A loop over what wren cannot list (`/f`
 * over a command's output or a file, `/r` over some names, `/l`, more than 16 values) runs it with
 * `%d` unknown.
 */
function forCommand(text: string, vars: CmdVariables, depth: number): string {
  // The root of `for /r ROOT` may hold variables (`%USERPROFILE%`), but not the loop's `%f`.
  const m = /^for\s+(\/[a-z](?:\s+(?:"[^"]*"|(?:[^\s%"]|%[^%\s]+%)+))?\s+)?(%%?[A-Za-z])\s+in\s*\(([^)]*)\)\s*do\s+(.+)$/i.exec(text);
  if (!m) return UNREAD;
  const [option = "", ...rootWords] = wordsOf((m[1] ?? "").trim());
  const root = rootWords.join(" ") || ".";
  const variable = m[2] ?? "";
  const body = m[4] ?? "";
  const values = [...(m[3] ?? "").matchAll(/"[^"]*"|[^\s,;=]+/g)].map((v) => v[0]);
  const listed = (option === "" || option.toLowerCase() === "/d") && values.length > 0 && values.length <= MAX_LOOP_VALUES;
  // `for /r C:\ %f in (*)`: every file under C:\, as `C:\*` names them.
  const everything = option.toLowerCase() === "/r" && values.length === 1 && /^\*(\.\*)?$/.test(values[0] ?? "");
  const each = listed ? values : everything ? [`"${root.replace(/\\+$/, "")}\\*"`] : ["%cmd_loop_value%"];
  return each.map((v) => commandAsPowerShell(body.split(variable).join(v), vars, depth + 1)).join("\n");
}

/** A cmd.exe command line as PowerShell: its commands in order, pipes kept. */
function lineAsPowerShell(line: string, vars: CmdVariables, depth: number): string {
  let out = "";
  for (const part of splitLine(line)) {
    out += commandAsPowerShell(part.text, vars, depth);
    out += part.pipe ? " | " : "\n";
  }
  return out;
}

/** Where a cmd.exe line runs: the user's home and the directory it starts in (`%CD%`). */
export interface CmdPlace {
  home: string;
  cwd: string;
  /** An earlier `cd` went somewhere only known at run time: `%CD%` is unknown too. */
  cwdUnknown?: boolean;
}

/** The PowerShell line that does what a cmd.exe command line does, for the analysis to judge. */
export function cmdLineAsPowerShell(line: string, place: CmdPlace): string {
  return lineAsPowerShell(line, knownVariables(place), 0);
}
