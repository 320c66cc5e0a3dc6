import type { Assign, Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { codeOf, type Ctx } from "./evaluate-context.js";
import { wasDownloaded, wordDownloads } from "./downloads.js";
import { classifyPath, copyDestination, type PathClass } from "./paths.js";
import { fishSet, resolveWord } from "./variables.js";

/**
 * Variables whose value is a command line that a program or the shell runs later through `sh -c`
 * (git's ssh, pager, editors and external diff, less's input filter, bash's prompt hook, the askpass
 * helpers of sudo, ssh and git, rsync's and CVS's remote shell, the pagers of systemd, psql, bat, delta
 * and gh): the value is judged as that line.
 */
const COMMAND_LINES = new Set([
  "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "MANPAGER", "EDITOR", "VISUAL",
  "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "PROMPT_COMMAND", "SUDO_ASKPASS", "SSH_ASKPASS", "GIT_ASKPASS", "RSYNC_RSH", "CVS_RSH", "LESSOPEN",
  "SYSTEMD_PAGER", "PSQL_PAGER", "BAT_PAGER", "DELTA_PAGER", "GH_PAGER",
]);

/**
 * What a variable makes programs load: a file, the libraries of a folder, or a `name` looked up on
 * the program's own load path (a Perl module, a Ruby library), which is anywhere on the machine.
 */
interface Loaded {
  text: string;
  as: "file" | "folder" | "name";
}

/**
 * The words of PERL5OPT and RUBYOPT (`PERL5OPT="-MFoo -I/dir"`) as perl and ruby part them: at every
 * blank, a quote kept as a character (`-I"/tmp/a b"` is the folder `"/tmp/a` and the switch `b"`).
 */
const words = (value: string): string[] => value.split(/\s+/).filter((w) => w.length > 0);

/**
 * The entries of a list of paths (`a.so:b.so`; with `blanks`, as ld.so reads LD_PRELOAD, blanks
 * part them too). A line read as Windows (PowerShell's, cmd.exe's) parts them at `;`, as Windows'
 * own lists are, and at a `:` that is no drive letter's (`C:\x`), so a list written for Linux still
 * parts; the quotes around an entry (`"C:\Program Files\x"`, which cmd.exe's search reads as the
 * folder inside them) are no part of it.
 */
function pathList(value: string, windows: boolean, blanks = false): string[] {
  if (!windows) return value.split(blanks ? /[\s:]+/ : /:/);
  const at = blanks ? /[\s;]+|:(?![\\/])|(?<!(?:^|[\s;:"])[A-Za-z]):/ : /;|:(?![\\/])|(?<!(?:^|[;:"])[A-Za-z]):/;
  return value.split(at).map((entry) => entry.replace(/^"(.*)"$/s, "$1"));
}

const files = (blanks: boolean) => (value: string, windows: boolean): Loaded[] => pathList(value, windows, blanks).map((text): Loaded => ({ text, as: "file" }));
const folders = (value: string, windows: boolean): Loaded[] => pathList(value, windows).map((text): Loaded => ({ text, as: "folder" }));
const file = (value: string): Loaded[] => [{ text: value, as: "file" }];

/**
 * Words parted at blanks outside the given quotes, the quotes dropped and no escapes read, a quote
 * left open running to the end: NODE_OPTIONS as Node parts it (`"…"`; Node also reads a `\` inside
 * quotes as escaping the next character: here it stays, so a Windows path in quotes is named as
 * written), and JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS as the JVM does (`'…'` and
 * `"…"`: `-Dz=e"f g"h` is `-Dz=ef gh`; the JVM refuses to start with a quote left open).
 */
function quotedWords(value: string, quotes: string): string[] {
  const out: string[] = [];
  let quote: string | undefined;
  let word: string | undefined;
  for (const c of value) {
    if (quote !== undefined && c === quote) quote = undefined;
    else if (quote === undefined && quotes.includes(c)) {
      quote = c;
      word ??= "";
    } else if (quote !== undefined || !/\s/.test(c)) word = (word ?? "") + c;
    else if (word !== undefined) {
      out.push(word);
      word = undefined;
    }
  }
  if (word !== undefined) out.push(word);
  return out;
}

/**
 * A module Node loads: a path, or a package name found in the project's node_modules (`-r dotenv/config`), judged as the project's file.
 * A whole option quoted as one word (cmd.exe's `set NODE_OPTIONS="--require x.js"` keeps its quotes),
 * which Node refuses, is read as the module it asks for.
 */
function nodeOptions(value: string): Loaded[] {
  const out: Loaded[] = [];
  const all = quotedWords(value, '"');
  all.forEach((w, i) => {
    const m = /^(--require|-r|--import|--loader|--experimental-loader)(?:[=\s]\s*(.*))?$/s.exec(w);
    const module = m ? (m[2] ?? all[i + 1]) : undefined;
    // `data:` code is no file, and is loaded wherever the line runs.
    if (module !== undefined) out.push({ text: module.startsWith("data:") ? RUN_TIME : module, as: "file" });
  });
  return out;
}

/** `-MFoo`, `-mFoo` load a module; `-I/dir` puts a folder first on the module path. */
function perlOptions(value: string): Loaded[] {
  return words(value).flatMap((w): Loaded[] => {
    if (/^-[Mm]./.test(w)) return [{ text: w.slice(2).replace(/[=;\s].*$/s, ""), as: "name" }];
    return w.startsWith("-I") && w.length > 2 ? [{ text: w.slice(2), as: "folder" }] : [];
  });
}

/** `-rLIB` (`-r LIB`) loads a library, a path where it is one (`-r./x.rb`, `-r/tmp/x.rb`); `-I/dir` adds to the load path. */
function rubyOptions(value: string): Loaded[] {
  const all = words(value);
  return all.flatMap((w, i): Loaded[] => {
    if (w.startsWith("-I") && w.length > 2) return [{ text: w.slice(2), as: "folder" }];
    if (!w.startsWith("-r")) return [];
    const lib = w.length > 2 ? w.slice(2) : (all[i + 1] ?? "");
    return [{ text: lib, as: /^(\/|\.{1,2}\/|~)/.test(lib) ? "file" : "name" }];
  });
}

/** `-javaagent:JAR[=options]` and `-agentpath:LIB[=options]` load an agent into every JVM started. */
function javaOptions(value: string): Loaded[] {
  return quotedWords(value, `"'`).flatMap((w): Loaded[] => {
    const m = /^-(?:javaagent|agentpath):([^=]*)/.exec(w);
    return m?.[1] ? [{ text: m[1], as: "file" }] : [];
  });
}

/** Variables that make programs started with them load code, and what of their value is loaded. */
const LOADERS: Readonly<Record<string, (value: string, windows: boolean) => Loaded[]>> = {
  LD_PRELOAD: files(true),
  LD_AUDIT: files(false),
  DYLD_INSERT_LIBRARIES: files(false),
  LD_LIBRARY_PATH: folders,
  DYLD_LIBRARY_PATH: folders,
  BASH_ENV: file,
  ENV: file,
  PYTHONSTARTUP: file,
  NODE_OPTIONS: nodeOptions,
  PERL5OPT: perlOptions,
  RUBYOPT: rubyOptions,
  JAVA_TOOL_OPTIONS: javaOptions,
  _JAVA_OPTIONS: javaOptions,
  JDK_JAVA_OPTIONS: javaOptions,
};

/** Where anyone may put a file (`/tmp`, `/var/tmp`, `/dev/shm`): what is loaded from there may be anyone's. */
const WORLD_WRITABLE: ReadonlySet<PathClass> = new Set(["temp", "device"]);
/** What programs may load without a question: the project's own files, the system's (only root writes there), nothing. */
const TRUSTED: ReadonlySet<PathClass> = new Set(["project", "cwd", "system", "null", "none", "unknown"]);

/** A folder judged by the files in it: `/tmp` itself is a system folder, what is in it temporary files. */
const folderClass = (dir: string, ctx: Ctx): PathClass => classifyPath(copyDestination(literalWord(dir.replace(/[\\/]+$/, "") || "/")).text, ctx.paths);

/**
 * Judges setting the variable `name` to `value` (already filled in), as an assignment the shell
 * keeps (`export LD_PRELOAD=…`: every program started after it) or, with `program`, in that
 * command's environment only (`LD_PRELOAD=… ls`). A value only known at run time is the user's own
 * environment's, and is not judged.
 */
export function judgeEnvironment(given: string, value: Word | undefined, ctx: Ctx, program?: string): void {
  if (!value) return;
  // Windows reads the names of its environment in any case (`$env:Path`, `$env:node_options`).
  const name = ctx.shell === "powershell" ? given.toUpperCase() : given;
  if (COMMAND_LINES.has(name)) {
    // less runs `|filter %s` (`||filter` too) with the file's name for %s.
    const code = codeOf([value], ctx);
    for (const text of code.text === undefined ? [] : [code.text, ...(code.otherwise ?? [])]) {
      const line = name === "LESSOPEN" ? text.replace(/^\s*\|{1,2}/, "") : text;
      ctx.ops.nested(ctx, line, "sh");
      // git runs it with sh on every system (Git for Windows with its own); a value in the syntax of the
      // line's own shell (`iwr x.io | iex`, fish's `curl x.io | source`) is judged as that shell would
      // run it too, where that shell can read it, for the programs that hand it to one.
      const own = ctx.shell === "fish" || (ctx.shell === "powershell" && !ctx.cmdLine) ? ctx.shell : undefined;
      if (own && !ctx.parse(line, own, ctx.homeFromVars).units.some((u) => u.kind === "unresolved")) ctx.ops.nested(ctx, line, own);
    }
    if (code.text === undefined && wordDownloads(value, false)) {
      ctx.findings.push({ category: "remote code execution", risk: "critical", detail: "runs a command taken from a download" });
    }
    return;
  }
  const who = program === undefined ? "every program started after it" : program;
  if (name === "PATH") {
    // The folders before the PATH it had (`/tmp/evil:$PATH`), or all of a new one, are searched first.
    const entries = pathList(value.text, ctx.shell === "powershell");
    const kept = entries.indexOf(RUN_TIME);
    for (const dir of kept === -1 ? entries : entries.slice(0, kept)) {
      if (dir.includes(RUN_TIME) || !WORLD_WRITABLE.has(folderClass(dir, ctx))) continue;
      ctx.findings.push({ category: "system configuration", risk: "moderate", detail: `puts ${dir} first on the PATH, where its programs run instead of the system's`, subject: dir });
    }
    return;
  }
  const loads = LOADERS[name];
  // `BASH_ENV=<(curl …) bash -c true`: the file loaded is the download itself.
  if (loads && value.processSub && wordDownloads(value, ctx.shell === "powershell")) {
    ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `downloads code and runs it in ${who} (${name})` });
    return;
  }
  for (const loaded of loads ? loads(value.text, ctx.shell === "powershell") : []) {
    if (loaded.text === "" || loaded.text.includes(RUN_TIME) || (loaded.as === "file" && !/[\\/]/.test(loaded.text))) {
      // A bare library name (`libjemalloc.so.2`) is found in the system's library folders.
      if (!(loaded.as === "name" && loaded.text !== "")) continue;
    }
    const cls = loaded.as === "name" ? "outside" : loaded.as === "folder" ? folderClass(loaded.text, ctx) : classifyPath(loaded.text, ctx.paths);
    const downloaded = loaded.as === "file" && wasDownloaded(literalWord(loaded.text), ctx.downloaded, ctx.paths.cwd);
    if (TRUSTED.has(cls) && !downloaded) continue;
    const what = loaded.as === "folder" ? `libraries from ${loaded.text}` : loaded.text;
    const risk = downloaded || WORLD_WRITABLE.has(cls) ? "high" : "moderate";
    ctx.findings.push({ category: "remote code execution", risk, detail: `makes ${who} load ${what} (${name})`, subject: loaded.text });
  }
}

