/** What PowerShell's variables read where wren knows them: `$HOME`, `$PWD`, `$env:…` and the user's folder variables a line leaves alone. */
import type { ExpandContext } from "./expand-context.js";
import type { Word } from "./ir.js";
import { WINDOWS_HOME_TEMP } from "./paths.js";

/** A read of an environment variable, not an assignment to it (`$env:TEMP`, `${env:TMP}`, not `$env:TEMP = …`). */
const ENV_READ = /\$(?:\{env:[A-Za-z_][A-Za-z0-9_]*\}|env:[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_:]))(?!\s*[-+*/%]?=)/gi;

/**
 * What the user's folder variables hold for a command line, by lower-case name: `HOME` and `USERPROFILE`
 * are home and, in a Windows home, `TEMP` and `TMP` are `HOME\AppData\Local\Temp`, `APPDATA` is
 * `HOME\AppData\Roaming` and `LOCALAPPDATA` is `HOME\AppData\Local` (PowerShell on Linux and macOS sets
 * none of these but its own, so only `HOME` and `USERPROFILE` are read there, as home, as before). One the line,
 * anywhere in its text, may set (`$env:TEMP = …`, `Set-Item Env:APPDATA`, cmd.exe's `set TEMP=…`,
 * `USERPROFILE=… pwsh`) is left out, and all of them where it may set a variable it does not name
 * (`[Environment]::SetEnvironmentVariable`, `New-Item -Path Env:`) or runs text that wren must decode
 * first: they are then values only known at run time.
 */
export function userFolders(line: string, home: string): ReadonlyMap<string, string> {
  const rest = line.replace(ENV_READ, "");
  // A setter whose variable wren cannot name (`New-Item -Path Env: -Name TEMP`, `[Environment]::…`), or decoded text: any of them.
  if (/env:(?![\\/]?[A-Za-z_])|environment|psvariable|sessionstate|frombase64|\s[-/]e(c|nc|ncodedcommand)?\s/i.test(rest)) return new Map();
  const base = home.replace(/[\\/]+$/, "");
  const temp = `${base}\\${WINDOWS_HOME_TEMP}`;
  const folders = /^[A-Za-z]:[\\/]|^\\\\/.test(home)
    ? { home, userprofile: home, temp, tmp: temp, appdata: `${base}\\AppData\\Roaming`, localappdata: `${base}\\AppData\\Local` }
    : { home, userprofile: home };
  // A variable the line may set itself (`$env:TEMP = …`, `Set-Item Env:HOME`, `set TEMP=…`) is a value only known at run time.
  const set = (name: string): boolean => new RegExp(`env:[\\\\/]?${name}(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])${name}\\s*=`, "i").test(rest);
  return new Map(Object.entries(folders).filter(([name]) => !set(name)));
}

export function knownVariable(name: string, env: ExpandContext): string | undefined {
  const n = name.toLowerCase();
  // PowerShell's own `$HOME` is set when it starts and cannot be assigned; `$env:HOME` can (see `userFolders`).
  if (n === "home" || ((n === "env:home" || n === "env:userprofile") && env.userFolders === undefined)) return env.home;
  if (n.startsWith("env:") && env.userFolders !== undefined) {
    const folder = env.userFolders.get(n.slice(4));
    if (folder !== undefined) return folder;
  }
  if (n === "pwd") return env.cwd;
  if (n === "env:systemroot" || n === "env:windir") return "C:\\Windows";
  if (n === "env:systemdrive") return "C:";
  if (n === "env:programfiles") return "C:\\Program Files";
  if (n === "null") return "$null";
  return undefined;
}

/**
 * The name of a variable read inside a longer word (`"Bearer $env:OPENAI_API_KEY"`, `"$d\x"`), in
 * the word's `vars`, so it is filled in there and a secret it holds is followed as in a word of its own.
 */
export function slotName(variable: Word): string | null {
  return variable.vars?.[0] ?? null;
}
