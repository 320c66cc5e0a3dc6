import type { Cmd, EnvKept, Redirect, Script, Unit, Word } from "./ir.js";
import { RUN_TIME, feedInput, fedPipeline, literalWord, readsStdin } from "./ir.js";
import { envArguments } from "./env-split-string.js";
import { longOption } from "./long-options.js";
import { shortLetters, splitClap, walkOptions } from "./option-walk.js";
import { RUNUSER_OPTIONS, SUDO_OPTIONS } from "./wrapper-options.js";
import { DATABASE_CLIENTS } from "./database-clients.js";
import { asUtf8, pipelineOutput, substitutionOutput } from "./decode.js";
import { catastrophicOperands, codeOf, downloadRce, forkContext, hidden, isOpt, literalText, runsDefined, skipOptions, unresolved, wrappedCommand, type Ctx, type HomeFromVars, type ScriptParser } from "./evaluate-context.js";
import { checkStdin, isStdinPath, runDatabaseClient, stdinFed, stdinFile } from "./evaluate-input.js";
import { inlineLanguage } from "./inline-code.js";
import { declarationOf, DECLARING, leadingOptions } from "./declaration-options.js";
import { fillOutputs, fishJoined, fishLists, fishSet, forgetValue, forgetValues, outputsOf, paramsOf, readingCount, readWord, readWords, resolveWord, resolveWords, slotsOf, splitAtDefaultIfs, temporaryPath, TEMPORARY } from "./variables.js";
import { CD_COMMANDS, changeDir, childDir, DIR_MOVERS, followDir, startDir } from "./workdir.js";
import { bashWrites } from "./bash-writes.js";
import { cmdLineAsPowerShell } from "./cmd-line.js";
import { runInContainer } from "./container-runs.js";
import { runToolCommands } from "./tool-commands.js";
import { runCommand, typedCommand } from "./option-command.js";
import { childContext, runRedirectedScript, runShell, wrapperEnvironment } from "./run-shell.js";
import { runInterpreter } from "./run-interpreter.js";
import { recordWrites, runsWritten } from "./written-files.js";
import { newItemPaths, recordCommandWrites } from "./command-writes.js";
import { before, endsCleanly, fedText } from "./written-content.js";
import { followLinks } from "./written-links.js";
import { differ, mergeMaybe } from "./maybe-run.js";
import { changedKeys, forkMap, SharedMap, SharedSet } from "./shared-map.js";
import { xargsItems, xargsOptions, xargsReplace, type XargsInput } from "./xargs-items.js";
import { inStartupFolder, STARTUP_FINDING } from "./persistence.js";
import { screenStuff } from "./screen-stuff.js";
import { tmuxKeys } from "./tmux-keys.js";
import { argumentWrites, cmdletWrites, judgeWrite } from "./path-writes.js";
import { matchRule, operands, type Invocation } from "./match-rule.js";
import { pipInstallSource } from "./package-installs.js";
import { classifyWord, providerPaths, type PathContext } from "./paths.js";
import { contentsFed, usedNames, valueSource, writesCredentials } from "./data-flow.js";
import { carried, judgeFoundKeys, recordCredentialCopies, recordCredentialRedirects, withCarried } from "./credential-files.js";
import { findStartPaths, keyFilesFound } from "./find-files.js";
import { environmentRead, environmentSecret, mayNameServiceBase } from "./secret-names.js";
import { assignedWhenAsked } from "./line-assignments.js";
import { withNoPath } from "./own-values.js";
import { clonedRun, inClone, makesInClone, recordClone, recordUnpacked } from "./clones.js";
import { cmdletContentsFed } from "./cmdlet-contents.js";
import { tarKeyAsOptions } from "./archive-files.js";
import { httpieItemPaths } from "./httpie-items.js";
import { cmdRunsDownloaded, commandName, mayBeModuleQualified, NATIVE_UNDER_ALIAS, opensDownloaded, recordDownload, scriptDownloads, wasDownloaded, wordDownloads } from "./downloads.js";
import { judgeAssigned, judgeEnvironment, judgeSetter } from "./env-injection.js";
import { HISTORY_OFF, historyOff, INTERPRETERS, POSIX_SHELLS, RULES, SHELLS, WRAPPERS, type Rule } from "./rules.js";
import type { Finding, ShellKind } from "./types.js";

export type { ScriptParser };

const MAX_DEPTH = 8;

/**
 * How much a line's rest is judged again, from the state before a command that may not run (see the
 * `maybe` unit in `evalScript`). Each such reading judges the whole rest of the line, so judging it
 * after every one would take a script of `a && b` lines time growing with the square of its length.
 * All second readings of a line together judge at most this many times as many units as the line
 * has, or {@link REREADING_FLOOR} units where that is more; one that would go past it is not judged
 * (the two states merge, what they differ in unknown), unless its rest is within {@link REREADING_TAIL}.
 * So the first 16 such commands of any line are judged both ways, all of a line of up to about 50
 * of them, and those near the end of a long script.
 */
export const REREADING_BUDGET = 16;

/** The units a line's second readings may judge however short it is (see {@link REREADING_BUDGET}). */
export const REREADING_FLOOR = 5_000;

/** A rest of at most this many units is judged again whatever the line's second readings have judged already. */
export const REREADING_TAIL = 128;

/**
 * The body units that the readings of functions with a call's input judge together in one line (see
 * `feedCall`): functions that call each other with input could otherwise take time growing with
 * the calls' product. Past it a call's input is not followed, and the line is at least high.
 */
export const FED_CALL_UNITS = 2_000;

/** What a login shell of su (`su -`, `su -l`) keeps of the environment: TERM alone (util-linux su). */
const SU_LOGIN: EnvKept = { names: new Set(["TERM"]), capitals: false };

/** Evaluates a parsed script against the rule table and returns every finding. */
export function evaluateScript(script: Script, shell: ShellKind, paths: PathContext, parse: ScriptParser, cmdLine = false): Finding[] {
  const ops = { nested, runArgv, applyRules, checkRedirect };
  const named = namesIn(script, shell === "powershell");
  const ctx: Ctx = { ...(cmdLine ? { cmdLine } : {}), shell, paths, parse, depth: 0, findings: [], downloaded: new SharedSet(), written: new SharedMap(), links: new SharedMap(), vars: new SharedMap(movesDir(shell, named) ? startDir(paths) : []), maybe: new SharedMap(), fetched: new SharedMap(), credentialFiles: new SharedMap(), exported: { names: new SharedSet(), all: false }, aliases: new SharedMap(), lineAliases: readAliases(shell, new Map()), functions: new SharedSet(definedFunctions(script, shell === "powershell")), defined: new SharedSet(), bodies: new SharedMap(), calls: { feeding: new Set(), units: 0 }, dirs: [], scopes: [], branches: [], ops, named, assigned: assignedWhenAsked(script) };
  evalScript(script, ctx, true);
  return ctx.findings;
}

/** `line`: the script is the line itself, whose rest can be judged in another state (see the `maybe` case). */
/**
 * Whether a line may move its working directory, so that its `$PWD` is left to the evaluator (see
 * `ExpandContext.cwdChanged`): one without a cd-like word (`cd`, `pushd`, `eval`, …) anywhere never
 * reads PWD from the evaluator's variables, and starting them empty keeps every line that assigns
 * nothing on the evaluator's fast paths (a PWD set for every line made the long-script bench 1.6
 * times slower). Undefined `named` (a part not read) may hold one.
 */
function movesDir(shell: ShellKind, named: ReadonlySet<string> | undefined): boolean {
  if (shell === "powershell") return false;
  return named === undefined || named.has("PWD") || [...DIR_MOVERS].some((name) => named.has(name));
}

function evalScript(script: Script, ctx: Ctx, line = false): void {
  for (const [at, unit] of script.units.entries()) {
    switch (unit.kind) {
      case "pipeline":
        // Each stage of a real pipeline runs in a subshell: a `cd` there changes nothing after it.
        {
          // Variables are filled in first, so a stage sees what earlier stages really run (`$dl | sh`).
          const stages = unit.stages.map((c) => withVariables(c, ctx));
          const run = (cmds: Cmd[], at: Ctx, lastpipe?: Ctx[]): void =>
            cmds.forEach((cmd, i) => {
              if (cmds.length === 1) evalCmd(cmd, [], at);
              // PowerShell runs each stage in the line's own scope (`Set-Location / | Out-Null`); cmd.exe, each side of a pipe in a process of its own.
              else if (ctx.shell === "powershell" && !ctx.cmdLine) evalCmd(cmd, cmds.slice(0, i), at);
              else if (i < cmds.length - 1 || !lastpipe) evalCmd(cmd, cmds.slice(0, i), subshell(at));
              else {
                // `cat | printf -v x /`: the last stage's subshell, or the line's own shell under `shopt -s lastpipe`.
                // The files it writes or downloads are there in either (`… | tee x.sh; sh x.sh`).
                const there = { ...forkContext(at), written: at.written, downloaded: at.downloaded, credentialFiles: at.credentialFiles };
                evalCmd(cmd, cmds.slice(0, i), there);
                if (changedState(at, there)) lastpipe.push({ ...there, reading: true });
              }
            });
          // `rm -rf ${x:-/}` with x unknown may be `rm -rf /`: each such reading is judged too, the line
          // going on from the one that leaves the value unknown.
          const forks = otherReadings(stages).map((reading) => {
            const fork = forkContext(ctx);
            run(reading, fork);
            return fork;
          });
          const outer = ctx.elsewhere;
          const elsewhere: Ctx[] = [];
          ctx.elsewhere = { owner: ctx, states: elsewhere };
          run(stages, ctx, ctx.reading ? undefined : elsewhere);
          ctx.elsewhere = outer;
          // `cd ${x:-/} && rm -rf *`, `eval 'cd ${x:-/}'; rm -rf *`, `eval "$s"; rm -rf *`: where a
          // reading or an eval may leave the shell in another directory, the rest of the line is judged
          // there too (once: a reading of the rest does not split again), and so is the rest of the line
          // around an eval this script is the text of.
          if (!ctx.reading) elsewhere.push(...forks.filter((fork) => fork.paths.cwd !== ctx.paths.cwd).map((fork) => ({ ...fork, reading: true })));
          for (const there of elsewhere) goOn(script, at, there, ctx);
        }
        break;
      case "assign": {
        if (unit.anyName) {
          forgetValues(ctx.vars, ctx.maybe);
          break;
        }
        if (unit.exported) ctx.exported.names.add(unit.name);
        if (unit.exportOnly) break;
        // `x=${y:-/}; z=$x`, `z=${x%tmp}`: z takes x's readings with its value, edited where it is.
        const value = unit.value ? resolveWord(oneWordOutputs(unit.value, ctx), ctx.vars, ctx.maybe) : undefined;
        if (historyOff(unit.name, value, unit.unset === true)) ctx.findings.push(HISTORY_OFF);
        judgeAssigned(unit, value, ctx);
        const source = unit.source ?? (unit.value?.dynamic ? { units: unit.value.subs.flatMap((s) => s.units) } : undefined);
        // A credential it holds (`k=$(cat ~/.ssh/id_rsa)`, `f="$k"`) goes with each use too, followed to where it is sent (see `withFetched`).
        const secret = ctx.shell !== "powershell" ? (unit.value?.dynamic ? valueSource(unit.value, (name) => heldBy(name, ctx), (s) => !scriptDownloads(s)) : undefined) : unit.source && psHeldSource(unit.source, ctx);
        if (source && scriptDownloads(source, ctx.shell === "powershell")) ctx.fetched.set(unit.name, source);
        else if (secret && writesCredentials(secret, ctx.paths)) ctx.fetched.set(unit.name, secret);
        // `OPENAI_API_KEY=dummy`, `$env:OPENAI_API_KEY = 'x'`: a secret's name given a value on the line no longer holds the environment's.
        else if (secretName(unit.name, ctx) !== undefined) ctx.fetched.set(unit.name, HOLDS_NOTHING);
        else ctx.fetched.delete(unit.name);
        ctx.maybe.delete(unit.name);
        if (unit.unset) ctx.vars.set(unit.name, "");
        else if (value && !value.dynamic) ctx.vars.set(unit.name, value.text);
        else if (value && temporaryPath(value)) ctx.vars.set(unit.name, TEMPORARY);
        else {
          ctx.vars.delete(unit.name);
          // `x=${y:-/}`: x is y's value or `/`, and a later $x is judged with both.
          if (value && readingCount([value]) > 0) ctx.maybe.set(unit.name, value);
        }
        break;
      }
      case "scope":
        if (unit.edge === "start") ctx.scopes.push({ paths: ctx.paths, vars: forkMap(ctx.vars), maybe: forkMap(ctx.maybe), dirs: [...ctx.dirs] });
        else {
          const saved = ctx.scopes.pop();
          if (saved) {
            // `cat | x=build`, `cat | { cd /; }`: under `shopt -s lastpipe` what the last stage changed holds.
            const lastpipe = unit.lastStage && !ctx.reading ? forkContext(ctx) : undefined;
            // In place: eval text shares the line's variables, and what it assigns after `( … )` holds for the line too.
            replaceEntries(ctx.vars, saved.vars);
            replaceEntries(ctx.maybe, saved.maybe);
            ctx.paths = saved.paths;
            ctx.dirs = saved.dirs;
            // The pipeline this stage ends comes next: its earlier stages were started before the last
            // one ran, and see the values from before it (`x=/; rm -rf $x | x=build` deletes /), as the
            // line's own reading judges them; what the last stage changed holds after the pipeline.
            const pipeline = script.units[at + 1]?.kind === "pipeline" ? at + 1 : at;
            if (lastpipe && changedState(ctx, lastpipe)) goOn(script, pipeline, { ...lastpipe, reading: true }, ctx);
          }
        }
        break;
      case "function":
        ctx.functions.add(ctx.shell === "powershell" ? unit.name.toLowerCase() : unit.name);
        ctx.defined.add(ctx.shell === "powershell" ? unit.name.toLowerCase() : unit.name);
        ctx.bodies.set(unit.name, unit.body);
        if (spawnsItself(unit.name, unit.body)) {
          ctx.findings.push({ category: "resource exhaustion", risk: "critical", detail: `the function ${unit.name} starts copies of itself without end (fork bomb)` });
        }
        {
          // The body is judged where it is defined, and what it assigns, where it moves and what it
          // writes hold from there for its calls. A function the line never names again may never
          // run (the shell runs nothing where it is defined, not even the redirections after its
          // body), so the rest of the line is judged without them too: `x=/; f() { x=build; }; rm -rf $x`.
          const unnamed = ctx.named !== undefined && !ctx.named.has(ctx.shell === "powershell" ? unit.name.toLowerCase() : unit.name);
          if (unnamed) (ctx.branches ??= []).push(forkContext(ctx));
          evalScript(unit.body, ctx);
          if (unnamed) endMaybe(script, at, line, ctx);
        }
        break;
      case "expand":
        for (const w of unit.words) evalWord(w, ctx);
        break;
      case "unresolved":
        unresolved(ctx, unit.detail);
        break;
      case "direct":
        ctx.findings.push(unit.finding);
        break;
      case "maybe":
        if (unit.edge === "start") (ctx.branches ??= []).push(forkContext(ctx));
        else endMaybe(script, at, line, ctx);
        break;
      case "line":
        if (ctx.aliasReading !== "once") ctx.lineAliases = readAliases(ctx.shell, ctx.aliases, ctx.aliasReading);
        break;
    }
  }
}

