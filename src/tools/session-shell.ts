import { spawn, type ChildProcess } from "node:child_process";
import { constants as fsConstants, existsSync, readFileSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { WrenError } from "../shared/errors.js";
import { CappedOutput } from "./capped-output.js";
import { ProcessWatchdog } from "./process-watchdog.js";

/** Which shell runs the commands. */
export type SessionShellKind = "bash" | "sh" | "powershell";

/** Options of `createSessionShell`. */
export interface SessionShellOptions {
  /** The working directory the session starts in. */
  cwd: string;
  /** The environment commands start with (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Default: bash on Linux and macOS (sh when bash is missing), PowerShell on Windows. */
  shell?: SessionShellKind;
}

/** Options of one command. */
export interface ShellRunOptions {
  /** Kill the command (and everything it started) after this long. */
  timeoutMs: number;
  /** Kills the command at once when it fires. */
  signal?: AbortSignal;
  /** Output characters kept (start and end; the middle is cut and counted). Default 30,000. */
  maxOutputChars?: number;
  /**
   * The folder the working directory stays in between commands (the project): a command that
   * ends outside it (`cd /tmp`) leaves the directory where it was, and the result says where it went.
   */
  within?: string;
  /**
   * Variables whose values the command leaves become the session's start for them, so
   * {@link SessionShell.changedExports} no longer counts them: those a person approved the command
   * setting. Only those the command itself changed: one it names but leaves as it was, or one
   * it was killed before saving, keeps its start.
   */
  rebaseline?: readonly string[];
}

/** What one command did. */
export interface ShellRunResult {
  /** stdout and stderr together, in the order they arrived, capped. */
  output: string;
  /** Characters the command wrote in all; more than `output` holds when it was cut. */
  outputChars: number;
  /** Bytes the command wrote in all. */
  outputBytes: number;
  /** Characters left out of `output`. */
  cutChars: number;
  /** The exit code; null when the command was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** The working directory after the command (unchanged when it was killed, or when it ended outside `within`). */
  cwd: string;
  /** Where the command ended, when that was outside `within` (the session's directory did not follow it). */
  leftFor?: string;
}

/**
 * The shell of one agent session. Each command runs in a fresh shell process of its own process
 * group (so a timeout or a cancel kills the command and all it started), but the session carries
 * the working directory and, on POSIX shells, exported variables from one command to the next, as
 * if one shell ran them all. Commands run one at a time, in call order.
 */
export class SessionShell implements AsyncDisposable {
  readonly kind: SessionShellKind;
  readonly #stateDir: string;
  readonly #env: NodeJS.ProcessEnv;
  #cwd: string;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #groups = new Set<number>();
  #disposed = false;
  #current: ChildProcess | undefined;
  /** Start entries that a person's yes replaced (see `ShellRunOptions.rebaseline`); undefined: not exported. */
  readonly #rebased = new Map<string, string | undefined>();
  /** Stops the commands' groups and removes the state folder should wren end without disposing (SIGKILL, a crash). */
  readonly #watchdog: ProcessWatchdog | undefined;

  constructor(kind: SessionShellKind, stateDir: string, cwd: string, env: NodeJS.ProcessEnv) {
    this.kind = kind;
    this.#stateDir = stateDir;
    this.#cwd = cwd;
    this.#env = env;
    this.#watchdog = ProcessWatchdog.start({ removeOnExit: stateDir });
  }

  /** Whether exported variables carry from one command to the next: on bash and sh, not on PowerShell. */
  get carriesExports(): boolean {
    return this.kind !== "powershell";
  }

  /** The session's working directory now. */
  cwd(): string {
    return this.#cwd;
  }

  /** Runs a command line; waits for the commands queued before it. */
  run(command: string, options: ShellRunOptions): Promise<ShellRunResult> {
    if (this.#disposed) return Promise.reject(new WrenError("internal", "This session's shell was closed."));
    const next = this.#queue.then(() => this.#runNow(command, options));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #runNow(command: string, options: ShellRunOptions): Promise<ShellRunResult> {
    if (options.signal?.aborted || this.#disposed) {
      // Cancelled while it waited for the commands before it: never started.
      return { output: "", outputChars: 0, outputBytes: 0, cutChars: 0, exitCode: null, signal: null, timedOut: false, aborted: true, cwd: this.#cwd };
    }
    const cwdFile = path.join(this.#stateDir, "cwd");
    await fs.rm(cwdFile, { force: true });
    const before = options.rebaseline && this.carriesExports ? this.#exportsBefore() : undefined;
    const output = new CappedOutput(options.maxOutputChars ?? 30_000);
    const cwd = existsSync(this.#cwd) ? this.#cwd : os.homedir();
    const [program, args] = invocation(this.kind, command, this.#stateDir, this.carriesExports ? this.#dropped() : []);
    const child = spawn(program, args, {
      cwd,
      env: this.#env,
      // POSIX shells wait for a go on stdin (see POSIX_SCRIPT); PowerShell's stdin is empty.
      stdio: [this.kind === "powershell" ? "ignore" : "pipe", "pipe", "pipe"],
      // Its own process group on POSIX, so a kill reaches what the command started too.
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    if (child.pid !== undefined && process.platform !== "win32") {
      this.#groups.add(child.pid);
      this.#watchdog?.watch(child.pid);
    }
    child.stdin?.on("error", () => undefined);
    child.stdin?.end("\n");
    this.#current = child;
    let timedOut = false;
    let aborted = false;
    const kill = (): void => killTree(child);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    let outputBytes = 0;
    for (const stream of [child.stdout, child.stderr]) {
      // Decoded here rather than with setEncoding, to count the bytes too (binary output is reported by size).
      const decoder = new StringDecoder("utf8");
      stream?.on("data", (chunk: Buffer) => {
        outputBytes += chunk.length;
        output.push(decoder.write(chunk));
      });
      stream?.on("end", () => output.push(decoder.end()));
    }
    try {
      const { code, signal } = await finished(child);
      if (options.rebaseline && before) this.#rebaseline(options.rebaseline, before);
      let leftFor: string | undefined;
      if (!timedOut && !aborted) {
        const next = await readCwd(cwdFile, this.#cwd);
        if (options.within === undefined || isWithin(options.within, next)) this.#cwd = next;
        else leftFor = next;
      }
      return {
        output: output.text(),
        outputChars: output.totalChars,
        outputBytes,
        cutChars: output.cutChars,
        exitCode: code,
        signal,
        timedOut,
        aborted,
        cwd: this.#cwd,
        ...(leftFor === undefined ? {} : { leftFor }),
      };
    } finally {
      this.#current = undefined;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      this.#forgetEmptyGroups();
    }
  }

  /**
   * The variables earlier commands exported, changed, unset or stopped exporting, compared with the
   * exports the session started with: each by name, with its entry as the shell last saved it
   * (`declare -x NAME="…"`; `declare -- NAME="…"` when set but no longer exported; empty when
   * unset). What the next command inherits that wren did not give it. Read from what the
   * shell saved when the last command ended: nothing runs, so it costs a judgement nothing. Always
   * none on PowerShell, which carries no exports, and before the first command.
   */
  changedExports(): Map<string, string> {
    const changed = new Map<string, string>();
    if (!this.carriesExports) return changed;
    const now = this.#saved("env");
    if (now === undefined) return changed;
    const start = exportEntries(this.#saved("base") ?? "");
    for (const [name, entry] of this.#rebased) {
      if (entry === undefined) start.delete(name);
      else start.set(name, entry);
    }
    const current = variableEntries(now, this.#saved("kept"));
    for (const [name, entry] of current) if (start.get(name) !== entry) changed.set(name, entry);
    for (const name of start.keys()) if (!current.has(name)) changed.set(name, "");
    return changed;
  }

  /**
   * Makes the entries the last command left for `names` their start, where it changed them: compared
   * with what it started from (`before`, the saved exports; before the first command, the session's start).
   */
  #rebaseline(names: readonly string[], before: { env: string | undefined; kept: string | undefined }): void {
    let now: string | undefined;
    let was: string | undefined;
    let kept: string | undefined;
    try {
      now = this.#saved("env");
      was = before.env ?? this.#saved("base");
      kept = this.#saved("kept");
    } catch {
      return;
    }
    // Not saved (killed before its end): nothing it set is known, so nothing is taken as the start.
    if (now === undefined || was === undefined || (now === before.env && kept === before.kept)) return;
    const start = before.env === undefined ? exportEntries(was) : variableEntries(was, before.kept);
    const after = variableEntries(now, kept);
    for (const name of names) if (after.get(name) !== start.get(name)) this.#rebased.set(name, after.get(name));
  }

  /**
   * The exports the session started with that the last command left unset or no longer exported
   * (`unset PATH`, `export -n X`; sh keeps an unset one as `export PATH`, with no value): each new
   * shell inherits their values again from wren, so it unsets them first, as one shell running
   * every command would have them.
   */
  #dropped(): string[] {
    const now = this.#saved("env");
    if (now === undefined) return [];
    const current = exportEntries(now);
    const valueless = (entry: string | undefined): boolean => entry === undefined || !entry.includes("=");
    return [...exportEntries(this.#saved("base") ?? "").keys()].filter((name) => valueless(current.get(name)));
  }

  /** The saved exports a command starts from (undefined inside: the first command, which starts from the session's); undefined when unreadable. */
  #exportsBefore(): { env: string | undefined; kept: string | undefined } | undefined {
    try {
      return { env: this.#saved("env"), kept: this.#saved("kept") };
    } catch {
      return undefined;
    }
  }

  /** A file of the shell's saved state, or undefined when it is not there yet. */
  #saved(name: string): string | undefined {
    try {
      return readFileSync(path.join(this.#stateDir, name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new WrenError("internal", "wren could not read the variables the session's shell exports.", { cause: error });
    }
  }

  /**
   * Only groups with a live member (a background job) are kept, so a number is never signalled
   * after the system may have given it to another process group.
   */
  #forgetEmptyGroups(): void {
    for (const group of this.#groups) {
      try {
        process.kill(-group, 0);
      } catch {
        this.#groups.delete(group);
        this.#watchdog?.forget(group);
      }
    }
  }

  /** Stops the running command, whatever the session's commands left in the background, and removes its state. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#current) killTree(this.#current);
    await this.#queue;
    for (const group of this.#groups) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        /* the group is gone already: the usual case */
      }
    }
    await fs.rm(this.#stateDir, { recursive: true, force: true });
    this.#watchdog?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/** A session shell starting in `options.cwd`; dispose it when the session ends. */
export async function createSessionShell(options: SessionShellOptions): Promise<SessionShell> {
  const kind = options.shell ?? (await defaultSessionShell());
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), "wren-shell-"));
  return new SessionShell(kind, stateDir, path.resolve(options.cwd), options.env ?? process.env);
}

/** The shell a session runs commands in where none is given: PowerShell on Windows, else bash where it is on PATH, else sh. */
export async function defaultSessionShell(): Promise<SessionShellKind> {
  if (process.platform === "win32") return "powershell";
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const ok = await fs.access(path.join(dir, "bash"), fsConstants.X_OK).then(
      () => true,
      () => false,
    );
    if (ok) return "bash";
  }
  return "sh";
}

/**
 * The session's start exports as the last command left them: its exports (`export -p`), and those
 * it left set but no longer exported (`kept`, as `declare -p` prints them), which the next command's
 * shell has as variables of its own.
 */
function variableEntries(exported: string, kept: string | undefined): Map<string, string> {
  const out = exportEntries(exported);
  for (const [name, entry] of exportEntries(kept ?? "")) if (!out.has(name)) out.set(name, entry);
  return out;
}

/**
 * The entries of `export -p`'s output (bash's `declare -x NAME="…"`, sh's `export NAME='…'`) by
 * name, each from its line to the next entry's, as a value may hold line breaks.
 */
function exportEntries(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  for (const line of text.split("\n")) {
    const start = /^(?:declare -[-A-Za-z]+|export) ([A-Za-z_][A-Za-z0-9_]*)(?:=|$)/.exec(line)?.[1];
    if (start !== undefined) name = start;
    if (name === undefined) continue;
    const before = out.get(name);
    out.set(name, before === undefined ? line : `${before}\n${line}`);
  }
  return out;
}

/**
 * bash, at a command's exit: the session's start exports it left set but no longer exported
 * (`export -n PATH`, `declare +x X`), as `declare -p` prints them (`declare -- PATH="…"`), saved in
 * `kept`. Only builtins run (no PATH is needed), and sh never reads this (it has no `export -n`).
 */
const KEEP = [
  'if [ -n "${BASH_VERSION-}" ] && [ -f "$__wren_state/names" ]; then',
  'while IFS= read -r __wren_n; do case "${!__wren_n@a}" in *x*) continue ;; esac; [ -n "${!__wren_n+x}" ] && declare -p "$__wren_n"; done < "$__wren_state/names" > "$__wren_state/kept.next"',
  '&& command -p mv -f "$__wren_state/kept.next" "$__wren_state/kept"; fi;',
].join(" ");

/**
 * POSIX: the command is `eval`ed by a script that first restores the exports the last command left
 * (those of the session's start it unset included) and, on any exit (`exit 3` included), saves the working directory and exports for the next one.
 * The command travels as an argument, never spliced into the script, so no quoting can break it.
 */
const POSIX_SCRIPT = [
  // Nothing runs before wren has its process group watched and says go (a line on stdin, then the
  // command's stdin is /dev/null): wren killed before that leaves nothing running, as EOF ends it here.
  'IFS= read -r __wren_go || exit 125; exec 0</dev/null',
  '__wren_state=$1; __wren_cmd=$2; shift 2',
  // The exports the session starts with, to compare the saved ones with (see changedExports).
  '[ -f "$__wren_state/base" ] || export -p > "$__wren_state/base"',
  // bash: their names, for the exit to find those a command stops exporting but leaves set (`export -n PATH`).
  'if [ -n "${BASH_VERSION-}" ] && [ ! -f "$__wren_state/names" ]; then compgen -e > "$__wren_state/names"; fi',
  // Those of them an earlier command unset or stopped exporting (the rest of the arguments), which this shell inherited again.
  '[ $# -eq 0 ] || unset -v "$@" 2>/dev/null; set --',
  // Those of them it stopped exporting are the shell's own variables again (`declare -- PATH="…"`), as in one shell.
  '[ -f "$__wren_state/kept" ] && . "$__wren_state/kept" >/dev/null 2>&1',
  '[ -f "$__wren_state/env" ] && . "$__wren_state/env" >/dev/null 2>&1',
  // `command -p`: mv is found where the command left no PATH (`unset PATH`) or a PATH without it.
  `trap '__wren_rc=$?; pwd > "$__wren_state/cwd"; ${KEEP} export -p > "$__wren_state/env.next" && command -p mv -f "$__wren_state/env.next" "$__wren_state/env"; exit $__wren_rc' EXIT`,
  'eval "$__wren_cmd"',
].join("\n");

/** The program and arguments that run `command`; `dropped`: exported names to unset first (POSIX; see `#dropped`). */
export function invocation(kind: SessionShellKind, command: string, stateDir: string, dropped: readonly string[]): [string, string[]] {
  if (kind === "powershell") {
    // The working directory is carried; environment changes are not (yet) on PowerShell. As UTF-8
    // (`readCwd` drops its BOM): Windows PowerShell's default is the ANSI code page.
    const cwdFile = path.join(stateDir, "cwd").replace(/'/g, "''");
    const script = [
      // Progress bars would arrive as CLIXML noise on a pipe.
      "$ProgressPreference = 'SilentlyContinue'",
      "$global:LASTEXITCODE = 0",
      `try { . ([ScriptBlock]::Create(${psString(command)})) } finally { Set-Content -LiteralPath '${cwdFile}' -Encoding UTF8 -Value (Get-Location).ProviderPath }`,
      "exit $global:LASTEXITCODE",
    ].join("\n");
    const program = process.platform === "win32" ? "powershell.exe" : "pwsh";
    return [program, ["-NoProfile", "-NonInteractive", "-EncodedCommand", Buffer.from(script, "utf16le").toString("base64")]];
  }
  return [kind, ["-c", POSIX_SCRIPT, "wren-shell", stateDir, command, ...dropped]];
}

function psString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

async function readCwd(file: string, fallback: string): Promise<string> {
  const text = await fs.readFile(file, "utf8").catch(() => "");
  const dir = text.replace(/\r?\n$/, "").replace(/^\uFEFF/, "");
  return dir && path.isAbsolute(dir) && existsSync(dir) ? dir : fallback;
}

/** Kills the command and everything it started: its process group on POSIX, its tree on Windows. */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === "win32") {
    spawn("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore", windowsHide: true }).on("error", () => child.kill());
    return;
  }
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/**
 * Resolves when the shell has exited and its output is read. A background job (`server &`) can hold
 * the pipes open after the shell exits; its output is not waited for past a short grace period.
 */
function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let grace: NodeJS.Timeout | undefined;
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(grace);
      reject(
        error.code === "ENOENT"
          ? new WrenError("not_found", `The shell '${child.spawnfile}' is not installed.`, { hint: "Install it, or choose another shell for the session.", cause: error })
          : error,
      );
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      grace = setTimeout(() => {
        // One more turn of the event loop first: its poll phase reads what is already in the pipes.
        setImmediate(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          resolve({ code, signal });
        });
      }, 1000);
    });
    child.once("close", (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(grace);
      resolve(exit ?? { code, signal });
    });
  });
}

/**
 * Whether `dir` is `root` or below it where it really is, symlinks resolved: pwd may print either
 * name, and a link in the project to a folder outside it (`cd out`, pwd `PROJECT/out`) is outside.
 * Where it cannot be looked up, as written.
 */
function isWithin(root: string, dir: string): boolean {
  const inside = (r: string, d: string): boolean => {
    const rel = path.relative(r, d);
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  };
  try {
    return inside(realpathSync(root), realpathSync(dir));
  } catch {
    return inside(root, dir);
  }
}
