import type { Assign, Cmd, EnvKept, Word } from "./ir.js";
import { RUN_TIME, keepsName, literalWord } from "./ir.js";
import { textsOf } from "./decode.js";
import { wasDownloaded, wordDownloads } from "./downloads.js";
import { clonedRun, inClone } from "./clones.js";
import { runsWritten } from "./written-files.js";
import { codeOf, downloadRce, hidden, isOpt, unresolved, type Ctx } from "./evaluate-context.js";
import { checkStdin, isStdinPath, reverseShellFinding, stdinFed, stdinFile } from "./evaluate-input.js";
import { longOption } from "./long-options.js";
import { ENV_LONG_OPTIONS } from "./rules.js";
import { SUDO_OPTIONS } from "./wrapper-options.js";
import type { ShellKind } from "./types.js";
import { fishJoined, readingCount, resolveWord, type Variables } from "./variables.js";

/**
 * How a child shell reads the aliases its script defines (checked against bash 5, dash and zsh 5.9):
 * bash without a terminal expands none unless `-i`, `-O expand_aliases` or POSIX mode turns them on;
 * zsh reads a `-c` script whole before it runs it; sh expands them from the next line.
 */
function aliasesRead(shell: ShellKind, args: readonly Word[], command: boolean, child: Ctx): Ctx {
  const given = (test: (w: Word, i: number) => boolean): boolean => args.some((w, i) => !w.dynamic && test(w, i));
  const on = given((w) => /^-[A-Za-z]*i[A-Za-z]*$/.test(w.text) || w.text === "--posix") ||
    given((w, i) => (w.text === "expand_aliases" && args[i - 1]?.text === "-O") || (w.text === "posix" && args[i - 1]?.text === "-o"));
  if (shell === "bash" && !on) return { ...child, aliasReading: "off" };
  if (shell === "zsh" && command) return { ...child, aliasReading: "once" };
  return child;
}

/** `sh`, `bash`, `zsh`, `fish`, …: the script they run, from `-c`, a file, or standard input. */
export function runShell(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const shell = shellOf(name);
  const c = args.findIndex((w) => !w.dynamic && (w.text === "--command" || /^-[A-Za-z]*c[A-Za-z]*$/.test(w.text)));
  if (c >= 0) {
    const script = args[c + 1];
    if (!script) return;
    const code = codeOf([script], ctx, true);
    const unknown = code.decoded ? `${name} -c runs decoded text that wren cannot decode` : `${name} -c runs a command line only known at run time`;
    if (wordDownloads(script, ctx.shell === "powershell")) downloadRce(ctx, `${name} -c`);
    else if (code.text === undefined) unresolved(ctx, unknown);
    else {
      if (code.decoded) hidden(ctx);
      if (code.partlyUnknown) unresolved(ctx, `${unknown} where the shell's echo writes otherwise`);
      for (const text of textsOf(code)) {
        const child = aliasesRead(shell, args, true, emptiedNames(name, cmd, childHome(name, cmd, childContext(cmd, ctx)), text));
        ctx.ops.nested(shell === "fish" ? child : { ...child, vars: positionalParameters(child.vars, args.slice(c + 2)) }, text, shell);
      }
    }
    return;
  }
  const ops = shellOperands(args);
  const file = ops[0];
  // `-s` reads the script from standard input whatever follows (those are its arguments).
  const fromStdin = args.some((w) => !w.dynamic && /^-[A-Za-z]*s[A-Za-z]*$/.test(w.text));
  // `bash /proc/$$/fd/0` with nothing fed to it reads a stream wren cannot see.
  const fromInput = (): void =>
    runRedirectedScript(name, cmd, upstream, ctx, (from) => runScriptFile(name, from, shell, ctx), (t) => ctx.ops.nested(aliasesRead(shell, args, false, emptiedNames(name, cmd, childHome(name, cmd, childContext(cmd, ctx)), t)), t, shell));
  if (file && !fromStdin && (!isStdinPath(file) || (file.dynamic && !stdinFed(cmd, upstream)))) {
    runScriptFile(name, file, shell, ctx);
    // An unquoted `$x` that is empty, or xargs items a file may not hold, is no word at all: the
    // shell then reads its script from standard input (`curl … | bash $x`).
    if (mayBeNoWord(file, ctx.shell)) fromInput();
    return;
  }
  fromInput();
}

