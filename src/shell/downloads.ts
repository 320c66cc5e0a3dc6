import path from "node:path";
import type { Cmd, Script, Word } from "./ir.js";
import { DOWNLOADERS, POWERSHELL_ALIASES, WINDOWS_PROGRAMS, WRAPPERS } from "./rules.js";

/**
 * Where code comes from the network: downloader commands (after wrappers), `.DownloadString(…)`
 * calls, substitutions that download, and files a downloader wrote earlier on the same line.
 */

/** True when running the script downloads something from the network. */
export function scriptDownloads(script: Script, powershell = false): boolean {
  return script.units.some((unit) => {
    if (unit.kind === "pipeline") return unit.stages.some((c) => cmdDownloads(c, powershell));
    if (unit.kind === "function") return scriptDownloads(unit.body, powershell);
    if (unit.kind === "expand") return unit.words.some((w) => wordDownloads(w, powershell));
    return false;
  });
}

/** True when expanding the word downloads (a substitution that downloads, `.DownloadString(…)`). */
export function wordDownloads(word: Word, powershell: boolean): boolean {
  if (word.member && /download(string|file|data)|openread/i.test(word.text)) return true;
  return word.subs.some((s) => scriptDownloads(s, powershell));
}

/** True when the command is a downloader, possibly behind wrappers (`sudo curl`, `xargs wget`). */
export function cmdDownloads(cmd: Cmd, powershell: boolean): boolean {
  if (cmd.argv.some((w) => wordDownloads(w, powershell))) return true;
  // A block whose commands' output the command is (`{ curl …; } | bash`, `& { iwr … } | iex`).
  if (cmd.argv.length === 0 && cmd.body && scriptDownloads(cmd.body, powershell)) return true;
  for (const w of cmd.argv) {
    if (w.dynamic) return false;
    const name = commandName(w.text, powershell);
    if (DOWNLOADERS.has(name)) return true;
    if (!(name in WRAPPERS) && name !== "xargs") return false;
  }
  return false;
}

/**
 * A command word as the rules know it: no leading `\`, base name only; PowerShell lowercased, aliases
 * expanded. A Windows program (`sc`, `reg`, `schtasks`, …) is its lowercase name without `.exe` in
 * every shell: bash, zsh and fish on Windows (Git Bash, WSL) run `SC.EXE`, `sc.exe` and `Sc` alike.
 */
export function commandName(raw: string, powershell: boolean): string {
  if (powershell) return powershellName(raw);
  // Most names are a bare word: no path, no extension, no leading backslash to take off.
  if (!/[\\/.]/.test(raw)) {
    const lower = raw.toLowerCase();
    return WINDOWS_PROGRAMS.has(lower) ? lower : raw;
  }
  let name = raw.replace(/^\\+/, "");
  const program = name.split(/[\\/]/).pop()?.toLowerCase().replace(/\.(exe|com)$/, "") ?? "";
  if (WINDOWS_PROGRAMS.has(program)) return program;
  // Any other `.exe` is a Windows program too, and its name is read in any case (`SHUTDOWN.EXE`).
  if (/\.(exe|com)$/i.test(name)) name = name.toLowerCase();
  if (name.includes("/")) name = name.split("/").pop() ?? name;
  return name;
}

/** A module name as a module-qualified command starts with it (`Microsoft.PowerShell.Management\Remove-Item`). */
const MODULE_NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * True when PowerShell may read the word as a module-qualified command (`Module\name`), whose name
 * is that module's command. The same word may be a relative path to a program (`bin\sc`).
 */
export function mayBeModuleQualified(raw: string): boolean {
  const parts = raw.split("\\");
  return parts.length === 2 && !raw.includes("/") && MODULE_NAME.test(parts[0] ?? "");
}

function powershellName(raw: string): string {
  const parts = raw.split(/[\\/]/);
  const name = (parts.pop() ?? raw).toLowerCase();
  // PowerShell never applies an alias to a name with an extension: `sc.exe` is the service
  // control tool, not `sc` (Set-Content), and `curl.exe` is curl. `.bat` and `.cmd` names keep theirs.
  if (/\.(exe|com)$/.test(name)) return name.slice(0, -4);
  if (/\.(bat|cmd)$/.test(name)) return name;
  // Nor to a path: `C:\Windows\System32\sc` and `.\sc` run sc.exe. A bare name and a
  // module-qualified one are looked up as commands.
  if (parts.length > 0 && !mayBeModuleQualified(raw)) return name;
  return POWERSHELL_ALIASES[name] ?? name;
}