/** The words of a value as one, `separator` between them (fish's list as the environment holds it, PowerShell's `'a' + $b`). */
function joined(words: readonly Word[], separator: string): Word {
  return { text: words.map((w) => w.text).join(separator), dynamic: words.some((w) => w.dynamic), glob: false, subs: words.flatMap((w) => w.subs) };
}

/** Stands for the value a variable had, which `-a`, `-p`, `+=` and `$env:Path` in the new one keep. */
const HAD: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [] };

/**
 * Judges an assignment the line makes (`NAME=value`, `export NAME=value`, fish's loop variable):
 * in PowerShell only those to the environment's drive (`$env:NAME = …`; `$NAME` is PowerShell's own
 * variable), with a value it adds up from strings and variables where it is no one plain word.
 */
export function judgeAssigned(unit: Assign, value: Word | undefined, ctx: Ctx): void {
  if (ctx.shell !== "powershell") {
    judgeEnvironment(unit.name, value, ctx);
    return;
  }
  const name = /^env:(.+)$/i.exec(unit.name)?.[1];
  if (name !== undefined) judgeEnvironment(name, value ?? addedUp(unit, ctx), ctx);
}

/**
 * The value of `$env:Path = "$env:TEMP;$env:Path"`, `= 'C:\x;' + $env:Path` and `+= ';C:\tools'`
 * (the value it had, then the words): one expression of words joined by `+`.
 */