/**
 * A run-time value the shell may drop entirely: unquoted expansions alone (`$x`, `${x}`, `$(…)`,
 * `$x$y`), or the items xargs reads from a file (marked `bare` too). A quoted `"$x"` is an empty word, which
 * the shell keeps. bash and sh split an unquoted value at spaces, so one wren does not know may be
 * only spaces (`x=' '`) and no word, whatever its default: `${x:-run.sh}`, `${x:-''}` and `${x:?}`
 * too. zsh and fish do not split it: there a default that holds quotes (`${x:-''}`, `${x:-"$y"}`) is
 * a word even when empty, a non-empty default (`${x:-run.sh}`) is never empty, nor is `${x:?}`,
 * which stops the line instead. In fish any word holding an unquoted variable or `(…)` may be none
 * (`foo$x`, `$x/run.sh`: see {@link Word.listed}).
 */
export function mayBeNoWord(word: Word, shell: ShellKind): boolean {
  if (shell === "fish" && word.dynamic && word.listed && !word.processSub) return true;
  if (!word.dynamic || !word.bare || word.processSub || word.text.replaceAll(RUN_TIME, "") !== "") return false;
  if (shell === "bash" || shell === "sh") return true;
  if (word.required) return false;
  return !(word.params ?? []).some((p) => p !== null && "word" in p && ((p.op === ":-" && p.quoted === true) || ((p.op === ":-" || p.op === ":=") && !p.word.dynamic && p.word.text !== "")));
}

/**
 * A program with no script operand (a shell, python3, node, …) runs the file its `<` names exactly
 * as it runs a script operand (`runFile`), and a /dev/tcp or /dev/udp socket there is a reverse
 * shell. `< <(…)`, `< /dev/stdin`, a here-document or a pipe is standard input's text, for `run`.
 */
export function runRedirectedScript(name: string, cmd: Cmd, upstream: Cmd[], ctx: Ctx, runFile: (file: Word) => void, run?: (text: string) => void): void {
  const from = cmd.stdinText ? undefined : stdinFile(cmd);
  if (!from || from.processSub || isStdinPath(from)) {
    checkStdin(name, cmd, upstream, ctx, run);
    return;
  }
  if (!from.dynamic && /^\/dev\/(tcp|udp)\//.test(from.text)) {
    ctx.findings.push(reverseShellFinding(name));
  } else runFile(from);
  // In bash the file, not a pipe before it, is standard input; zsh (MULTIOS) reads the pipe first.
  if (ctx.shell === "zsh" && upstream.length > 0) {
    checkStdin(name, { ...cmd, redirects: cmd.redirects.filter((r) => r.op !== "<" && r.op !== "<>") }, upstream, ctx, run);
  }
}

function runScriptFile(name: string, file: Word, shell: ShellKind, ctx: Ctx): void {
  const cloned = inClone(file, ctx.downloaded, ctx.paths);
  if (wordDownloads(file, ctx.shell === "powershell")) downloadRce(ctx, name);
  else if (wasDownloaded(file, ctx.downloaded, ctx.paths.cwd)) ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `runs ${file.text} with ${name}, which this command line downloads` });
  else if (cloned) ctx.findings.push(clonedRun(`${file.text} with ${name}`, cloned));
  else if (!file.processSub && runsWritten(file, ctx, { operand: true, shell })) return;
  else if (file.dynamic && !file.processSub) unresolved(ctx, `${name} runs a script whose name is only known at run time`);
  else if (file.processSub) {
    const produced = codeOf([{ ...file, processSub: false }], ctx, true);
    if (produced.text === undefined || produced.partlyUnknown) unresolved(ctx, `${name} runs the output of a command as a script`);
    if (produced.decoded && produced.text !== undefined) hidden(ctx);
    for (const text of textsOf(produced)) ctx.ops.nested(ctx, text, shell);
  }
}

/**
 * What a child shell sees of the line's variables: those exported (`export x=/`, fish `set -x`,
 * all after `set -a`) and those assigned before its name (`x=/ sh -c …`). One assigned plainly
 * (`x=/; sh -c 'rm -rf $x'`) is empty there, unless its name is all capitals, as environment
 * variables are (`PATH`, `HOME`): the environment may already hold it, and then the child sees
 * the new value. PowerShell's variables never reach a child process.
 */