/**
 * Programs that Windows PowerShell 5 hides behind an alias of the same name (`curl` and `wget` are
 * Invoke-WebRequest there) and PowerShell 7 runs, having dropped those aliases.
 */
export const NATIVE_UNDER_ALIAS: ReadonlySet<string> = new Set(["curl", "wget"]);

const OUTPUT_OPTIONS = ["-o", "--output", "-O", "--output-document", "-OutFile", "-outfile"];

/** A group of short options that ends in the one naming the output file (`curl -fsSLo F`, `wget -qO F`). */
const OUTPUT_GROUP = /^-[A-Za-z0-9#]+[oO]$/;

/** curl's `-O`, alone or ending a group (`-LO`, `-fsSLO`): save under the URL's file name. */
const REMOTE_NAME = /^-[A-Za-z0-9#]*O$/;

/** Remembers where a downloader writes, so running that file later on the same line is caught. */
export function recordDownload(cmd: Cmd, downloaded: Set<string>, cwd: string, powershell: boolean): void {
  // A block's commands (each judged itself) without a redirection of its own write nothing here; not reading them again keeps nested blocks linear.
  if (cmd.argv.length === 0 && cmd.redirects.length === 0) return;
  if (!cmdDownloads(cmd, powershell)) return;
  const words = cmd.argv;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    const output = w && (OUTPUT_OPTIONS.includes(w.text) || OUTPUT_GROUP.test(w.text) || (powershell && w.param === true && cmdletOutput(w.text, words[0])));
    if (output && next && !next.dynamic && !next.param && next.text !== "-") downloaded.add(resolved(next.text, cwd));
  }
  for (const r of cmd.redirects) if (r.op.includes(">") && !r.target.dynamic) downloaded.add(resolved(r.target.text, cwd));
  const destination = powershell ? bitsDestination(words) : undefined;
  if (destination) downloaded.add(resolved(destination.text, cwd));
  const name = words[0]?.text ?? "";
  const last = words[words.length - 1];
  // `curl -O URL` (`-LO`) and `wget URL` save under the URL's file name.
  if (last && !last.dynamic && /^https?:\/\//.test(last.text) && (/wget$/.test(name) || words.some((w) => w.text === "--remote-name" || (!w.dynamic && REMOTE_NAME.test(w.text))))) {
    const file = last.text.split(/[?#]/)[0]?.split("/").pop();
    if (file) downloaded.add(resolved(file, cwd));
  }
}

/** Start-BitsTransfer's switches: every other parameter takes a value. */
const BITS_SWITCHES = ["-asynchronous", "-dynamic", "-suspended", "-whatif", "-confirm"];

/**
 * Start-BitsTransfer's destination given by position (`Start-BitsTransfer URL x.ps1`, `-Source URL
 * x.ps1`): its positional parameters are -Source, then -Destination; a named -Destination is read
 * with -OutFile's. Without one it saves into the current folder under the URL's file name
 * (`Start-BitsTransfer https://x.io/i.ps1` writes `i.ps1`).
 */
function bitsDestination(words: readonly Word[]): Word | undefined {
  const [command, ...args] = words;
  if (!command || command.dynamic || commandName(command.text, true) !== "start-bitstransfer") return undefined;
  const loose: Word[] = [];
  let source: Word | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as Word;
    if (!w.param) {
      loose.push(w);
      continue;
    }
    const given = w.text.replace(/:$/, "").toLowerCase();
    if (given.length >= 5 && "-destination".startsWith(given)) return undefined;
    const takesValue = !BITS_SWITCHES.some((s) => given.length >= 3 && s.startsWith(given)) && args[i + 1] && !args[i + 1]?.param;
    if (given.length >= 3 && "-source".startsWith(given)) source = takesValue ? args[i + 1] : undefined;
    if (takesValue) i++;
  }
  const destination = source ? loose[0] : loose[1];
  if (destination) return !destination.dynamic && destination.text !== "-" ? destination : undefined;
  const url = source ?? loose[0];
  const file = url && !url.dynamic && /^https?:\/\//i.test(url.text) ? url.text.split(/[?#]/)[0]?.split("/").slice(3).pop() : undefined;
  return url && file ? { ...url, text: file } : undefined;
}

/**
 * A web cmdlet's -OutFile cut short (`-OutF` at least: `-Out` is also -OutVariable's) or written
 * `-OutFile:`, and Start-BitsTransfer's -Destination (`-Dest` at least: `-Des` is also -Description's).
 */
function cmdletOutput(param: string, command: Word | undefined): boolean {
  const given = param.replace(/:$/, "").toLowerCase();
  if (given.length < 5) return false;
  if ("-outfile".startsWith(given)) return true;
  return "-destination".startsWith(given) && command !== undefined && commandName(command.text, true) === "start-bitstransfer";
}

/**
 * A path from the working directory, `\` read as `/` in both (a Windows one, `C:\Users\ada\code\app`,
 * as a `cd` there leaves it), and a drive's path (`C:\src`) read as absolute, `/C:/src`. A path on a
 * drive is in lower case (`/c:/src`): Windows's file systems read names in any case, so `.\Y\x.ps1`
 * is the file that `git clone …/y` or `-OutFile y\x.ps1` made. A POSIX path keeps its case.
 */
export function resolved(file: string, cwd: string): string {
  const abs = path.posix.resolve(posixPath(cwd), posixPath(file));
  return /^\/[A-Za-z]:(\/|$)/.test(abs) ? abs.toLowerCase() : abs;
}

/** `\` read as `/`, and a drive's path made absolute (`C:\src` as `/C:/src`). */
function posixPath(p: string): string {
  const slashed = p.replace(/\\/g, "/");
  return /^[A-Za-z]:(\/|$)/.test(slashed) ? `/${slashed}` : slashed;
}

/** Whether a path is absolute: `/x`, `\x`, or a drive's (`C:\x`). */
export function isAbsolutePath(p: string): boolean {
  return posixPath(p).startsWith("/");
}

/** The extensions cmd.exe tries, in PATHEXT's order, for a program named without one. */
const PATHEXT = [".com", ".exe", ".bat", ".cmd", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".msc"];

/**
 * True when a program name cmd.exe runs without a path is a file downloaded earlier on the line:
 * cmd.exe looks in the current folder before PATH, in any case, adding PATHEXT's extensions to a
 * name without one (`a` runs `a.bat`). The reading of a cmd.exe line writes a program PowerShell
 * has an alias for with `.exe` (`sc.exe`), so that name is also tried without it.
 */
export function cmdRunsDownloaded(word: Word | undefined, downloaded: ReadonlySet<string>, cwd: string): boolean {
  if (!word || word.dynamic || downloaded.size === 0 || /[\\/]/.test(word.text)) return false;
  const name = word.text.toLowerCase();
  const bases = [name, ...(name.endsWith(".exe") ? [name.slice(0, -4)] : [])];
  const candidates = new Set(bases.flatMap((b) => [b, ...PATHEXT.map((e) => b + e)]).map((c) => resolved(c, cwd).toLowerCase()));
  return [...downloaded].some((file) => candidates.has(file.toLowerCase()));
}

/**
 * True when what Start-Process, cmd.exe's `start`, Invoke-Item or `powershell -File` opens is a file
 * downloaded earlier on the line: a path to it, or its name, which these look for in the current folder.
 */
export function opensDownloaded(word: Word | undefined, downloaded: ReadonlySet<string>, cwd: string): boolean {
  return wasDownloaded(word, downloaded, cwd) || cmdRunsDownloaded(word, downloaded, cwd);
}

/** True when a word names a file downloaded earlier on the same command line. */
export function wasDownloaded(word: Word | undefined, downloaded: ReadonlySet<string>, cwd: string): boolean {
  return word !== undefined && !word.dynamic && downloaded.size > 0 && downloaded.has(resolved(word.text, cwd));
}