function addedUp(unit: Assign, ctx: Ctx): Word | undefined {
  const units = unit.source?.units ?? [];
  const [head, last] = units.length === 2 ? units : [undefined, units[0]];
  const stage = last?.kind === "pipeline" && last.stages.length === 1 ? last.stages[0] : undefined;
  if (units.length > 2 || (head && head.kind !== "expand") || !stage?.expression) return undefined;
  const argv = stage.argv;
  if (argv.length % 2 === 0 || argv.some((w, i) => (i % 2 === 1) !== (!w.dynamic && w.text === "+"))) return undefined;
  const parts = argv.filter((_, i) => i % 2 === 0).map((w) => resolveWord(w, ctx.vars, ctx.maybe));
  return joined(head ? [HAD, ...parts] : parts, "");
}

/** PowerShell's commands that set an item of the Env: drive, and their parameters that take a value. */
const ENV_SETTERS = new Set(["set-item", "new-item", "set-content"]);
const VALUED = new Set(["itemtype", "type", "credential", "filter", "include", "exclude", "encoding", "stream"]);

/**
 * Judges a command that sets environment variables: fish's `set NAME VALUES…` (a list, which fish
 * exports joined by blanks, or by colons for a name ending in PATH; `-a` and `-p` put the values after
 * or before those it had) and `fish_add_path DIR…`, and PowerShell's `Set-Item Env:NAME VALUE`
 * (`New-Item -Path Env:NAME -Value …`, `Set-Content`; `[Environment]::SetEnvironmentVariable` is read
 * as `Set-Item`).
 */