/** The aliases a line read now is expanded with: in bash, zsh and sh, those defined so far (see `Ctx.lineAliases`), none where they are `off`. */
function readAliases(shell: ShellKind, aliases: ReadonlyMap<string, string>, reading?: Ctx["aliasReading"]): ReadonlyMap<string, string> | undefined {
  if (reading === "off") return new Map();
  return shell === "bash" || shell === "zsh" || shell === "sh" ? forkMap(aliases) : undefined;
}

/** Whether the rest of the line after `script.units[at]` may be judged again (see {@link REREADING_BUDGET}); counts it if so. */
function mayReadAgain(script: Script, at: number, ctx: Ctx): boolean {
  const rest = script.units.length - at - 1;
  if (rest <= REREADING_TAIL) return true;
  const spent = (ctx.reread ?? 0) + rest;
  if (spent > Math.max(REREADING_BUDGET * script.units.length, REREADING_FLOOR)) return false;
  ctx.reread = spent;
  return true;
}

/**
 * Judges the rest of the line after `script.units[at]` in `there`, another state the line may be in
 * there; one left at the end of eval text goes on to the line around it.
 */
function goOn(script: Script, at: number, there: Ctx, ctx: Ctx): void {
  const state: Ctx = { ...there, depth: ctx.depth, scopes: [...ctx.scopes], branches: [...(ctx.branches ?? [])], elsewhere: undefined };
  evalScript({ units: script.units.slice(at + 1) }, state);
  const outer = ctx.elsewhere;
  if (outer?.owner === ctx) outer.states.push(state);
}

/** Whether `after` differs from `before` in what the rest of the line sees: variables, directories, exports, aliases or downloads. */
function changedState(before: Ctx, after: Ctx): boolean {
  const differ = <V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>): boolean => a !== b && (a.size !== b.size || changedKeys(a, b).size > 0);
  const sameDirs = before.dirs.length === after.dirs.length && before.dirs.every((d, i) => d.cwd === after.dirs[i]?.cwd);
  return (
    differ(before.vars, after.vars) ||
    differ(before.maybe, after.maybe) ||
    differ(before.fetched, after.fetched) ||
    differ(before.aliases, after.aliases) ||
    before.paths.cwd !== after.paths.cwd ||
    !sameDirs ||
    before.downloaded.size !== after.downloaded.size ||
    before.exported.names.size !== after.exported.names.size ||
    before.exported.all !== after.exported.all
  );
}

function replaceEntries<V>(map: Map<string, V>, entries: ReadonlyMap<string, V>): void {
  if (map instanceof SharedMap && entries instanceof SharedMap) return map.assign(entries as SharedMap<V>);
  map.clear();
  for (const [k, v] of entries) map.set(k, v);
}

/** The names of the functions a script defines, in function bodies too (see `Ctx.functions`); PowerShell's lowercased. */
/**
 * The end of what may not have run (a `maybe` unit's end, a function's body read where it is
 * defined), whose state before it was pushed on `ctx.branches`.
 */
function endMaybe(script: Script, at: number, line: boolean, ctx: Ctx): void {
  const skipped = ctx.branches?.pop();
  if (!skipped || !differ(skipped, ctx)) return;
  // `false && rm b; echo … > b`: the line goes on with what the command did and without it.
  // The rest of the line itself is judged from both (once: that reading does not split again);
  // elsewhere (a function's body, eval text, a reading already split) the state is what both
  // have in common, the rest unknown.
  // Each such reading judges the rest of the line again: where that would go past the line's
  // REREADING_BUDGET (a long script of `a && b` lines), the states merge instead.
  if (line && !ctx.reading && mayReadAgain(script, at, ctx)) goOn(script, at, { ...forkContext(skipped), reading: true }, ctx);
  else mergeMaybe(skipped, ctx, () => changeDir("cd", [UNKNOWN_DIR], ctx.paths, [], false));
}

/**
 * Every name the line's words hold (split at blanks and shell punctuation), lower-case for
 * PowerShell: a function whose name is not among them is never called, unless by text wren cannot see.
 * Undefined where a part could not be read, which may call any of them.
 */
function namesIn(script: Script, powershell: boolean, names = new Set<string>(), seen = new Set<Script | Unit>()): Set<string> | undefined {
  // A block's commands are also its redirection's body (`{ …; } > x`): each is read once.
  if (seen.has(script)) return names;
  seen.add(script);
  let unread = false;
  const add = (w: Word | undefined): void => {
    if (!w) return;
    for (const t of w.text.replaceAll(RUN_TIME, " ").split(/[\s;|&()<>'"`$={}]+/)) if (t) names.add(powershell ? t.toLowerCase() : t);
    for (const s of w.subs) if (!namesIn(s, powershell, names, seen)) unread = true;
  };
  for (const u of script.units) {
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.kind === "pipeline") {
      for (const c of u.stages) {
        c.argv.forEach(add);
        c.redirects.forEach((r) => add(r.target));
        add(c.stdinText);
        for (const a of c.env ?? []) add(a.value);
        if (c.body && !namesIn(c.body, powershell, names, seen)) return undefined;
      }
    } else if (u.kind === "function" && !namesIn(u.body, powershell, names, seen)) return undefined;
    else if (u.kind === "expand") u.words.forEach(add);
    else if (u.kind === "assign") {
      // A line that sets PWD reads it from the evaluator's variables, as after a cd (see `movesDir`).
      if (u.name === "PWD") names.add(u.name);
      add(u.value);
      if (u.source && !namesIn(u.source, powershell, names, seen)) return undefined;
    } else if (u.kind === "unresolved") return undefined;
  }
  return unread ? undefined : names;
}

function definedFunctions(script: Script, powershell: boolean, names = new Set<string>()): Set<string> {
  for (const unit of script.units) {
    if (unit.kind !== "function") continue;
    names.add(powershell ? unit.name.toLowerCase() : unit.name);
    definedFunctions(unit.body, powershell, names);
  }
  return names;
}

function spawnsItself(name: string, body: Script): boolean {
  for (const unit of body.units) {
    if (unit.kind === "pipeline") {
      const calls = unit.stages.filter((c) => c.argv[0]?.text === name);
      if (calls.length > 0 && (unit.stages.length > 1 || calls.some((c) => c.background))) return true;
    } else if (unit.kind === "function" && spawnsItself(name, unit.body)) {
      return true;
    }
  }
  return false;
}

function nested(ctx: Ctx, text: string, shell: ShellKind, cmdLine = false): void {
  if (ctx.depth >= MAX_DEPTH) {
    unresolved(ctx, "commands nested too deeply to analyse");
    return;
  }
  const vars = forkMap(ctx.vars);
  const maybe = forkMap(ctx.maybe);
  // After a `cd` (`cd / && bash -c 'rm -rf $PWD'`) the child starts where the line is, its PWD that directory.
  const moved = movedFrom(ctx, shell);
  // A PWD the line set is replaced too (`PWD=/ bash -c 'rm -rf $PWD'` deletes the folder it is in).
  if (moved || pwdSet(ctx)) childDir(vars, maybe, ctx.paths);
  evalScript(ctx.parse(text, shell, ctx.homeFromVars, undefined, moved), { ...ctx, cmdLine, shell, depth: ctx.depth + 1, findings: ctx.findings, vars, maybe, scopes: [], branches: [], lineAliases: readAliases(shell, ctx.aliases, ctx.aliasReading) });
}

/** Whether text run now in `shell` starts after a `cd` on the line (see `PathContext.moved`); PowerShell's `$PWD` is read otherwise. */
function movedFrom(ctx: Ctx, shell: ShellKind): boolean {
  return ctx.paths.moved === true && ctx.shell !== "powershell" && shell !== "powershell";
}

/**
 * Whether the shell's PWD is not the directory it is in: the line set it (`PWD=/; eval 'rm -rf
 * $PWD'`). The evaluator holds PWD from the start of such a line (see `movesDir`). fish's PWD is
 * read-only (`set PWD /` fails).
 */
function pwdSet(ctx: Ctx): boolean {
  if (ctx.shell === "powershell" || ctx.shell === "fish" || ctx.paths.cwdUnknown || !movesDir(ctx.shell, ctx.named)) return false;
  return ctx.maybe.has("PWD") || ctx.vars.get("PWD") !== ctx.paths.cwd;
}

/** Evaluates text the current shell runs itself (`eval 'x=/'`): what it assigns holds for the rest of the line. */
function nestedHere(ctx: Ctx, text: string): void {
  if (ctx.depth >= MAX_DEPTH) {
    unresolved(ctx, "commands nested too deeply to analyse");
    return;
  }
  const states: Ctx[] = [];
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1, scopes: [], branches: [], lineAliases: readAliases(ctx.shell, ctx.aliases, ctx.aliasReading) };
  inner.elsewhere = { owner: inner, states };
  // After a `cd` its `$PWD` is the shell's PWD, which the evaluator follows (`cd / && eval 'rm -rf $PWD'`), as after `PWD=/`.
  evalScript(ctx.parse(text, ctx.shell, hereHome(ctx), undefined, movedFrom(ctx, ctx.shell) || pwdSet(ctx)), inner);
  // `eval 'cd /'`, `eval 'pushd /'`: the directory it leaves holds too, and so do the others a
  // reading of it may leave (`eval 'cd ${x:-/}'`).
  ctx.paths = inner.paths;
  ctx.dirs = inner.dirs;
  if (ctx.elsewhere?.owner === ctx) ctx.elsewhere.states.push(...states);
}

/**
 * How text the shell runs itself reads `$HOME` and `~` (see `Ctx.homeFromVars`): a known, non-empty
 * HOME the shell holds (`HOME=/; eval 'rm -rf ~'`, `HOME=/ eval …`) is both, as the line's own words
 * read one it set (see `ExpandContext.homeAssigned`). One unset (bash's `~` is then the user
 * database's home), empty or only known at run time leaves `~` as it was.
 */
function hereHome(ctx: Ctx): HomeFromVars | undefined {
  if (ctx.homeFromVars === "tilde") return "tilde";
  const home = ctx.vars.get("HOME");
  if (home !== undefined && home !== "" && !ctx.maybe.has("HOME")) return "tilde";
  return ctx.maybe.has("HOME") ? true : ctx.homeFromVars;
}

/**
 * Runs eval's text with the assignments in front of it (`HOME=/ eval 'rm -rf ~'` deletes /): they
 * hold while it runs, each seeing those before it, exported to what it starts. Afterwards bash, zsh
 * and fish give the names back what they held before, whatever the text assigned them; sh keeps
 * the new values (POSIX, for a special builtin: dash, `bash --posix`), though not exported (dash).
 */
function withAssignments(cmd: Cmd, ctx: Ctx, run: () => void): void {
  const assigns = cmd.env ?? [];
  if (assigns.length === 0) {
    run();
    return;
  }
  const saved = [...new Set(assigns.map((a) => a.name))].map((name) => ({ name, value: ctx.vars.get(name), maybe: ctx.maybe.get(name), exported: ctx.exported.names.has(name) }));
  for (const a of assigns) {
    const value = a.value && !a.home && !a.unset ? resolveWord(oneWordOutputs(a.value, ctx), ctx.vars, ctx.maybe) : undefined;
    ctx.maybe.delete(a.name);
    if (value && !value.dynamic) ctx.vars.set(a.name, value.text);
    else {
      ctx.vars.delete(a.name);
      if (value && readingCount([value]) > 0) ctx.maybe.set(a.name, value);
    }
    ctx.exported.names.add(a.name);
  }
  const mine = ctx.elsewhere?.owner === ctx ? ctx.elsewhere.states : undefined;
  const before = mine?.length ?? 0;
  run();
  // The states eval's text may leave the line in (`eval 'cd ${x:-/}'`) go on without them too.
  for (const state of [ctx, ...(mine?.slice(before) ?? [])]) {
    for (const { name, value, maybe, exported } of saved) {
      if (!exported) state.exported.names.delete(name);
      if (ctx.shell === "sh") continue;
      if (value === undefined) state.vars.delete(name);
      else state.vars.set(name, value);
      if (maybe === undefined) state.maybe.delete(name);
      else state.maybe.set(name, maybe);
    }
  }
}

/** A `cd` operand only known at run time. */
const UNKNOWN_DIR: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [] };