export function childContext(cmd: Cmd, ctx: Ctx): Ctx {
  const vars: Variables = new Map();
  const names = new Set<string>();
  const reachesChild = (name: string): boolean => (ctx.exported.all || ctx.exported.names.has(name) || !/[a-z]/.test(name)) && keepsName(cmd.envKept, name);
  if (ctx.shell !== "powershell") {
    for (const [name, value] of ctx.vars) {
      if (/^(\d+|[@*])$/.test(name)) continue;
      const reaches = reachesChild(name);
      // A fish list reaches a child as its elements joined by spaces.
      vars.set(name, reaches ? fishJoined(value) : "");
      if (reaches) names.add(name);
    }
  }
  // Each assignment sees those before it (`x=/ y=$x sh -c …`); `env -u x` leaves x empty there.
  // One with several readings (`z=${y:-/}`, `z=$x` after `x=${y:-/}`) keeps them, as a plain assignment does.
  const line = new Map(ctx.vars);
  const lineMaybe = new Map(ctx.maybe);
  const assignedMaybe = new Map<string, Word>();
  for (const assign of cmd.env ?? []) {
    const value = assign.home ? undefined : assign.unset ? literalWord("") : assign.value ? resolveWord(assign.value, line, lineMaybe) : undefined;
    for (const scope of [vars, line]) {
      if (value && !value.dynamic) scope.set(assign.name, value.text);
      else scope.delete(assign.name);
    }
    for (const scope of [assignedMaybe, lineMaybe]) {
      if (value?.dynamic && readingCount([value]) > 0) scope.set(assign.name, value);
      else scope.delete(assign.name);
    }
    if (assign.unset) names.delete(assign.name);
    else names.add(assign.name);
  }
  // Values with more than one reading (`x=${y:-/}`) reach it as values do.
  const given = new Set((cmd.env ?? []).map((a) => a.name));
  const maybe = new Map(ctx.shell === "powershell" ? [] : [...ctx.maybe].filter(([name]) => !given.has(name) && !/^(\d+|[@*])$/.test(name)));
  for (const name of maybe.keys()) {
    if (reachesChild(name)) names.add(name);
    else {
      maybe.delete(name);
      vars.set(name, "");
    }
  }
  for (const [name, value] of assignedMaybe) maybe.set(name, value);
  // A child's HOME is the user's home unless childHome says otherwise (su sets it anew).
  // A child process inherits no aliases; how it reads those its script defines is its own (see `aliasReading`).
  const { aliasReading: _, ...parent } = ctx;
  return { ...parent, vars, maybe, exported: { names, all: false }, homeFromVars: false, aliases: new Map() };
}

/** Shells that leave HOME unset when their environment has none; zsh, fish and others set it to the user's home. */
const LEAVE_HOME_UNSET = new Set(["sh", "dash", "bash"]);

/**
 * The child shell's `$HOME`, where the line changed it: `env -i sh -c 'rm -rf $HOME'` runs `rm -rf`
 * (sh, dash and bash leave HOME unset) and `env -i sh -c 'rm -rf $HOME/'` runs `rm -rf /`;
 * `HOME=/ sh -c …`, `export HOME=/; sh -c …` see `/`. HOME that sudo sets, or that a shell sets
 * itself when none is given, is the user's home.
 */