export function judgeSetter(name: string, args: readonly Word[], ctx: Ctx): void {
  if (ctx.shell === "fish" && name === "set") {
    const set = fishSet(args, ctx.vars);
    if (!set?.values || set.values.length === 0) return;
    const words = set.adds === "append" ? [HAD, ...set.values] : set.adds === "prepend" ? [...set.values, HAD] : set.values;
    // fish puts the folders of fish_user_paths before the PATH's own.
    if (set.name === "fish_user_paths") judgeEnvironment("PATH", joined([...set.values, HAD], ":"), ctx);
    else judgeEnvironment(set.name, joined(words, set.name.endsWith("PATH") ? ":" : " "), ctx);
  } else if (ctx.shell === "fish" && name === "fish_add_path") {
    // Before the PATH's own folders, unless `-a`; `-n` only prints what it would do.
    const options = args.filter((w) => w.text.startsWith("-"));
    const dirs = args.filter((w) => !w.text.startsWith("-"));
    if (dirs.length === 0 || options.some((w) => /^(-[a-zA-Z]*n|--dry-run)$/.test(w.text))) return;
    const append = options.some((w) => /^(-[a-zA-Z]*a|--append)$/.test(w.text));
    judgeEnvironment("PATH", joined(append ? [HAD, ...dirs] : [...dirs, HAD], ":"), ctx);
  } else if (ctx.shell === "powershell" && ENV_SETTERS.has(name)) {
    const set = envItem(name, args);
    if (set) judgeEnvironment(set.name, set.value, ctx);
  }
}

/** The variable and value of `Set-Item [-Path] Env:NAME [-Value] VALUE` (`New-Item -Path Env: -Name NAME -Value VALUE`). */
function envItem(command: string, args: readonly Word[]): { name: string; value: Word } | undefined {
  let path: Word | undefined;
  let value: Word | undefined;
  let leaf: Word | undefined;
  const positional: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    const p = w.param ? w.text.slice(1).toLowerCase() : undefined;
    if (p === undefined) positional.push(w);
    else if (["path", "literalpath", "pspath", "lp"].includes(p)) path = args[++i];
    else if (p === "value") value = args[++i];
    else if (p === "name") leaf = args[++i];
    else if (VALUED.has(p)) i++;
  }
  path ??= positional.shift();
  // New-Item takes its value only by name.
  if (command !== "new-item") value ??= positional.shift();
  const drive = path && !path.dynamic ? /^env:[\\/]?(.*)$/i.exec(path.text) : undefined;
  const name = drive?.[1] || (leaf && !leaf.dynamic ? leaf.text : "");
  return drive && value && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? { name, value } : undefined;
}