function evalWord(word: Word, ctx: Ctx): void {
  for (const sub of word.subs) {
    if (word.runsHere) {
      // PowerShell's `$($x = '/')`, `($x = '/')`: what it assigns and where it moves hold after it.
      const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
      evalScript(sub, inner);
      ctx.paths = inner.paths;
      ctx.dirs = inner.dirs;
    }
    // bash and zsh read a `$(…)` again when they run it: an alias defined earlier on the line applies there.
    else evalScript(sub, { ...subshell(ctx), depth: ctx.depth + 1, lineAliases: readAliases(ctx.shell, ctx.aliases, ctx.aliasReading) });
  }
}

/** A pipeline stage or `$(…)`: the directory and variables it changes are its own (`printf -v x y | cat`, `$(x=y)`). */
function subshell(ctx: Ctx): Ctx {
  return { ...ctx, vars: forkMap(ctx.vars), maybe: forkMap(ctx.maybe), dirs: [...ctx.dirs] };
}

function evalCmd(cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const linked = ctx.links.size > 0 ? before(ctx) : undefined;
  writeCmd(cmd, upstream, ctx);
  if (linked) followLinks(linked, ctx);
}

function writeCmd(cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  for (const w of cmd.argv) evalWord(w, ctx);
  for (const r of cmd.redirects) {
    evalWord(r.target, ctx);
    checkRedirect(r.op, r.target, ctx);
  }
  if (cmd.stdinText) evalWord(cmd.stdinText, ctx);
  // PowerShell's `'…' > x.ps1` writes the expression's value.
  if (cmd.expression) {
    if (cmd.redirects.length > 0) recordWrites(cmd, runsDefined([cmd], ctx) ? undefined : pipelineOutput([{ ...cmd, redirects: [] }], true).text, ctx);
    return;
  }
  recordDownload(cmd, ctx.downloaded, ctx.paths.cwd, ctx.shell === "powershell");
  // Defining a function writes nothing to the files after its body; each call does (fish empties them where it defines it).
  if (cmd.redirects.length > 0 && !(cmd.definition && ctx.shell !== "fish")) {
    recordWrites(cmd, writtenText(cmd, ctx), ctx);
    recordCredentialRedirects(cmd, upstream, ctx);
  }
  runArgv(cmd.argv, cmd, upstream, ctx);
  feedCall(cmd, upstream, ctx);
  callWrites(cmd, ctx);
}

/**
 * `f() { echo …; } > x.sh; f`: the redirections written after a function's body write its output
 * at each call (the body's own reading, where it was defined, has written it once).
 */
function callWrites(cmd: Cmd, ctx: Ctx): void {
  const name = cmd.argv[0]?.dynamic === false ? cmd.argv[0].text : "";
  const last = ctx.shell !== "powershell" ? ctx.bodies.get(name)?.units.at(-1) : undefined;
  const writes = last?.kind === "pipeline" && last.stages.length === 1 ? last.stages[0] : undefined;
  if (writes?.body && writes.argv.length === 0) recordWrites(withVariables(writes, ctx), writtenText(writes, ctx), ctx);
}

/**
 * `f() { bash; }; f <<< 'rm -rf ~'`, `… | f`, `f < x.sh`: the commands of a function read the call's
 * standard input, as those of `{ …; } <<< text` do. The body, judged where it was defined, is judged
 * again with that input fed to each of its pipelines that reads none of its own, in a scope of its
 * own (what it assigns or where it moves already holds from the definition).
 */
function feedCall(cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const name = cmd.argv[0]?.dynamic === false ? cmd.argv[0].text : "";
  const body = ctx.shell !== "powershell" ? ctx.bodies.get(name) : undefined;
  // A function calling itself with the input (`f() { cat | f; }`) is judged with it once.
  if (!body || ctx.calls.feeding.has(name)) return;
  const from = cmd.redirects.filter(readsStdin);
  const own = cmd.stdinText !== undefined || from.length > 0;
  if (!own && upstream.length === 0) return;
  if (ctx.depth >= MAX_DEPTH || ctx.calls.units + body.units.length > FED_CALL_UNITS) {
    unresolved(ctx, `the function ${name} is called with input more deeply or more often than wren follows`);
    return;
  }
  ctx.calls.units += body.units.length;
  const fed = feedInput(body.units, (p) => (own ? fedPipeline(p, cmd.stdinText, from) : { ...p, stages: [...upstream, ...p.stages] }));
  ctx.calls.feeding.add(name);
  evalScript({ units: fed }, { ...subshell(ctx), depth: ctx.depth + 1, scopes: [], branches: [] });
  ctx.calls.feeding.delete(name);
}

/**
 * What a command writes to standard output where wren knows it, every byte (a file holds the newline
 * echo ends with, and none after printf's `%s`): `echo` or `printf` of known words, `cat` of a
 * here-document.
 */
function writtenText(cmd: Cmd, ctx: Ctx, calls?: CallsRead): string | undefined {
  const [name, ...args] = cmd.argv;
  if (!name && cmd.body) return bodyWrites(cmd.body, ctx, calls);
  if (!name || name.dynamic) return undefined;
  const called = ctx.shell !== "powershell" && !ctx.aliases.has(name.text) ? ctx.bodies.get(name.text) : undefined;
  if (called) return calledWrites(name.text, called, ctx, calls ?? { reading: new Set(), units: 0 }, cmd.redirects.some(takesOutput));
  if (name.text === "cat" && args.length === 0 && !ctx.functions.has("cat") && !ctx.aliases.has("cat")) return cmd.stdinText && !cmd.stdinText.dynamic ? fedText(cmd.stdinText) : undefined;
  // A condition writes nothing to its output (`if true; then …`).
  if (ctx.shell !== "powershell" && CONDITIONS.has(name.text) && !ctx.functions.has(name.text) && !ctx.aliases.has(name.text)) return "";
  // cmd.exe's `echo` writes the rest of its command as it is.
  if (ctx.cmdLine && commandName(name.text, true) === "write-output") return args.some((w) => w.dynamic) ? undefined : args.map((w) => w.text).join(" ");
  const produced = substitutionWrites({ units: [{ kind: "pipeline", stages: [{ ...cmd, redirects: [] }] }] }, ctx, true);
  return typeof produced === "string" ? produced : produced && !produced.dynamic ? produced.text : undefined;
}

/** Builtins that write nothing to their standard output (`test` and `[` write only errors). */
const CONDITIONS = new Set(["true", "false", ":", "test", "["]);

/**
 * What the commands of `{ …; } > x.sh` write, one after another, where each is a command whose output
 * wren knows (`echo`, `printf`, `cat <<EOF`), or such a command piped through `cat` or `tee`, which
 * pass it on as it is (`echo … | cat`); undefined when one is not, or writes elsewhere.
 */
function bodyWrites(body: Script, ctx: Ctx, calls?: CallsRead): string | undefined {
  // The text so far, and that of each branch or loop body still open inside it.
  const open: string[] = [""];
  for (const u of body.units) {
    if (u.kind === "scope" || u.kind === "line") continue;
    if (u.kind === "maybe") {
      if (u.edge === "start") {
        open.push("");
        continue;
      }
      const inner = open.pop();
      const outer = open.at(-1);
      if (inner === undefined || outer === undefined) return undefined;
      // What may not run is written as a branch of its own (`if :; then …; fi`), judged with and without
      // it, where it and what comes before it end where a command does.
      if (inner === "") continue;
      if ((outer !== "" && !endsCleanly(outer, ctx)) || !endsCleanly(inner, ctx)) return undefined;
      open[open.length - 1] = `${outer}if :; then\n${inner}fi\n`;
      continue;
    }
    const [stage, ...passes] = u.kind === "pipeline" ? u.stages : [];
    if (!stage || [stage, ...passes].some((c) => c.redirects.length > 0 || c.background) || !passes.every((c) => passesOn(c, ctx))) return undefined;
    const written = writtenText(stage, ctx, calls);
    if (written === undefined) return undefined;
    open[open.length - 1] += written;
  }
  return open.length === 1 ? open[0] : undefined;
}

/** The functions whose output {@link calledWrites} is working out, and how many of their units it has read. */
interface CallsRead {
  reading: ReadonlySet<string>;
  units: number;
}

/**
 * What a call of a function the line defines writes (`f() { echo …; }; f > x.sh`): what its body
 * writes, where that uses no variable, which the call (its arguments) or the function may set
 * otherwise than the line does where wren reads it. A function reading itself, or more than
 * {@link FED_CALL_UNITS} units of bodies in all, writes text wren cannot know.
 */
function calledWrites(name: string, body: Script, ctx: Ctx, calls: CallsRead, redirected: boolean): string | undefined {
  calls.units += body.units.length;
  if (calls.reading.has(name) || calls.units > FED_CALL_UNITS || usesValues(body)) return undefined;
  const reading = { ...calls, reading: new Set([...calls.reading, name]) };
  // `f() { …; } > y.sh`: the function's own redirection applies after the call's (`f > x.sh`), so its
  // output goes to y.sh and the call's file gets none; zsh (MULTIOS) writes it to both where the call
  // has a redirection of its output too (checked with bash 5, dash and zsh 5).
  const last = body.units.at(-1);
  const own = last?.kind === "pipeline" && last.stages.length === 1 && last.stages[0]?.definition ? last.stages[0] : undefined;
  if (!own?.body) return bodyWrites(body, ctx, reading);
  if (own.redirects.some(takesOutput) && !(ctx.shell === "zsh" && redirected)) return "";
  return bodyWrites(own.body, ctx, reading);
}

/** Whether a redirection takes a command's standard output: `> F`, `>> F`, `&> F`, `>&2`, not `2> F` or `< F`. */
function takesOutput(r: Redirect): boolean {
  return r.op.includes(">") && !r.op.includes("<") && (r.op.startsWith("&") || (r.fd ?? 1) === 1);
}

/** Whether a pipeline of the body has a word, here-document or redirection target only known at run time. */
function usesValues(body: Script): boolean {
  return body.units.some((u) => u.kind === "pipeline" && u.stages.some((c) => [...c.argv, ...(c.stdinText ? [c.stdinText] : []), ...c.redirects.map((r) => r.target)].some((w) => w.dynamic)));
}

/** Whether a pipeline stage writes its input as it is: the `cat` (of only standard input, `-u` at most) or `tee` programs, not a function or alias of their name. */
function passesOn(cmd: Cmd, ctx: Ctx): boolean {
  const [name, ...args] = cmd.argv;
  if (!name || name.dynamic || cmd.stdinText || runsDefined([cmd], ctx) || args.some((w) => w.dynamic)) return false;
  if (name.text === "cat") return args.every((w) => w.text === "-" || w.text === "-u");
  // Some builds of tee copy again to standard output for a file named `-`.
  return name.text === "tee" && !args.some((w) => w.text === "-" || /^--(h|v)/.test(w.text));
}

function withVariables(cmd: Cmd, ctx: Ctx): Cmd {
  const { vars, maybe } = ctx;
  const splitIfs = ctx.shell === "bash" || ctx.shell === "sh";
  const outputs = cmd.argv.some((w) => w.outputs) || cmd.redirects.some((r) => r.target.outputs) || cmd.stdinText?.outputs !== undefined;
  if (!outputs && vars.size === 0 && maybe.size === 0 && ctx.fetched.size === 0 && ctx.credentialFiles.size === 0 && !(splitIfs && cmd.argv.some((w) => w.vars?.includes("IFS"))) && !usesSecret(cmd, ctx)) return cmd;
  const written = (w: Word): Word => oneWordOutputs(w, ctx);
  const argv = cmd.argv.flatMap((w) => fillOutputs(w, (s) => substitutionWrites(s, ctx)));
  // A PowerShell variable is one argument whatever it holds (`Set-Content x.ps1 $c`); only as the
  // command (`& $c`) is it read as the words it holds, as `iex $c` would run them.
  const powershell = ctx.shell === "powershell";
  const fish = ctx.shell === "fish";
  // fish's values are lists: a word is one word per element (see `fishLists`); one that may not be split is given them joined.
  const listed = fish ? fishLists(argv, vars) : argv;
  const joined = fish ? new Map([...vars].map(([name, value]) => [name, fishJoined(value)])) : vars;
  const resolved = listed.flatMap((w, i) => (powershell && i > 0 ? [resolveWord(w, vars, maybe)] : resolveWords([w], vars, maybe, !fish))).map((w) => withFetched(w, ctx));
  // A file the line wrote a credential to carries it where it is named (`credential-files.ts`).
  const out: Cmd = { ...cmd, argv: withCarried(splitIfs ? splitAtDefaultIfs(resolved, vars) : resolved, ctx), redirects: cmd.redirects.map((r) => carriedRedirect({ ...r, target: resolveWord(written(r.target), joined, maybe) }, ctx)) };
  if (cmd.stdinText) out.stdinText = withFetched(resolveWord(written(cmd.stdinText), joined, maybe), ctx);
  return out;
}

/** A file opened on standard input (`nc x.io 80 < F`) with the credential the line wrote to it. */
function carriedRedirect(r: Redirect, ctx: Ctx): Redirect {
  return readsStdin(r) ? { ...r, target: carried(r.target, ctx) } : r;
}