function childHome(name: string, cmd: Cmd, child: Ctx): Ctx {
  const last = (cmd.env ?? []).filter((a) => a.name === "HOME").pop();
  if (last?.home) return child;
  const removed = last ? last.unset === true : !keepsName(cmd.envKept, "HOME");
  const value = removed ? "" : child.vars.get("HOME");
  // Nothing said about HOME: it is the user's.
  if (!last && !removed && value === undefined) return child;
  // Unset or empty, and a shell that may fill it in.
  if (value === "" && !LEAVE_HOME_UNSET.has(name.replace(/^.*\//, ""))) return child;
  const vars = new Map(child.vars);
  if (value === undefined) vars.delete("HOME");
  else vars.set("HOME", value);
  // A HOME given a known value is the child's `~` too (`HOME=/ sh -c 'rm -rf ~'` deletes /); one it
  // lacks or only knows at run time leaves `~` the user's home, as bash reads an unset HOME's. An
  // empty one handed on may be one a parent lacked (`env -i sh -c 'sh -c "rm -rf ~"'`).
  const homeFromVars = value !== undefined && !removed && (value !== "" || last !== undefined) ? "tilde" : true;
  return containerTilde({ ...child, vars, homeFromVars }, removed, (last !== undefined && !removed) || (value !== undefined && value !== ""));
}

/**
 * In a container, a shell whose HOME is unset reads `~` from the user database, as on the host: root's
 * is `/root` (`docker run -v $HOME:/root alpine env -i sh -c 'rm -rf ~'` empties the host's home),
 * another user's (`-u USER`) only known at run time. `set`: the line gave HOME a value again. A
 * shell that inherits its parent's environment keeps its parent's reading.
 */
function containerTilde(child: Ctx, removed: boolean, set: boolean): Ctx {
  const container = child.paths.container;
  if (!container || (!removed && !set)) return child;
  if (removed && container.user) {
    const vars = new Map(child.vars);
    vars.delete("HOME");
    return { ...child, vars };
  }
  const parse = child.parse;
  // The newest shell's reading wins over those it was started from.
  return { ...child, parse: (text, shell, homeFromVars, place, cwdChanged) => parse(text, shell, homeFromVars, { home: child.paths.home, ...place, homeUnset: place?.homeUnset ?? removed }, cwdChanged) };
}

/**
 * Names that the child's environment lacks are empty there: after `env -i` (or sudo's reset) a
 * lower-case name the line did not hand on is unset, so `env -i sh -c 'rm -rf "$x/"'` runs
 * `rm -rf /`. Only in sh, dash and bash, which set no lower-case names themselves (zsh and fish do);
 * an assignment in the script still changes the value where it runs.
 */
function emptiedNames(name: string, cmd: Cmd, child: Ctx, script: string): Ctx {
  if (!cmd.envKept || !LEAVE_HOME_UNSET.has(name.replace(/^.*\//, ""))) return child;
  const vars = new Map(child.vars);
  for (const m of script.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const used = m[1] ?? "";
    if (/[a-z]/.test(used) && !vars.has(used) && !keepsName(cmd.envKept, used)) vars.set(used, "");
  }
  return { ...child, vars };
}

/**
 * The environment a wrapper hands the command it runs. `env NAME=value` and `sudo NAME=value` add
 * to it and `env -u NAME` removes a name. `env -i` (`env -`) starts from an empty one, and so does
 * sudo, which resets the environment (env_reset) unless told to keep it (`-E`, `--preserve-env`) or
 * some names of it (`--preserve-env=x,y`): `export x=/; sudo sh -c 'rm -rf $x'` runs `rm -rf`.
 */
export function wrapperEnvironment(name: string, options: readonly Word[], cmd: Cmd): Cmd {
  if (name !== "env" && name !== "sudo") return cmd;
  const read = name === "env" ? envOptions(options) : sudoOptions(options);
  let env = cmd.env ?? [];
  let kept = cmd.envKept;
  if (read.kept) {
    const keep = read.kept;
    // What an earlier wrapper or the line set is gone, so known to be empty (`x=/ env -i sh -c …`).
    env = env.map((a): Assign => (keepsName(keep, a.name) ? a : { kind: "assign", name: a.name, unset: true }));
    // Only what both this wrapper and an earlier one keep (`env -i sudo …` passes no TERM on).
    const outer = kept;
    const both = (n: string): boolean => keepsName(keep, n) && keepsName(outer, n);
    kept = { names: new Set([...keep.names, ...(outer?.names ?? [])].filter(both)), capitals: keep.capitals && (outer?.capitals ?? true) };
  }
  // sudo sets HOME to the home of the user it runs as: whatever the line gave HOME is gone.
  if (name === "sudo") env = [...env.filter((a) => a.name !== "HOME"), { kind: "assign", name: "HOME", home: true }];
  for (const unset of read.unset) {
    env = [...env.filter((a) => a.name !== unset), { kind: "assign", name: unset, unset: true }];
  }
  // A value only known at run time keeps its readings (`env z=${y:-/}` is y's value or /), as an
  // assignment before the command does: the name comes before any value, so the slots stay in step.
  const assigned = options.filter((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text)).map((w): Assign => {
    const eq = w.text.indexOf("=");
    return { kind: "assign", name: w.text.slice(0, eq), value: w.dynamic ? { ...w, text: w.text.slice(eq + 1) } : literalWord(w.text.slice(eq + 1)) };
  });
  const out: Cmd = { ...cmd, env: [...env, ...assigned] };
  if (kept) out.envKept = kept;
  return out;
}

/** What a wrapper's options do to the environment: the names it keeps when it empties it, and those it removes. */
interface EnvironmentOptions {
  kept?: EnvKept;
  unset: string[];
}

/** `env -i`'s environment: nothing of the shell's. */
const EMPTIED: EnvKept = { names: new Set(), capitals: false };

/** env's options, read as getopt reads them: `-i`, `-` and `--ignore-environment` empty the environment, `-u NAME` (`-uNAME`, `--unset=NAME`, `--un NAME`) removes a name. */
function envOptions(options: readonly Word[]): EnvironmentOptions {
  const out: EnvironmentOptions = { unset: [] };
  for (let i = 0; i < options.length; i++) {
    const w = options[i];
    if (!w || w.dynamic) continue;
    const t = w.text;
    if (t === "--") break;
    // A long option may be cut short (`--ignore-e`, `--un x`), as getopt_long reads it.
    const long = longOption(t, ENV_LONG_OPTIONS);
    const joined = t.includes("=") ? t.slice(t.indexOf("=") + 1) : undefined;
    if (t === "-" || long === "--ignore-environment") out.kept = EMPTIED;
    else if (long === "--unset" || long === "--chdir") {
      const value = joined === undefined ? options[++i] : literalWord(joined);
      if (long === "--unset" && value && !value.dynamic) out.unset.push(value.text);
    } else if (/^-[^-]/.test(t)) {
      for (let k = 1; k < t.length; k++) {
        const c = t[k];
        if (c === "i") out.kept = EMPTIED;
        else if (c === "u" || c === "C") {
          // The rest of the bundle, or else the next word, is the option's value.
          const value = k + 1 < t.length ? t.slice(k + 1) : options[++i]?.text;
          if (c === "u" && value !== undefined) out.unset.push(value);
          break;
        }
      }
    }
  }
  return out;
}

const SUDO_VALUE_OPTIONS = new Set(SUDO_OPTIONS.value.filter((o) => /^-[A-Za-z]$/.test(o)).map((o) => o[1]));

/**
 * sudo's options: it empties the environment unless `-E` or `--preserve-env` keeps it, or
 * `--preserve-env=x,y` keeps those names; all-capital names may pass all the same (see {@link EnvKept}).
 */
function sudoOptions(options: readonly Word[]): EnvironmentOptions {
  let kept: Set<string> | undefined = new Set();
  for (const w of options) {
    if (w.dynamic) {
      // An option only known at run time may be -E.
      if (w.text.startsWith("-")) kept = undefined;
      continue;
    }
    const t = w.text;
    if (t === "--") break;
    // `--preserve-e` is `--preserve-env` cut short, as getopt_long reads it.
    const long = longOption(t, SUDO_OPTIONS.long);
    if (long === "--preserve-env" && !t.includes("=")) kept = undefined;
    else if (long === "--preserve-env") {
      const names = t.slice(t.indexOf("=") + 1).split(",");
      if (kept) kept = new Set([...kept, ...names]);
    } else if (/^-[^-]/.test(t)) {
      for (const c of t.slice(1)) {
        if (c === "E") kept = undefined;
        if (SUDO_VALUE_OPTIONS.has(c)) break;
      }
    }
  }
  return kept ? { kept: { names: kept, capitals: true }, unset: [] } : { unset: [] };
}

/**
 * `sh -c 'rm -rf "$1"' _ ~`: the words after the script are `$0`, `$1`, …, so the script is read
 * with them filled in. A parameter not given is empty; one only known at run time stays unknown.
 */
function positionalParameters(vars: Variables, words: readonly Word[]): Variables {
  const out: Variables = new Map([...vars].filter(([name]) => !/^(\d+|[@*])$/.test(name)));
  for (let i = 1; i <= 9; i++) out.set(String(i), "");
  words.forEach((w, i) => {
    if (w.dynamic) out.delete(String(i));
    else out.set(String(i), w.text);
  });
  // `"$@"` is one word per parameter: only a single one is known as a single value.
  const params = words.slice(1);
  const only = params.length === 1 ? params[0] : undefined;
  if (params.length === 0) ["@", "*"].forEach((name) => out.set(name, ""));
  else if (only && !only.dynamic) ["@", "*"].forEach((name) => out.set(name, only.text));
  return out;
}

function shellOf(name: string): ShellKind {
  if (name === "fish") return "fish";
  if (name === "zsh") return "zsh";
  if (name === "bash") return "bash";
  return "sh";
}

/** A shell's operands: its script and that script's arguments, without options and their values (`-o pipefail`). */
function shellOperands(args: Word[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (!w.dynamic && /^[-+]o$|^[-+]O$|^--(rcfile|init-file)$/.test(w.text)) i++;
    else if (!isOpt(w, false)) out.push(w);
  }
  return out;
}
