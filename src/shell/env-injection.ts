import type { Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { codeOf, type Ctx } from "./evaluate-context.js";
import { wasDownloaded, wordDownloads } from "./downloads.js";
import { classifyPath, copyDestination, type PathClass } from "./paths.js";

/**
 * Variables whose value is a command line that a program or the shell runs later through `sh -c`
 * (git's ssh, pager, editors and external diff, less's input filter, bash's prompt hook, the askpass
 * helpers of sudo, ssh and git, rsync's and CVS's remote shell): the value is judged as that line.
 */
const COMMAND_LINES = new Set([
  "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "MANPAGER", "EDITOR", "VISUAL",
  "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "PROMPT_COMMAND", "SUDO_ASKPASS", "SSH_ASKPASS", "GIT_ASKPASS", "RSYNC_RSH", "CVS_RSH", "LESSOPEN",
]);

/**
 * What a variable makes programs load: a file, the libraries of a folder, or a `name` looked up on
 * the program's own load path (a Perl module, a Ruby library), which is anywhere on the machine.
 */
interface Loaded {
  text: string;
  as: "file" | "folder" | "name";
}

/** The words of an options variable (`NODE_OPTIONS="--require x.js"`), as the program splits them. */
const words = (value: string): string[] => value.split(/\s+/).filter((w) => w.length > 0);
const files = (separator: RegExp) => (value: string): Loaded[] => value.split(separator).map((text): Loaded => ({ text, as: "file" }));
const folders = (value: string): Loaded[] => value.split(":").map((text): Loaded => ({ text, as: "folder" }));
const file = (value: string): Loaded[] => [{ text: value, as: "file" }];

/** A module Node loads: a path, or a package name found in the project's node_modules (`-r dotenv/config`), judged as the project's file. */
function nodeOptions(value: string): Loaded[] {
  const out: Loaded[] = [];
  const all = words(value);
  all.forEach((w, i) => {
    const m = /^(--require|-r|--import|--loader|--experimental-loader)(?:=(.*))?$/.exec(w);
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
  return words(value).flatMap((w): Loaded[] => {
    const m = /^-(?:javaagent|agentpath):([^=]*)/.exec(w);
    return m?.[1] ? [{ text: m[1], as: "file" }] : [];
  });
}

/** Variables that make programs started with them load code, and what of their value is loaded. */
const LOADERS: Readonly<Record<string, (value: string) => Loaded[]>> = {
  LD_PRELOAD: files(/[\s:]+/),
  LD_AUDIT: files(/:/),
  DYLD_INSERT_LIBRARIES: files(/:/),
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
const folderClass = (dir: string, ctx: Ctx): PathClass => classifyPath(copyDestination(literalWord(dir.replace(/\/+$/, "") || "/")).text, ctx.paths);

/**
 * Judges setting the variable `name` to `value` (already filled in), as an assignment the shell
 * keeps (`export LD_PRELOAD=…`: every program started after it) or, with `program`, in that
 * command's environment only (`LD_PRELOAD=… ls`). A value only known at run time is the user's own
 * environment's, and is not judged.
 */
export function judgeEnvironment(name: string, value: Word | undefined, ctx: Ctx, program?: string): void {
  if (!value || ctx.shell === "powershell") return;
  if (COMMAND_LINES.has(name)) {
    // less runs `|filter %s` (`||filter` too) with the file's name for %s.
    const code = codeOf([value], ctx);
    for (const text of code.text === undefined ? [] : [code.text, ...(code.otherwise ?? [])]) {
      ctx.ops.nested(ctx, name === "LESSOPEN" ? text.replace(/^\s*\|{1,2}/, "") : text, "sh");
    }
    if (code.text === undefined && wordDownloads(value, false)) {
      ctx.findings.push({ category: "remote code execution", risk: "critical", detail: "runs a command taken from a download" });
    }
    return;
  }
  const who = program === undefined ? "every program started after it" : program;
  if (name === "PATH") {
    // The folders before the PATH it had (`/tmp/evil:$PATH`), or all of a new one, are searched first.
    const entries = value.text.split(":");
    const kept = entries.indexOf(RUN_TIME);
    for (const dir of kept === -1 ? entries : entries.slice(0, kept)) {
      if (dir.includes(RUN_TIME) || !WORLD_WRITABLE.has(folderClass(dir, ctx))) continue;
      ctx.findings.push({ category: "system configuration", risk: "moderate", detail: `puts ${dir} first on the PATH, where its programs run instead of the system's`, subject: dir });
    }
    return;
  }
  const loads = LOADERS[name];
  for (const loaded of loads ? loads(value.text) : []) {
    if (loaded.text === "" || loaded.text.includes(RUN_TIME) || (loaded.as === "file" && !loaded.text.includes("/"))) {
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