/** What `$(…)` writes filled into a word that is not split: an assigned value, a redirection's target, a here-string. */
function oneWordOutputs(word: Word, ctx: Ctx): Word {
  if (!word.outputs) return word;
  const filled = fillOutputs({ ...word, bare: false }, (s) => substitutionWrites(s, ctx))[0] ?? word;
  return word.bare ? { ...filled, bare: true } : filled;
}

/**
 * What a `$(…)` writes, where it is one `echo` or `printf %s` whose words wren knows or can follow
 * (`$(echo ${x:-~})` writes `${x:-~}`), trailing newlines removed (kept, `whole`, for what a file
 * gets outside PowerShell); undefined when it cannot tell. Outside PowerShell, exactly as the shell
 * writes it (see `bashWrites`).
 */
function substitutionWrites(script: Script, ctx: Ctx, whole = false): string | Word | undefined {
  const only = script.units.length === 1 ? script.units[0] : undefined;
  const stage = only?.kind === "pipeline" && only.stages.length === 1 ? only.stages[0] : undefined;
  if (!stage || stage.redirects.length > 0 || stage.stdinText || stage.background) return undefined;
  const argv = withVariables(stage, ctx).argv;
  const [name, ...args] = argv;
  if (!name || name.dynamic || (name.text !== "echo" && name.text !== "printf")) return undefined;
  // A function or alias of that name defined on the line runs instead of the builtin (an alias where
  // aliases are expanded, as in an interactive shell or after `shopt -s expand_aliases`).
  if (ctx.functions.has(name.text) || ctx.aliases.has(name.text)) return undefined;
  // A pattern writes the files it matches; `printf -v x …` writes nothing.
  if (args.some((w) => w.glob) || (name.text === "printf" && /^-(?!-$)/.test(args[0]?.text ?? ""))) return undefined;
  if (ctx.shell !== "powershell") return bashWrites(name.text, args, ctx.shell, whole);
  if (!args.some((w) => w.dynamic)) {
    const produced = pipelineOutput([{ ...stage, argv }], ctx.shell === "powershell");
    return produced.text === undefined || produced.decoded ? undefined : asUtf8(produced.text).replace(/\n+$/, "");
  }
  // A value only known at run time is written as it is: by a plain `echo`, or by `printf %s` given it alone.
  const shown = name.text === "echo" ? (args.every((w) => w.dynamic || !/^-|\\/.test(w.text)) ? args : undefined) : args.length === 2 && !args[0]?.dynamic && args[0]?.text === "%s" ? args.slice(1) : undefined;
  return shown && joinWords(shown);
}

/** Words joined by spaces, as `echo` writes them, their values still to be filled in kept. */
function joinWords(words: readonly Word[]): Word {
  const vars = words.flatMap(slotsOf);
  const params = words.flatMap(paramsOf);
  const outputs = words.flatMap(outputsOf);
  const word: Word = { text: words.map((w) => w.text).join(" "), dynamic: words.some((w) => w.dynamic), glob: false, subs: [], vars };
  if (params.some((p) => p !== null)) word.params = params;
  if (outputs.some((o) => o !== null)) word.outputs = outputs;
  return word;
}

/** The pipeline read with each undecided `${NAME:-word}` as its word (see `readingCount`); none when it has none. */
function otherReadings(stages: readonly Cmd[]): Cmd[][] {
  const count = readingCount(stages.flatMap((c) => [...c.argv, ...c.redirects.map((r) => r.target), ...(c.stdinText ? [c.stdinText] : [])]));
  return Array.from({ length: count }, (_, k) =>
    stages.map((c): Cmd => {
      const out: Cmd = { ...c, argv: readWords(c.argv, k), redirects: c.redirects.map((r) => ({ ...r, target: readWord(r.target, k) })) };
      if (c.stdinText) out.stdinText = readWord(c.stdinText, k);
      return out;
    }),
  );
}

/**
 * A word using a variable that holds downloaded text carries the download, so whatever runs the word
 * runs downloaded code; one holding a credential carries the script that printed it as `held`, which
 * data-flow follows to where it is sent without running it again. Credentials are followed into the
 * word's substitutions too (`"$(echo "$OPENAI_API_KEY" | base64)"`), whose commands see no variables filled in.
 */
function withFetched(unmarked: Word, ctx: Ctx): Word {
  const word = withServiceBase(unmarked, ctx);
  const powershell = ctx.shell === "powershell";
  const runs = [...new Set((word.vars ?? []).flatMap((name) => [name === null ? undefined : ctx.fetched.get(name)].filter((s): s is Script => s !== undefined && scriptDownloads(s, powershell))))];
  const used = word.dynamic ? [...usedNames(word)] : [];
  const held = [...new Set(used.flatMap((name) => [heldBy(name, ctx)].filter((s): s is Script => s !== undefined && s.units.length > 0 && !scriptDownloads(s, powershell))))];
  if (runs.length === 0 && held.length === 0) return word;
  return { ...word, subs: [...word.subs, ...runs], ...(held.length > 0 ? { held: [...(word.held ?? []), ...held] } : {}) };
}

/**
 * `"$OPENAI_BASE_URL/v1"`: a word that starts with a variable naming a service's base URL, which the
 * line gives no value anywhere, is marked so (`Word.serviceBase`): its host is the one the user set.
 */
function withServiceBase(word: Word, ctx: Ctx): Word {
  const name = word.dynamic && ctx.shell !== "powershell" && word.text.startsWith(RUN_TIME) && !word.params?.[0] ? word.vars?.[0] : undefined;
  if (!name || !mayNameServiceBase(name)) return word;
  const assigned = ctx.assigned?.();
  return assigned && !assigned.has(name) ? { ...word, serviceBase: name } : word;
}

/** What a secret's variable holds once it is given a value that is no credential (see `heldBy`). */
const HOLDS_NOTHING: Script = { units: [] };

/**
 * The script whose output a variable holds where data-flow follows it: what the line assigned it
 * (a download, a credential; {@link HOLDS_NOTHING} for a secret's name given another value), else,
 * for a name that marks a secret from the environment (`secret-names.ts`), `printenv NAME`.
 */
function heldBy(name: string, ctx: Ctx): Script | undefined {
  const assigned = ctx.fetched.get(name);
  if (assigned || ctx.vars.has(name) || ctx.maybe.has(name)) return assigned;
  const secret = secretName(name, ctx);
  return secret === undefined ? undefined : environmentRead(secret);
}

/**
 * The environment variable a variable's name reads where its name marks it a secret: the name itself
 * outside PowerShell (`OPENAI_API_KEY`), in PowerShell one of the env: drive (`$env:openai_api_key`,
 * named in any case, compared in capitals); undefined for any other.
 */
function secretName(name: string, ctx: Ctx): string | undefined {
  const env = ctx.shell !== "powershell" ? name : /^env:/i.test(name) ? name.slice(4).toUpperCase() : undefined;
  return env !== undefined && environmentSecret(env) !== undefined ? env : undefined;
}

/**
 * What a PowerShell variable assigned a statement's output holds where data-flow follows it: the
 * secrets of the environment, and the credentials other variables hold, that the statement uses
 * (`$k = $env:OPENAI_API_KEY`, `$h = "Bearer $k"`). What its commands read is not followed.
 */
function psHeldSource(source: Script, ctx: Ctx): Script {
  const units = new Set<Unit>();
  for (const name of usedNames({ text: RUN_TIME, dynamic: true, glob: false, subs: [source] })) {
    const held = heldBy(name, ctx);
    if (held && !scriptDownloads(held, true)) for (const u of held.units) units.add(u);
  }
  return { units: [...units] };
}

/** Whether a command uses a secret's variable (`$OPENAI_API_KEY`, `$env:OPENAI_API_KEY`), in its words or their substitutions. */
function usesSecret(cmd: Cmd, ctx: Ctx): boolean {
  return [...cmd.argv, ...(cmd.stdinText ? [cmd.stdinText] : [])].some((w) => w.dynamic && [...usedNames(w)].some((name) => secretName(name, ctx) !== undefined));
}

function checkRedirect(op: string, target: Word, ctx: Ctx): void {
  const finding = judgeWrite(op, target, ctx.paths);
  if (finding) ctx.findings.push(finding);
  if ((!op.includes("<") || op === "<>") && inStartupFolder(target)) ctx.findings.push(STARTUP_FINDING);
}

function runArgv(argv: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const powershell = ctx.shell === "powershell";
  let words = argv;
  // An alias is not expanded again inside its own expansion (`alias rm='rm -i'`).
  const expanded = new Set<string>();
  // The wrapper the words were last taken from (`env printf …`), if any.
  let via: string | undefined;
  for (let guard = 0; guard < 16 && words.length > 0; guard++) {
    const first = words[0];
    if (!first) return;
    const aliasKey = powershell ? first.text.toLowerCase() : first.text;
    const alias = first.dynamic || expanded.has(aliasKey) ? undefined : (ctx.lineAliases ?? ctx.aliases).get(aliasKey);
    if (alias !== undefined) {
      expanded.add(aliasKey);
      if (/^[^;&|<>()$`'"\\\n{}]*$/.test(alias)) {
        words = [...alias.split(/\s+/).filter((t) => t.length > 0).map(literalWord), ...words.slice(1)];
        continue;
      }
      // A body with shell syntax of its own is read as the line it makes.
      nested(ctx, `${alias} ${literalText(words.slice(1)) ?? ""}`, ctx.shell);
      return;
    }
    if (first.dynamic) {
      const looked = lookedUpName(first);
      if (looked) {
        words = [literalWord(looked), ...words.slice(1)];
        continue;
      }
      const produced = wordDownloads(first, powershell) ? undefined : substitutionOutput(first, powershell);
      if (produced?.text !== undefined) {
        const named = asUtf8(produced.text).trim().split(/\s+/).filter((t) => t.length > 0).map(literalWord);
        if (produced.decoded) hidden(ctx);
        if (named.length > 0) {
          words = [...named, ...words.slice(1)];
          continue;
        }
      }
      if (wordDownloads(first, powershell)) {
        ctx.findings.push({ category: "remote code execution", risk: "critical", detail: "runs a command taken from a download" });
      } else {
        unresolved(ctx, "the command name is only known at run time, so wren cannot tell what would run");
        catastrophicOperands(words.slice(1), ctx);
      }
      return;
    }
    if (first.glob && !powershell && /[*?]|\[[^\]]+\]/.test(first.text)) {
      // `/bin/r? -rf ~`: the shell runs whatever the pattern matches first.
      unresolved(ctx, `the command name is a pattern (${first.text}), so wren cannot tell what would run`);
      catastrophicOperands(words.slice(1), ctx);
      return;
    }
    if ((wasDownloaded(first, ctx.downloaded, ctx.paths.cwd) && /[\\/]/.test(first.text)) || (ctx.cmdLine && cmdRunsDownloaded(first, ctx.downloaded, ctx.paths.cwd))) {
      ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `runs ${first.text}, which this command line downloads` });
      return;
    }
    // cmd.exe runs a program named without a path from the current folder first (`cd y & setup.bat`).
    const cloned = /[\\/]/.test(first.text) || (ctx.cmdLine && /\.(bat|cmd|exe|com)$/i.test(first.text)) ? inClone(first, ctx.downloaded, ctx.paths) : undefined;
    if (cloned) {
      ctx.findings.push(clonedRun(first.text, cloned));
      return;
    }
    if (runsWritten(first, ctx, { bare: ctx.cmdLine === true })) return;
    if ((ctx.shell === "bash" || ctx.shell === "zsh") && /^!(!|\$|-?\d|[A-Za-z?])/.test(first.text)) {
      unresolved(ctx, `history expansion (${first.text}) repeats an earlier command that wren cannot see`);
      return;
    }
    const name = commandName(first.text, powershell);
    let args = words.slice(1);
    // Bare `curl` is Invoke-WebRequest in Windows PowerShell 5 and the program in PowerShell 7, and
    // `bin\sc` is module bin's alias sc or the program bin\sc.exe: both readings are judged.
    const program = powershell ? commandName(`${first.text}.exe`, true) : name;
    if (program !== name && (NATIVE_UNDER_ALIAS.has(program) || (mayBeModuleQualified(first.text) && !/\.(exe|com)$/i.test(first.text)))) {
      runArgv([{ ...first, text: `${first.text}.exe` }, ...args], cmd, upstream, ctx);
    }
    if (CD_COMMANDS.has(name) || (powershell && CD_COMMANDS.has(first.text.toLowerCase()))) {
      const left = ctx.paths;
      ctx.paths = changeDir(CD_COMMANDS.has(name) ? name : first.text.toLowerCase(), args, ctx.paths, ctx.dirs, powershell);
      if (!powershell) followDir(ctx.vars, ctx.maybe, left, ctx.paths);
      return;
    }
    // `shopt -s expand_aliases` lets bash without a terminal expand aliases from its next line on.
    if (name === "shopt" && ctx.shell === "bash" && args.some((w) => w.text === "expand_aliases")) {
      if (args.some((w) => w.text === "-s")) delete ctx.aliasReading;
      else if (args.some((w) => w.text === "-u")) ctx.aliasReading = "off";
    }
    judgeSetter(name, args, ctx);
    if (name === "set" && ctx.shell === "fish") {
      const set = fishSet(args, ctx.vars);
      if (set) ctx.maybe.delete(set.name);
      if (set?.value !== undefined) ctx.vars.set(set.name, set.value);
      else if (set) ctx.vars.delete(set.name);
      if (set?.exported) ctx.exported.names.add(set.name);
      return;
    }
    // `set -a` (`set -o allexport`, zsh `setopt allexport`) exports every variable assigned after it.
    const allExport = (w: Word, i: number): boolean => /^-[A-Za-z]*a/.test(w.text) || (w.text === "allexport" && args[i - 1]?.text === "-o");
    if ((name === "set" && !powershell && args.some(allExport)) || (name === "setopt" && args.some((w) => /^allexport$/i.test(w.text.replace(/_/g, ""))))) {
      ctx.exported.all = true;
    }
    if (!powershell) {
      // What `printf -v x`, `read x` assign is the builtin's: a program run through `env` or `sudo`
      // cannot set the shell's variables, and a function of that name the line defined runs instead.
      if (via === undefined || IN_SHELL_WRAPPERS.has(via)) assignsUnknown(name, args, ctx, via === undefined && ctx.defined.has(name));
      declares(name, args, ctx);
    }
    const wrapper = WRAPPERS[name];
    if (wrapper && !(powershell && !POSIX_WRAPPERS_IN_PWSH.has(name))) {
      if (wrapper.risk && wrapper.category && wrapper.detail) {
        ctx.findings.push({ category: wrapper.category, risk: wrapper.risk, detail: wrapper.detail });
      }
      // `env -S 'rm -rf /'`: env reads the words the string splits into as its arguments.
      const split = name === "env" ? envArguments(args) : undefined;
      if (split && "argv" in split) args = split.argv;
      const rest = skipWrapperOptions(name, args, ctx);
      if (rest === undefined) return;
      if (wrapper.category === "privilege escalation" && opensRootShell(name, args, rest)) {
        ctx.findings.push({ category: "privilege escalation", risk: "high", detail: `opens a root shell with ${name}` });
      }
      if (rest.length === 0) return;
      cmd = wrapperEnvironment(name, args.slice(0, args.length - rest.length), cmd);
      words = rest;
      via = name;
      continue;
    }
    for (const a of cmd.env ?? []) judgeEnvironment(a.name, a.value && resolveWord(a.value, ctx.vars, ctx.maybe), ctx, first.text);
    if (name === "xargs" && !powershell) {
      const rest = wrappedCommand(name, args) ?? [];
      if (rest.length === 0) return;
      // `-I{}` puts each input line where `{}` stands instead of after the command.
      const options = args.slice(0, args.length - rest.length);
      const replace = xargsReplace(options);
      const read = xargsOptions(options);
      const input = xargsInput(upstream, cmd, replace !== undefined, read, ctx);
      words = replace === undefined ? [...rest, ...input] : rest.flatMap((w) => xargsReplaced(w, replace, input));
      const hidden = replace === undefined ? undefined : namesInShellCode(rest, replace, input);
      if (hidden) runArgv(hidden, { kind: "cmd", argv: hidden, redirects: [] }, [], ctx);
      const keys = foundKeys(upstream);
      if (keys) judgeFoundKeys(replace === undefined ? [...rest, keys] : rest.flatMap((w) => xargsReplaced(w, replace, [keys])), keys, ctx);
      via = name;
      // Where xargs reads its items from its standard input, the command's is /dev/null (the
      // terminal under -o): `curl … | xargs bash` hands bash the download as words, not as its script.
      // With `-a FILE` the command shares xargs's (`curl … | xargs -a /dev/null bash` runs the download).
      if (read.openTty || !read.file || isStdinPath(read.file)) {
        const { stdinText: _, ...rest } = cmd;
        cmd = { ...rest, redirects: [...cmd.redirects, { op: "<", target: literalWord("/dev/null"), fd: 0 }] };
        upstream = [];
      }
      continue;
    }
    if (name === "find" && !powershell) {
      runFind(args, ctx);
      return;
    }
    if ((name === "fd" || name === "fdfind") && !powershell) {
      runFd(args, ctx);
      return;
    }
    if (powershell && name.includes("-")) args = providerPaths(args, ctx.paths.home);
    recordCommandWrites(name, args, cmd, upstream, ctx);
    recordCredentialCopies(name, args, ctx);
    recordClone(name, args, ctx.downloaded, ctx.paths);
    recordUnpacked(name, args, cmd, upstream, ctx.downloaded, ctx.paths, powershell);
    const makes = makesInClone(name, args, ctx.downloaded, ctx.paths);
    if (makes) ctx.findings.push(clonedRun(name, makes));
    if (special(name, args, cmd, upstream, ctx)) return;
    // -WhatIf makes a cmdlet only report what it would do.
    if (powershell && args.some((w) => w.param && w.text.length >= 3 && "-whatif".startsWith(w.text.toLowerCase()))) return;
    if (powershell && name === "remove-item") {
      removeFromPipeline(args, upstream, ctx);
      return;
    }
    // New-Item is judged by the item it makes, not by the -Value it is given.
    const made = powershell && name === "new-item" ? newItemPaths(args) : powershell && name === "move-item" && upstream.length > 0 ? movedFromPipeline(args, upstream) : undefined;
    applyRules({ name, args: powershell ? splitBundles(args) : httpieItemPaths(name, tarKeyAsOptions(name, args), ctx.paths), powershell, fed: powershell ? cmdletContentsFed(name, args, upstream, ctx.paths.home) : contentsFed(args, cmd, upstream), stdinFed: stdinFed(cmd, upstream), ...(made ? { pathOperands: made } : {}) }, ctx);
    // `cp x /etc/passwd` writes the file as `> /etc/passwd` does, and `Set-Content F` as `> F`.
    if (!powershell) ctx.findings.push(...argumentWrites(name, args, ctx.paths));
    else ctx.findings.push(...cmdletWrites(name, args, ctx.paths, upstream.length > 0 ? pipedPaths(upstream) : undefined));
    return;
  }
}

/**
 * The paths of the items a pipeline's last stage gives the next one, for a cmdlet that takes its
 * -Path from them: files only known at run time, and those Get-ChildItem or Get-Item name (the items
 * Get-ChildItem lists are judged by the folder it lists, as `> C:\Windows` is).
 */
function pipedPaths(upstream: readonly Cmd[]): Word[] {
  const unknown: Word = { text: "", dynamic: true, glob: false, subs: [] };
  const source = upstream[upstream.length - 1]?.argv;
  const name = source?.[0];
  if (!source || !name || name.dynamic) return [unknown];
  const cmdlet = commandName(name.text, true);
  if (cmdlet !== "get-childitem" && cmdlet !== "get-item") return [unknown];
  return [unknown, ...operands({ name: cmdlet, args: source.slice(1), powershell: true })];
}

/**
 * What a Move-Item given only -Destination moves: the items piped to it (see {@link pipedPaths}), with
 * its destination, so `Get-Item ~/.bashrc | Move-Item -Destination x` is judged as
 * `Move-Item ~/.bashrc -Destination x`; undefined when it names its own -Path.
 */
function movedFromPipeline(args: Word[], upstream: readonly Cmd[]): Word[] | undefined {
  const at = args.findIndex((w) => w.param === true && w.text.length >= 3 && "-destination".startsWith(w.text.toLowerCase()));
  const destination = at >= 0 ? args[at + 1] : undefined;
  if (!destination || operands({ name: "move-item", args, powershell: true }).some((w) => w !== destination)) return undefined;
  return [...pipedPaths(upstream), destination];
}

/** Options of bash builtins that assign to a name given in their arguments, and take a value of their own. */
const VALUE_OPTIONS: Record<string, RegExp> = { read: /^-[a-zA-Z]*[adinNptu]$/, mapfile: /^-[a-zA-Z]*[dnOsuCc]$/, readarray: /^-[a-zA-Z]*[dnOsuCc]$/ };

/** Wrappers that run a builtin in the shell itself (`builtin printf -v x /` sets x); the others run a program. */
const IN_SHELL_WRAPPERS = new Set(["builtin", "command", "time", "noglob", "nocorrect"]);

/**
 * Builtins that give a variable a value wren does not work out: `read x`, `mapfile a`, `getopts o x`,
 * `printf -v x …`, `declare "$n=/"`. The names they set become unknown; where the name itself is only
 * known at run time, any variable may have changed. Where a function of that name runs instead
 * (`byFunction`), what it does with its words is only known at run time: each name keeps its value
 * or gets another.
 */
function assignsUnknown(name: string, args: Word[], ctx: Ctx, byFunction = false): void {
  const set = (w: Word | undefined): void => {
    if (!w || w.dynamic) {
      forgetValues(ctx.vars, ctx.maybe);
      return;
    }
    const target = /^[A-Za-z_][A-Za-z0-9_]*/.exec(w.text)?.[0];
    if (target && byFunction) forgetValue(target, ctx.vars, ctx.maybe);
    else if (target) {
      ctx.vars.delete(target);
      ctx.maybe.delete(target);
    }
  };
  if (name === "read" || name === "mapfile" || name === "readarray") {
    const names: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const w = args[i];
      if (!w) continue;
      if (!w.dynamic && w.text.startsWith("-")) {
        if (VALUE_OPTIONS[name]?.test(w.text)) {
          // `read -a NAME` names the array it fills.
          if (name === "read" && w.text.endsWith("a")) set(args[i + 1]);
          i++;
        }
        continue;
      }
      names.push(w);
    }
    if (name === "read") names.forEach(set);
    else if (names.length > 0) set(names[names.length - 1]);
  } else if (name === "getopts") {
    set(args[1]);
  } else if (name === "printf") {
    const at = args.findIndex((w) => !w.dynamic && w.text === "-v");
    const target = args[at + 1];
    const value = at >= 0 ? printed(args.slice(at + 2)) : undefined;
    if (target && !target.dynamic && /^[A-Za-z_][A-Za-z0-9_]*$/.test(target.text) && value !== undefined && !byFunction) {
      ctx.vars.set(target.text, value);
      ctx.maybe.delete(target.text);
    } else if (at >= 0) set(target);
  }
}

/**
 * A declaring builtin the grammar reads as an ordinary command (`builtin unset x`, `command export x=/`,
 * `\unset x`): it does what its plain form does, which the parser turns into assignments, so it is
 * read as those assignments. A name only known at run time (`builtin unset "$n"`) may be any variable.
 */
function declares(name: string, args: Word[], ctx: Ctx): void {
  if (!DECLARING.has(name)) return;
  const { options, rest: i } = leadingOptions(name, args);
  const { none, exported, transformed } = declarationOf(name, options);
  if (none) return;
  const units: Unit[] = [];
  for (const w of args.slice(i)) {
    // A word after the options written with `-` or `+` (`export +p -n x`) is a name bash refuses.
    if (!w.dynamic && /^[-+]/.test(w.text)) continue;
    const target = /^([A-Za-z_][A-Za-z0-9_]*)(=?)/.exec(w.text);
    if (!target?.[1] || (w.dynamic && !target[2]) || (target[2] === "" && target[1] !== w.text)) {
      units.push({ kind: "assign", name: "", anyName: true });
      continue;
    }
    const variable = target[1];
    if (name === "unset") units.push({ kind: "assign", name: variable, unset: true });
    else if (target[2]) units.push({ kind: "assign", name: variable, value: transformed ? undefined : { ...w, text: w.text.slice(variable.length + 1) }, exported });
    else if (exported) units.push({ kind: "assign", name: variable, exported, exportOnly: true });
  }
  evalScript({ units }, ctx);
}

/** What `printf FORMAT ARGS` writes where that is plain: `printf %s /`, or a format with no `%` or `\` and no arguments. */
function printed(words: Word[]): string | undefined {
  const [format, ...rest] = words[0]?.text === "--" && !words[0].dynamic ? words.slice(1) : words;
  if (!format || format.dynamic || rest.some((w) => w.dynamic)) return undefined;
  if (format.text === "%s" && rest.length === 1) return rest[0]?.text;
  return rest.length === 0 && !/[%\\]/.test(format.text) ? format.text : undefined;
}

/** `$(which rm)`, `$(command -v rm)`, `` `type -P rm` ``: a name looked up on PATH is that name. */
function lookedUpName(word: Word): string | undefined {
  if (word.text !== RUN_TIME || word.subs.length !== 1) return undefined;
  const units = word.subs[0]?.units ?? [];
  const only = units.length === 1 ? units[0] : undefined;
  if (only?.kind !== "pipeline" || only.stages.length !== 1) return undefined;
  const argv = only.stages[0]?.argv ?? [];
  if (argv.some((w) => w.dynamic)) return undefined;
  const texts = argv.map((w) => w.text);
  const [tool, ...rest] = texts;
  const lookup = (tool === "which" && rest.length === 1) || ((tool === "command" || tool === "type") && rest.length === 2 && /^-[vVpP]$/.test(rest[0] ?? ""));
  return lookup ? rest[rest.length - 1] : undefined;
}

/** `rm -rf` typed in PowerShell: treat the bundle as `-r -f`, which PowerShell reads as -Recurse -Force. */
function splitBundles(args: Word[]): Word[] {
  return args.flatMap((w) => (w.param && /^-(rf|fr)$/i.test(w.text) ? [{ ...w, text: "-r" }, { ...w, text: "-f" }] : [w]));
}

const SSH_VALUE_OPTIONS = ["-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-m", "-O", "-Q", "-S", "-W", "-w", "-B", "-e", "-I"];

const POSIX_WRAPPERS_IN_PWSH = new Set(["sudo", "doas", "env", "nice", "timeout", "nohup"]);

/**
 * `sudo -s`, `sudo -i` and the like with no command, or a wrapper running a shell as a login shell.
 * sudo reads `--sh` as `--shell`, as getopt_long takes a long option cut short (`--log` names both
 * `--login` and `--login-class`, and sudo refuses it).
 */
function opensRootShell(wrapper: string, args: Word[], rest: Word[]): boolean {
  if (rest.length === 0) {
    const long = (text: string): string | undefined => (wrapper === "sudo" ? longOption(text, SUDO_OPTIONS.long) : text);
    return args.some((w) => !w.dynamic && (/^-[A-Za-z]*[is][A-Za-z]*$/.test(w.text) || long(w.text) === "--login" || long(w.text) === "--shell"));
  }
  const first = rest[0];
  if (!first || first.dynamic) return false;
  const name = commandName(first.text, false);
  if (!POSIX_SHELLS.has(name) && name !== "su") return false;
  return rest.slice(1).every((w) => !w.dynamic && ["-", "-l", "-i", "--login", "-s", "root"].includes(w.text));
}

function skipWrapperOptions(name: string, args: Word[], ctx: Ctx): Word[] | undefined {
  // `command -v rm` only says what rm is; in `command rm -v …` the -v is rm's.
  if (name === "command" && commandOptions(args).some((w) => /^-[pvV]*[vV]/.test(w.text))) return undefined;
  if (name === "env") {
    // The words of `env -S STRING` are already in place (see the wrapper loop); what is left is a
    // string only known at run time, or one env refuses, which runs nothing.
    const read = envArguments(args);
    if ("unknown" in read) unresolved(ctx, "env -S runs a command line only known at run time");
    if (!("argv" in read)) return undefined;
  }
  if (name === "screen") {
    // `screen -S NAME -X stuff 'TEXT\n'` types into a running session: the lines it ends run in its shell.
    const stuffed = screenStuff(args);
    if (stuffed) {
      if (stuffed.runs) runCommand(ctx, stuffed.runs, "screen -X stuff");
      if (stuffed.typed) typedCommand(ctx, stuffed.typed, "screen -X stuff");
      return undefined;
    }
  }
  if (name === "runuser") {
    // `--com` is `--command` cut short; `--command=CMD` joins its value.
    const c = args.findIndex((w) => !w.dynamic && (w.text === "-c" || longOption(w.text, RUNUSER_OPTIONS.long) === "--command"));
    const given = args[c];
    const script = given && given.text.startsWith("--") && given.text.includes("=") ? literalWord(given.text.slice(given.text.indexOf("=") + 1)) : c >= 0 ? args[c + 1] : undefined;
    if (script) {
      if (script.dynamic) unresolved(ctx, "runuser -c runs a command line only known at run time");
      else nested(ctx, script.text, "sh");
      return undefined;
    }
  }
  return wrappedCommand(name, args) ?? [];
}

/** command's own options (`-p`, `-v`, `-V`, bundled or not): the words before the command it runs, up to `--`. */
function commandOptions(args: readonly Word[]): Word[] {
  const end = args.findIndex((w) => w.dynamic || !/^-./.test(w.text) || w.text === "--");
  return end < 0 ? [...args] : args.slice(0, end);
}

/**
 * The words xargs adds to its command: what the line feeds it where wren can read that
 * (`echo / | xargs rm -rf` is `rm -rf /`, and so is `xargs rm -rf <<< /` or `xargs -a <(echo /) rm -rf`),
 * the files `find` finds, or else one word only known at run time. `-a FILE` reads FILE instead of
 * what is piped in (`-a -` and `-a /dev/stdin` excepted), so a file wren cannot read gives a word
 * only known at run time whatever the pipe holds.
 */
function xargsInput(upstream: Cmd[], cmd: Cmd, lines: boolean, options: XargsInput, ctx: Ctx): Word[] {
  const { delimiter, file: argFile } = options;
  const file = argFile && !isStdinPath(argFile) ? argFile : cmd.stdinText ? undefined : stdinFile(cmd);
  const fromPipe = !cmd.stdinText && file === undefined;
  const previous = upstream[upstream.length - 1];
  const name = previous?.argv[0];
  if (fromPipe && previous && name && !name.dynamic && commandName(name.text, false) === "find") {
    const args = previous.argv.slice(1);
    const start = findStartPaths(args)[0];
    if (start && !start.dynamic) return [foundBy(start, args, ctx.paths)];
  }
  // /dev/null holds no items: xargs runs its command once, with none added.
  if (file && !file.dynamic && file.text === "/dev/null") return [];
  // `<(…)` is what the substitution writes; any other file is only known at run time.
  const substituted = file?.processSub ? { ...file, processSub: false } : undefined;
  // A function or alias the line defines (`echo() { …; }; echo x | xargs rm -rf`) writes what it runs, not the builtin's.
  const written = (word: Word): string | undefined => (word.dynamic ? (runsDefined(word, ctx) ? undefined : substitutionOutput(word, false)?.text) : word.text);
  const text = file
    ? substituted && written(substituted)
    : cmd.stdinText
      ? written(cmd.stdinText)
      : fromPipe && upstream.length > 0 && !runsDefined(upstream, ctx) ? pipelineOutput(upstream, false).text : undefined;
  // xargs splits what it reads at blanks and newlines, under -I into lines, under -0 or -d only at that character.
  const words = text === undefined || delimiter === undefined ? [] : xargsItems(asUtf8(text), delimiter, lines);
  if (words.length > 0 && words.length <= MAX_XARGS_WORDS) return words.map(literalWord);
  // What the pipeline or the substitution writes, so a shell or `-c` given it sees the text (or the download) it is.
  const subs = substituted ? substituted.subs : fromPipe && upstream.length > 0 ? [{ units: [{ kind: "pipeline" as const, stages: upstream }] }] : [];
  // Items from a file may be none at all (an empty file), as an unquoted `$x` may be: `bare` says so.
  return [{ text: RUN_TIME, dynamic: true, glob: false, subs, ...(file ? { bare: true } : {}) }];
}

/**
 * A word of xargs's command under `-I R`, with each input item put wherever R stands in it, as xargs
 * does (`sh -c "rm -rf {}"`, `{}/`, `{}.bak`, not only a whole `{}`): one word per item where they
 * are known (each item runs its own command; judged together, as the items of a plain xargs are), else
 * one word whose R parts are only known at run time.
 */
function xargsReplaced(w: Word, replace: string, input: Word[]): Word[] {
  if (w.dynamic || !w.text.includes(replace)) return [w];
  if (w.text === replace) return input;
  if (input.every((item) => !item.dynamic)) return input.map((item) => literalWord(w.text.split(replace).join(item.text)));
  return [{ text: w.text.split(replace).join(RUN_TIME), dynamic: true, glob: false, subs: input.flatMap((item) => item.subs) }];
}

/**
 * The command with the names of files `find` hands on put into a shell's `-c` code as text only
 * known at run time, or undefined when no such code takes them. `find . -exec sh -c "wc -l {}" \;`
 * runs each name as shell code: a file named `$(rm -rf ~).txt` runs that, as it does behind a wrapper
 * (`-exec sudo sh -c …`, `env`, `nice`, `timeout 5`). The literal reading (`sh -c "wc -l ./…"`) is
 * judged too, for what the code does with the files.
 */
function namesInShellCode(argv: Word[], replace: string, items: Word[]): Word[] | undefined {
  // Wrappers in front of the shell (`sudo`, `env X=1`, `nice -n 5`, `timeout 5`) hand it the same code.
  let at = 0;
  for (let guard = 0; guard < 16; guard++) {
    const first = argv[at];
    const rest = first && !first.dynamic ? wrappedCommand(commandName(first.text, false), argv.slice(at + 1)) : undefined;
    if (!rest || rest.length === 0) break;
    at = argv.length - rest.length;
  }
  const shell = argv[at];
  if (!shell || shell.dynamic || !SHELLS.includes(commandName(shell.text, false))) return undefined;
  if (!items.some((item) => !item.dynamic && isFoundStandIn(item))) return undefined;
  const code = argv.findIndex((w, i) => i > at + 1 && !w.dynamic && w.text.includes(replace) && w.text !== replace && /^-[A-Za-z]*c[A-Za-z]*$/.test(argv[i - 1]?.text ?? ""));
  if (code < 0) return undefined;
  return argv.flatMap((w, i) => (i === code ? [{ text: w.text.split(replace).join(RUN_TIME), dynamic: true, glob: false, subs: [] }] : xargsReplaced(w, replace, items)));
}

/** The key files a `find` piped into xargs hands on, where its name filter picks them (see `keyFilesFound`). */
function foundKeys(upstream: readonly Cmd[]): Word | undefined {
  const find = upstream.at(-1)?.argv;
  if (!find?.[0] || find[0].dynamic || commandName(find[0].text, false) !== "find") return undefined;
  const start = findStartPaths(find.slice(1))[0];
  return start && keyFilesFound(start, find.slice(1));
}

/** More words than this in xargs's input are left as one only known at run time (judged by the worst case). */
const MAX_XARGS_WORDS = 256;

const NAME_FILTERS = ["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-newer", "-mtime", "-mmin", "-size", "-user", "-perm", "-empty"];

/**
 * Stands for the files `find` hands on. With a filter on names, dates or sizes inside the project
 * they are some files under the start path; otherwise everything under it (`find ~ … -exec rm` is `~/*`).
 */
/** Whether `w` is one of {@link foundBy}'s stand-ins, whose file names are not known. */
function isFoundStandIn(w: Word): boolean {
  return (w.glob && w.text.endsWith("/*")) || w.text.endsWith("/…");
}

function foundBy(start: Word, findArgs: Word[], paths: PathContext): Word {
  return foundUnder(start, findArgs.some((w) => NAME_FILTERS.includes(w.text)), paths);
}

/** {@link foundBy} for any finder: `filtered` when it has a filter on names, dates or sizes. */
function foundUnder(start: Word, filtered: boolean, paths: PathContext): Word {
  // A filter narrows what a finder hands on only inside the project: all *.jpg in home is still home.
  const narrowed = filtered && ["cwd", "project", "temp"].includes(classifyWord(start, paths));
  const base = start.text.endsWith("/") ? start.text : `${start.text}/`;
  return narrowed ? literalWord(`${base}…`) : { ...literalWord(`${base}*`), glob: true };
}

/** tmux's options before its command that take a value (`-L socket`, `-S path`, `-f file`). */
const TMUX_VALUE_OPTIONS = ["-L", "-S", "-f", "-T"];
/** Options of tmux's commands that start a shell command, which take a value. */
const TMUX_NEW_VALUE_OPTIONS = ["-s", "-n", "-c", "-x", "-y", "-e", "-t", "-F", "-f", "-l"];

/**
 * What tmux runs: `tmux -c 'CMD'` and the shell command of `new-session`, `new-window`,
 * `split-window` and `respawn-pane` (`new`, `neww`, `splitw`, `respawnp`; joined into one command
 * line for a shell, as tmux does), and the keys `send-keys` types into a shell (`tmux-keys.ts`:
 * `send-keys 'rm -rf ~' Enter` runs it). Commands are separated by `;` words.
 */
function tmuxCommands(args: Word[], ctx: Ctx): void {
  let rest = args;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (!w || w.dynamic || !w.text.startsWith("-") || w.text === "--") {
      rest = rest.slice(w?.text === "--" ? i + 1 : i);
      break;
    }
    if (w.text === "-c") {
      const line = rest[i + 1];
      if (line) runCommand(ctx, line, "tmux -c");
      return;
    }
    if (TMUX_VALUE_OPTIONS.includes(w.text)) i++;
    if (i === rest.length - 1) rest = [];
  }
  const commands: Word[][] = [[]];
  for (const w of rest) {
    if (!w.dynamic && (w.text === ";" || w.text === "\\;")) commands.push([]);
    else commands[commands.length - 1]?.push(w);
  }
  for (const [sub, ...words] of commands) {
    if (!sub || sub.dynamic) continue;
    if (["new-session", "new", "new-window", "neww", "split-window", "splitw", "respawn-pane", "respawnp", "respawn-window", "respawnw"].includes(sub.text)) {
      const line = skipOptions(words, TMUX_NEW_VALUE_OPTIONS);
      if (line.length > 0) runCommand(ctx, line.length === 1 && line[0] ? line[0] : joinedWord(line), `tmux ${sub.text}`);
    } else if (sub.text === "send-keys" || sub.text === "send") {
      // The lines typed and ended run in the pane's shell; what is left waits at its prompt.
      const keys = tmuxKeys(words);
      for (const line of keys.runs) runCommand(ctx, line, "tmux send-keys");
      if (keys.typed) typedCommand(ctx, keys.typed, "tmux send-keys");
    }
  }
}

/** Words joined into one, as a program that joins its arguments with `separator` sees them. */
function joinedWord(words: Word[], separator = " "): Word {
  const text = literalText(words, separator);
  return text !== undefined ? literalWord(text) : { text: RUN_TIME, dynamic: true, glob: false, subs: words.flatMap((w) => w.subs) };
}

/** How many words hyperfine's options take: one, or more (`-P NAME MIN MAX`, `-L NAME LIST`). */
const HYPERFINE_VALUE_COUNTS = new Map([
  ...["-w", "--warmup", "-m", "--min-runs", "-M", "--max-runs", "-r", "--runs", "-D", "--parameter-step-size", "-S", "--shell", "--style", "--sort", "-u", "--time-unit", "--export-asciidoc", "--export-csv", "--export-json", "--export-markdown", "--export-orgmode", "--output", "--input", "-n", "--command-name"].map((o) => [o, 1] as const),
  ["-P", 3], ["--parameter-scan", 3], ["-L", 2], ["--parameter-list", 2],
]);
const HYPERFINE_COMMAND_OPTIONS = ["-p", "--prepare", "-s", "--setup", "-c", "--cleanup", "-C", "--conclude", "--reference"];
/** The letters of hyperfine's short options that take a value (`-p CMD`, `-pCMD`, `-w3`). */
const HYPERFINE_SHORT_VALUES = shortLetters([...HYPERFINE_VALUE_COUNTS.keys(), ...HYPERFINE_COMMAND_OPTIONS]);

/**
 * The command lines hyperfine runs: its --prepare/--setup/--cleanup/--conclude/--reference values
 * (first, as setup and prepare run before the commands benchmarked), then its operands. Its options
 * are read as clap reads them: a short one's value may be attached (`-p'rm x'`, `-w3`), after flags (`-ip CMD`).
 */
function hyperfineCommands(args: Word[]): Word[] {
  const lines: Word[] = [];
  const operands = walkOptions(args, (text, next) => {
    const [option, joined] = splitClap(text, HYPERFINE_SHORT_VALUES);
    if (HYPERFINE_COMMAND_OPTIONS.includes(option)) {
      const line = joined !== undefined ? literalWord(joined) : next;
      if (line) lines.push(line);
      return joined === undefined;
    }
    return joined === undefined ? (HYPERFINE_VALUE_COUNTS.get(option) ?? 0) : 0;
  });
  return [...lines, ...operands];
}

/** watchexec's options that take a value (`-e js`, `--watch src`); the command follows them, or `--`. */
const WATCHEXEC_VALUE_OPTIONS = [
  "-w", "--watch", "-W", "--watch-non-recursive", "-F", "--watch-file", "-o", "--on-busy-update", "-s", "--signal", "--stop-signal",
  "--stop-timeout", "--map-signal", "-d", "--debounce", "--project-origin", "--workdir", "-e", "--exts", "-f", "--filter",
  "--filter-file", "-j", "--filter-prog", "-i", "--ignore", "--ignore-file", "--fs-events", "--delay-run", "--shell",
  "--emit-events-to", "-E", "--env", "--wrap-process", "--color",
];

/** fd's options that take a value (`-e tmp`, `--max-depth 2`). */
const FD_VALUE_OPTIONS = new Set([
  "-e", "--extension", "-E", "--exclude", "-t", "--type", "-d", "--max-depth", "--maxdepth", "--min-depth", "--exact-depth",
  "-S", "--size", "--changed-within", "--change-newer-than", "--newer", "--changed-before", "--change-older-than", "--older",
  "-o", "--owner", "-j", "--threads", "--max-results", "-C", "--base-directory", "--search-path", "-c", "--color",
  "--ignore-file", "--path-separator", "--batch-size", "--max-buffer-time", "--format", "--and",
]);
/** fd's options that name the folders searched (`-C`/`--base-directory`: the folder it works in). */
const FD_ROOT_OPTIONS = ["--search-path", "--base-directory", "-C"];
const FD_EXEC_OPTIONS = ["-x", "--exec", "-X", "--exec-batch"];
/** The letters of fd's short options that take a value, -x and -X among them (`-tf`, `-Ht f`, `-Hx CMD`). */
const FD_SHORT_VALUES = shortLetters([...FD_VALUE_OPTIONS, ...FD_EXEC_OPTIONS]);
/** fd's options that narrow what it finds by name, date, size or owner. */
const FD_FILTERS = new Set(["-e", "--extension", "-S", "--size", "--changed-within", "--change-newer-than", "--newer", "--changed-before", "--change-older-than", "--older", "-o", "--owner", "--and"]);

/**
 * `fd [PATTERN] [PATH…] -x CMD` (`--exec`; `-X`/`--exec-batch` hands all at once) runs CMD on each
 * file found, as `find PATH -exec CMD {} \;` does: `{}`, `{/}`, `{//}`, `{.}` and `{/.}` stand for
 * the file (its name, folder, or name without extension), and with none of them the files come last.
 */
function runFd(args: Word[], ctx: Ctx): void {
  // Options are read as clap reads them: flags may be grouped, and the first letter that takes a
  // value takes the rest of the word (`-tf`, `-t=f`, `-xrm`) or the next word (`-Ht f`, `-Hx rm`).
  const end = args.findIndex((w) => !w.dynamic && w.text === "--");
  // A command only known at run time may be attached (`--exec="$C"`, `-x"$C"`): the option's name is not.
  const execOption = (w: Word): boolean => {
    const [option] = splitClap(w.text, FD_SHORT_VALUES);
    return w.text.startsWith("-") && !option.includes(RUN_TIME) && FD_EXEC_OPTIONS.includes(option);
  };
  const x = args.findIndex((w, i) => (end < 0 || i < end) && execOption(w));
  const exec = args[x];
  if (!exec) return;
  const attached = splitClap(exec.text, FD_SHORT_VALUES)[1];
  let own = args.slice(0, x);
  let inner = args.slice(x + 1);
  if (attached !== undefined) {
    // clap gives an attached value alone: `-xrm . ~` runs rm, and `. ~` are fd's again.
    own = [...own, ...inner];
    inner = [exec.dynamic ? { ...exec, text: attached } : literalWord(attached)];
  }
  const stop = inner.findIndex((w) => !w.dynamic && w.text === ";");
  if (stop >= 0) {
    // `;` ends the command: the words after it are fd's pattern and folders again (`fd -x rm \; . ~`).
    own = [...own, ...inner.slice(stop + 1)];
    inner = inner.slice(0, stop);
  }
  if (inner.length === 0) return;
  const roots: Word[] = [];
  let filtered = false;
  const positional = walkOptions(
    own,
    (text, next, word) => {
      const [option, joined] = splitClap(text, FD_SHORT_VALUES);
      if (FD_FILTERS.has(option)) filtered = true;
      // A root after `=` (`--search-path=/etc`, `--search-path="$HOME"`) is a root as the next word is.
      const root = joined === undefined ? next : word.dynamic ? { ...word, text: joined } : literalWord(joined);
      if (root && FD_ROOT_OPTIONS.includes(option)) roots.push(root);
      return FD_VALUE_OPTIONS.has(option) && joined === undefined;
    },
    { runTimeValues: true },
  );
  const pattern = positional[0];
  if (pattern && (pattern.dynamic || ![".", "", "^"].includes(pattern.text))) filtered = true;
  roots.push(...positional.slice(1));
  if (roots.length === 0) roots.push(literalWord("."));
  const placeholder = /\{\/?\/?\.?\}/g;
  const marked = inner.map((w) => (w.dynamic ? w : { ...w, text: w.text.replace(placeholder, "{}") }));
  const takes = marked.some((w) => !w.dynamic && w.text.includes("{}"));
  const command = takes ? marked : [...marked, literalWord("{}")];
  for (const root of roots) {
    const found = root.dynamic ? root : foundUnder(root, filtered, ctx.paths);
    const placed = command.flatMap((a) => xargsReplaced(a, "{}", [found]));
    runArgv(placed, { kind: "cmd", argv: placed, redirects: [] }, [], ctx);
    const hidden = namesInShellCode(command, "{}", [found]);
    if (hidden) runArgv(hidden, { kind: "cmd", argv: hidden, redirects: [] }, [], ctx);
  }
}

function runFind(args: Word[], ctx: Ctx): void {
  const starts = findStartPaths(args);
  applyRules({ name: "find", args, powershell: false, pathOperands: starts }, ctx);
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || !["-exec", "-execdir", "-ok", "-okdir"].includes(w.text)) continue;
    const inner: Word[] = [];
    let j = i + 1;
    for (; j < args.length; j++) {
      const a = args[j];
      if (!a || a.text === ";" || a.text === "+") break;
      inner.push(a);
    }
    i = j;
    for (const start of starts) {
      // GNU find puts each file wherever `{}` stands in an argument, as xargs -I does.
      const found = start.dynamic ? start : foundBy(start, args, ctx.paths);
      const placed = inner.flatMap((a) => xargsReplaced(a, "{}", [found]));
      runArgv(placed, { kind: "cmd", argv: placed, redirects: [] }, [], ctx);
      const hidden = namesInShellCode(inner, "{}", [found]);
      if (hidden) runArgv(hidden, { kind: "cmd", argv: hidden, redirects: [] }, [], ctx);
      // `-name '*.key'`: where the command sends the key files found.
      const keys = keyFilesFound(start, args);
      if (keys) judgeFoundKeys(inner.flatMap((a) => xargsReplaced(a, "{}", [keys])), keys, ctx);
    }
  }
}

/** `Get-ChildItem PATH -Recurse | Remove-Item`: the items come from the pipeline. */
function removeFromPipeline(args: Word[], upstream: Cmd[], ctx: Ctx): void {
  const own = splitBundles(args);
  const previous = upstream[upstream.length - 1];
  const source = previous?.argv[0];
  if (operands({ name: "remove-item", args: own, powershell: true }).length > 0 || !previous) {
    applyRules({ name: "remove-item", args: own, powershell: true }, ctx);
    return;
  }
  const cmdlet = source && !source.dynamic ? commandName(source.text, true) : undefined;
  if (cmdlet !== "get-childitem") {
    // Get-Item gives the items it names themselves (`Get-Item ~ | Remove-Item -Recurse` removes the
    // home folder); any other stage (a list's lines, a filter) items only known at run time.
    const named = cmdlet === "get-item" ? operands({ name: "get-item", args: previous.argv.slice(1), powershell: true }) : [];
    const unknown: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [] };
    applyRules({ name: "remove-item", args: own, powershell: true, pathOperands: named.length > 0 ? named : [unknown] }, ctx);
    return;
  }
  const upstreamArgs = previous.argv.slice(1);
  const paths = operands({ name: "get-childitem", args: upstreamArgs, powershell: true });
  const recurse = upstreamArgs.filter((w) => w.param && "-recurse".startsWith(w.text.toLowerCase()) && w.text.length > 1);
  applyRules({ name: "remove-item", args: [...own, ...recurse], powershell: true, pathOperands: paths.length > 0 ? paths : [literalWord(".")] }, ctx);
}

/** Rules by command name, so an invocation is checked only against rules that can match it. */
const RULES_BY_NAME = new Map<string, Rule[]>();
const PREFIX_RULES: Rule[] = [];
for (const rule of RULES) {
  for (const name of rule.commands) RULES_BY_NAME.set(name, [...(RULES_BY_NAME.get(name) ?? []), rule]);
  if (rule.prefixes) PREFIX_RULES.push(rule);
}

function applyRules(unmarked: Invocation, ctx: Ctx): void {
  const candidates = RULES_BY_NAME.get(unmarked.name) ?? [];
  const prefixed = PREFIX_RULES.filter((r) => !candidates.includes(r) && r.prefixes?.some((p) => unmarked.name.startsWith(p)));
  // A bare word that holds no path (`chown -R $(whoami) ~/.npm`, `$USER`) is marked for `targets.leading`.
  const assigned = ctx.assigned ?? ((): undefined => undefined);
  const redefined = { has: (name: string): boolean => ctx.functions.has(name) || ctx.aliases.has(name) };
  const inv = unmarked.powershell ? unmarked : { ...unmarked, args: unmarked.args.map((w) => withNoPath(w, assigned, redefined)) };
  for (const rule of [...candidates, ...prefixed]) {
    const finding = matchRule(rule, inv, ctx.paths);
    if (finding) ctx.findings.push(finding);
  }
  const install = pipInstallSource(inv);
  if (install) ctx.findings.push(install);
}

/** Commands whose arguments or input are themselves code. Returns true when fully handled. */
function special(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): boolean {
  const powershell = ctx.shell === "powershell";
  if (runToolCommands(name, args, cmd, upstream, ctx)) return true;
  if (name === "eval" && !powershell) {
    const code = codeOf(args, ctx);
    if (code.text !== undefined) {
      if (code.decoded) hidden(ctx);
      const text = code.text;
      withAssignments(cmd, ctx, () => nestedHere(ctx, text));
      return true;
    }
    if (args.some((w) => wordDownloads(w, powershell))) downloadRce(ctx, "eval");
    else unresolved(ctx, code.decoded ? "eval runs decoded text that wren cannot decode" : "eval runs a string only known at run time");
    forgetValues(ctx.vars, ctx.maybe);
    // The text may also change to a directory only known at run time: the rest of the line is judged there too.
    if (!ctx.reading && ctx.elsewhere?.owner === ctx) ctx.elsewhere.states.push({ ...forkContext(ctx), paths: changeDir("cd", [UNKNOWN_DIR], ctx.paths, [], false), reading: true });
    return true;
  }
  if (DATABASE_CLIENTS[name]) {
    runDatabaseClient(name, args, cmd, upstream, ctx);
    return false;
  }
  if (name === "invoke-expression") {
    const values = args.filter((w) => !w.param);
    if (values.length === 0) {
      checkStdin("Invoke-Expression", cmd, upstream, ctx, (t) => nested(ctx, t, "powershell"));
    } else if (values.some((w) => wordDownloads(w, true))) {
      downloadRce(ctx, "Invoke-Expression");
    } else {
      // As eval: literal text, or what a lone `(…)` or `$(…)` writes (`iex (Write-Output '…')`).
      const code = codeOf(values, ctx);
      if (code.text !== undefined) {
        if (code.decoded) hidden(ctx);
        nested(ctx, code.text, "powershell");
      } else unresolved(ctx, code.decoded ? "Invoke-Expression runs decoded text that wren cannot decode" : "Invoke-Expression runs a string only known at run time");
    }
    return true;
  }
  if (name === "source" || name === ".") {
    const file = args[0];
    const cloned = inClone(file, ctx.downloaded, ctx.paths);
    if (file && (wordDownloads(file, powershell) || wasDownloaded(file, ctx.downloaded, ctx.paths.cwd))) downloadRce(ctx, name);
    else if (file && cloned) ctx.findings.push(clonedRun(`${file.text} with ${name}`, cloned));
    else if (file && !file.processSub && runsWritten(file, ctx, { operand: true, shell: ctx.shell })) return true;
    else if (file?.processSub) {
      // `source <(kubectl completion bash)` is everyday; only text wren can work out is read.
      const produced = codeOf([{ ...file, processSub: false }], ctx);
      if (produced.decoded) hidden(ctx);
      if (produced.text !== undefined) {
        nestedHere(ctx, produced.text);
        return true;
      }
    } else if (file?.dynamic && !(isStdinPath(file) && stdinFed(cmd, upstream))) unresolved(ctx, `${name} reads a script whose name is only known at run time`);
    else if (!file || isStdinPath(file)) checkStdin(name, cmd, upstream, ctx, (t) => nested(ctx, t, ctx.shell === "fish" ? "fish" : ctx.shell));
    // The script may set any variable: what the line knew of them may no longer hold.
    forgetValues(ctx.vars, ctx.maybe);
    return true;
  }
  if (POSIX_SHELLS.has(name)) {
    runShell(name, args, cmd, upstream, ctx);
    return true;
  }
  if (name === "pwsh" || name === "powershell" || name === "powershell.exe" || name === "pwsh.exe") {
    runPowerShell(name, args, cmd, upstream, ctx);
    return true;
  }
  if ((name === "cmd" || name === "cmd.exe") && args.some((w) => /^\/[ck]$/i.test(w.text))) {
    // `cmd /c LINE`: the line is read as the PowerShell that does the same (`rd /s` is `Remove-Item -Recurse`).
    const line = args.slice(args.findIndex((w) => /^\/[ck]$/i.test(w.text)) + 1);
    const text = literalText(line);
    if (text === undefined) unresolved(ctx, "runs a cmd.exe command line only known at run time");
    else nested(ctx, cmdLineAsPowerShell(text, ctx.paths), "powershell", true);
    return true;
  }
  if (runInContainer(name, args, ctx)) return true;
  if (name === "chpasswd" && !powershell) {
    // `echo 'root:pw' | chpasswd`: root's password set to one written in the command line.
    checkStdin(name, cmd, upstream, ctx, (text) => {
      if (/^(root|admin|administrator):/m.test(text)) ctx.findings.push({ category: "privilege escalation", risk: "critical", detail: "sets root's password to one written in the command" });
    });
    return false;
  }
  if (name === "nodemon" && !powershell) {
    // `nodemon --exec "CMD"` (`-x`) runs CMD through a shell on every change (and once at start).
    const at = args.findIndex((w) => !w.dynamic && (w.text === "--exec" || w.text === "-x"));
    const script = at >= 0 ? args[at + 1] : undefined;
    if (script) runCommand(ctx, script, "nodemon --exec");
    return true;
  }
  if ((name === "ssh" || name === "watch" || name === "entr" || name === "watchexec") && !powershell) {
    // ssh joins its remaining words into a command line for the remote shell; watch for sh -c, and
    // watchexec too (a shell by default); entr runs its utility (a shell command line under -s)
    // once the files it watches change.
    const valueOptions = name === "ssh" ? SSH_VALUE_OPTIONS : name === "watchexec" ? WATCHEXEC_VALUE_OPTIONS : name === "entr" ? [] : ["-n", "--interval", "-d", "--differences", "-q", "--equexit"];
    let rest = skipOptions(args, valueOptions);
    if (name === "ssh") {
      applyRules({ name, args, powershell, fed: contentsFed(args, cmd, upstream) }, ctx);
      rest = rest.slice(1);
    }
    if (rest.length === 0) return true;
    runCommand(ctx, joinedWord(rest), name);
    return true;
  }
  if ((name === "alias" || name === "trap") && !powershell) {
    // An alias body and a trap handler are code that runs later in the same shell.
    const bodies = name === "alias" ? aliasBodies(args, ctx) : args.slice(0, 1).filter((w) => !isOpt(w, false));
    for (const body of bodies) {
      if (body.dynamic) unresolved(ctx, `${name} defines code only known at run time`);
      else nested(ctx, body.text, ctx.shell);
    }
    return true;
  }
  if (powershell && (name === "set-alias" || name === "new-alias")) {
    // `Set-Alias x Remove-Item`, `New-Alias -Name x -Value iex`: later `x …` runs that command.
    const value = (param: string): Word | undefined => {
      const i = args.findIndex((w) => w.param && w.text.length > 2 && param.startsWith(w.text.toLowerCase()));
      return i >= 0 ? args[i + 1] : undefined;
    };
    const positional = args.filter((w, i) => !w.param && !(i > 0 && args[i - 1]?.param));
    const aliasName = value("-name") ?? positional[0];
    const target = value("-value") ?? positional[value("-name") ? 0 : 1];
    if (aliasName && !aliasName.dynamic && target) {
      if (target.dynamic) unresolved(ctx, `${name} names a command only known at run time`);
      else ctx.aliases.set(aliasName.text.toLowerCase(), target.text);
    }
    return true;
  }
  if ((name === "at" || name === "batch") && !powershell) {
    ctx.findings.push({ category: "system configuration", risk: "moderate", detail: `schedules a command with ${name}` });
    checkStdin(name, cmd, upstream, ctx, (t) => nested(ctx, t, "sh"));
    return true;
  }
  if (name === "start-process") {
    applyRules({ name, args, powershell }, ctx);
    // Start-Process FILE -ArgumentList ARGS runs `FILE ARGS`: analyse that command line.
    const valueAfter = (param: string): Word[] => {
      const i = args.findIndex((w) => w.param && w.text.length > 2 && param.startsWith(w.text.toLowerCase()));
      if (i < 0) return [];
      const out: Word[] = [];
      for (const w of args.slice(i + 1)) {
        if (w.param) break;
        out.push(w);
      }
      return out;
    };
    const file = valueAfter("-filepath")[0] ?? args.find((w, i) => !w.param && !(i > 0 && args[i - 1]?.param));
    if (!file) return true;
    // Start-Process looks for a file named without a path in the current folder, as cmd.exe does.
    if (opensDownloaded(file, ctx.downloaded, ctx.paths.cwd)) {
      ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `starts ${file.text}, which this command line downloads` });
      return true;
    }
    if (runsWritten(file, ctx, { bare: true })) return true;
    const rest = [...valueAfter("-argumentlist"), ...valueAfter("-args")];
    const text = literalText([file, ...rest]);
    if (text === undefined) unresolved(ctx, "Start-Process starts a program only known at run time");
    else nested(ctx, `& '${file.text.replace(/'/g, "''")}' ${literalText(rest) ?? ""}`, "powershell");
    return true;
  }
  if (name === "invoke-item" && powershell) {
    // Invoke-Item opens each file with its default action: a batch file or program runs.
    applyRules({ name, args, powershell }, ctx);
    const opened = args.filter((w, i) => !w.param && !(i > 0 && args[i - 1]?.param && !/^-(literal)?path$/i.test(args[i - 1]?.text ?? "")));
    for (const file of opened) {
      if (opensDownloaded(file, ctx.downloaded, ctx.paths.cwd)) ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `opens ${file.text}, which this command line downloads` });
    }
    return true;
  }
  if (name === "tmux" && !powershell) {
    tmuxCommands(args, ctx);
    return true;
  }
  if (name === "hyperfine" && !powershell) {
    // Each operand is a command line hyperfine runs through a shell, many times, as are its
    // --prepare, --setup, --cleanup and --conclude values.
    for (const line of hyperfineCommands(args)) runCommand(ctx, line, "hyperfine");
    return true;
  }
  if ((name === "sg" || name === "script") && !powershell) {
    // `sg GROUP 'CMD'` (or `sg GROUP -c 'CMD'`) and `script -c 'CMD' FILE` (`-qc 'CMD'`) run CMD in a shell.
    const c = args.findIndex((w) => w.text === "-c" || w.text === "--command" || (name === "script" && !w.dynamic && /^-[aefqkw]+c$/.test(w.text)));
    const script = c >= 0 ? args[c + 1] : name === "sg" ? args.filter((w) => !isOpt(w, false))[1] : undefined;
    if (script) {
      if (script.dynamic) unresolved(ctx, `${name} runs a command line only known at run time`);
      else nested(ctx, script.text, "sh");
    }
    return true;
  }
  if (name === "su") {
    applyRules({ name, args, powershell }, ctx);
    const i = args.findIndex((w) => w.text === "-c" || w.text === "--command");
    const script = i >= 0 ? args[i + 1] : undefined;
    if (script) {
      if (script.dynamic) unresolved(ctx, "su -c runs a command line only known at run time");
      else {
        // A child shell: it sees what was exported, and a login one (`su -`, `-l`) only TERM of that.
        const login = args.slice(0, i).some((w) => !w.dynamic && (w.text === "-" || w.text === "-l" || w.text === "--login"));
        nested(childContext(login ? { ...cmd, envKept: SU_LOGIN } : cmd, ctx), script.text, "sh");
      }
    }
    return true;
  }
  if (INTERPRETERS.has(name) || inlineLanguage(name)) {
    runInterpreter(name, args, cmd, upstream, ctx);
    return false;
  }
  return false;
}

/**
 * What `alias` defines: `NAME=BODY` words, or fish's `alias NAME BODY`. Literal bodies are
 * remembered, so a later `NAME …` runs the body with its arguments.
 */
function aliasBodies(args: Word[], ctx: Ctx): Word[] {
  const operands = args.filter((w) => !isOpt(w, false));
  if (ctx.shell === "fish" && operands.length >= 2 && !operands[0]?.text.includes("=")) {
    const [aliasName, ...rest] = operands;
    const text = literalText(rest);
    const body: Word = text === undefined ? { text: RUN_TIME, dynamic: true, glob: false, subs: rest.flatMap((w) => w.subs) } : literalWord(text);
    if (aliasName && !aliasName.dynamic && !body.dynamic) ctx.aliases.set(aliasName.text, body.text);
    return [body];
  }
  const bodies = args.filter((w) => w.dynamic || w.text.includes("="));
  return bodies.map((w) => {
    const body = { ...w, text: w.text.slice(w.text.indexOf("=") + 1) };
    const aliasName = w.text.slice(0, w.text.indexOf("="));
    if (!w.dynamic && aliasName.length > 0) ctx.aliases.set(aliasName, body.text);
    return body;
  });
}

/** powershell's and pwsh's options that take a value (`-ExecutionPolicy Bypass`), by lowercase name, abbreviated or not. */
const POWERSHELL_VALUE_OPTIONS: ReadonlySet<string> = new Set(["executionpolicy", "ep", "ex", "exec", "windowstyle", "w", "win", "configurationname", "config", "workingdirectory", "wd", "wo", "version", "v", "outputformat", "o", "of", "inputformat", "if", "in", "psconsolefile", "settingsfile", "settings", "custompipename"]);

function runPowerShell(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): void {
  const flag = (w: Word): string => (w.dynamic ? "" : w.text.replace(/^[-/]+/, "").toLowerCase());
  // With no command or script named (or `-Command -`), PowerShell runs what standard input carries:
  // a file or socket by `<` (`pwsh < /dev/tcp/…` is a reverse shell, as `bash < /dev/tcp/…` is), or a pipe.
  const fromStdin = (): void =>
    runRedirectedScript(name, cmd, upstream, ctx, (f) => {
      if (wordDownloads(f, ctx.shell === "powershell") || wasDownloaded(f, ctx.downloaded, ctx.paths.cwd)) downloadRce(ctx, name);
    }, (t) => nested(ctx, t, "powershell"));
  const enc = args.findIndex((w) => /^-/.test(w.text) && ["e", "ec", "en", "enc", "encodedcommand", "encoded"].includes(flag(w)));
  if (enc >= 0) {
    const value = args[enc + 1];
    ctx.findings.push({ category: "remote code execution", risk: "moderate", detail: "hides its command in base64 (-EncodedCommand)" });
    if (!value || value.dynamic) unresolved(ctx, "runs an encoded command only known at run time");
    else nested(ctx, Buffer.from(value.text, "base64").toString("utf16le"), "powershell");
    return;
  }
  const command = args.findIndex((w) => /^-/.test(w.text) && ["c", "command"].includes(flag(w)));
  if (command >= 0) {
    const rest = args.slice(command + 1);
    if (rest.some((w) => wordDownloads(w, true))) downloadRce(ctx, name);
    else {
      const text = literalText(rest);
      if (text === undefined) unresolved(ctx, `${name} -Command runs a command line only known at run time`);
      else if (text === "-") fromStdin();
      else nested(ctx, text, "powershell");
    }
    return;
  }
  const file = args.findIndex((w) => /^-/.test(w.text) && ["f", "file"].includes(flag(w)));
  // `-File SCRIPT`, or a first word that is no option: pwsh runs it as the script, Windows
  // PowerShell as the command `SCRIPT`; either way the script runs.
  const script = file >= 0 ? args[file + 1] : args.find((w, i) => !/^-/.test(w.text) && !(i > 0 && POWERSHELL_VALUE_OPTIONS.has(flag(args[i - 1] as Word))));
  const cloned = script && !isStdinPath(script) ? inClone(script, ctx.downloaded, ctx.paths) : undefined;
  if (script && !isStdinPath(script) && opensDownloaded(script, ctx.downloaded, ctx.paths.cwd)) {
    ctx.findings.push({ category: "remote code execution", risk: "critical", detail: `runs ${script.text} with ${name}, which this command line downloads` });
  } else if (script && cloned) ctx.findings.push(clonedRun(`${script.text} with ${name}`, cloned));
  else if (script && !isStdinPath(script)) runsWritten(script, ctx, { bare: true, shell: "powershell" });
  if (file < 0 || isStdinPath(args[file + 1])) fromStdin();
}
