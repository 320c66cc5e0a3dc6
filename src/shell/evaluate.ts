import type { Cmd, EnvKept, Script, Word } from "./ir.js";
import { RUN_TIME, feedInput, fedPipeline, literalWord, readsStdin } from "./ir.js";
import { envArguments } from "./env-split-string.js";
import { longOption } from "./long-options.js";
import { RUNUSER_OPTIONS, SUDO_OPTIONS } from "./wrapper-options.js";
import { DATABASE_CLIENTS } from "./database-clients.js";
import { asUtf8, pipelineOutput, substitutionOutput } from "./decode.js";
import { catastrophicOperands, codeOf, downloadRce, forkContext, hidden, isOpt, literalText, runsDefined, skipOptions, unresolved, wrappedCommand, type Ctx, type ScriptParser } from "./evaluate-context.js";
import { checkStdin, isStdinPath, runDatabaseClient, stdinFed } from "./evaluate-input.js";
import { inlineLanguage } from "./inline-code.js";
import { fishSet, forgetValues, readingCount, readWord, readWords, resolveWord, temporaryPath, TEMPORARY } from "./variables.js";
import { fishLocals } from "./fish-parser.js";
import { CD_COMMANDS, changeDir, followDir, startDir } from "./workdir.js";
import { cmdLineAsPowerShell } from "./cmd-line.js";
import { runInContainer } from "./container-runs.js";
import { runToolCommands } from "./tool-commands.js";
import { runCommand, typedCommand } from "./option-command.js";
import { childContext, runRedirectedScript, runShell, wrapperEnvironment } from "./run-shell.js";
import { runInterpreter } from "./run-interpreter.js";
import { recordWrites, runsWritten } from "./written-files.js";
import { newItemPaths, recordCommandWrites } from "./command-writes.js";
import { before } from "./written-content.js";
import { followLinks, linkedPath } from "./written-links.js";
import { stdinScripts } from "./stdin-scripts.js";
import { dnsLookups } from "./dns-lookups.js";
import { differ, mergeMaybe } from "./maybe-run.js";
import { changedKeys, forkMap, SharedMap, SharedSet } from "./shared-map.js";
import { xargsOptions, xargsReplace } from "./xargs-items.js";
import { inStartupFolder, STARTUP_FINDING } from "./persistence.js";
import { screenStuff } from "./screen-stuff.js";
import { argumentWrites, cmdletWrites, judgeWrite } from "./path-writes.js";
import { matchRule, operands, type Invocation } from "./match-rule.js";
import { pipInstallSource } from "./package-installs.js";
import { providerPaths, type PathContext } from "./paths.js";
import { contentsFed, valueSource, writesCredentials } from "./data-flow.js";
import { judgeFoundKeys, recordCredentialCopies, recordCredentialRedirects } from "./credential-files.js";
import { assignedWhenAsked } from "./line-assignments.js";
import { withNoPath } from "./own-values.js";
import { clonedRun, inClone, makesInClone, recordClone, recordUnpacked } from "./clones.js";
import { cmdletContentsFed } from "./cmdlet-contents.js";
import { tarKeyAsOptions } from "./archive-files.js";
import { httpieItemPaths } from "./httpie-items.js";
import { cmdRunsDownloaded, commandName, mayBeModuleQualified, NATIVE_UNDER_ALIAS, opensDownloaded, recordDownload, resolved, scriptDownloads, wasDownloaded, wordDownloads } from "./downloads.js";
import { judgeAssigned, judgeEnvironment, judgeSetter } from "./env-injection.js";
import { HISTORY_OFF, historyOff, INTERPRETERS, POSIX_SHELLS, RULES, WRAPPERS, type Rule } from "./rules.js";
import type { Finding, ShellKind } from "./types.js";
import { definedFunctions, movesDir, namesIn, spawnsItself } from "./script-names.js";
import { foundKeys, namesInShellCode, xargsInput, xargsReplaced } from "./xargs-input.js";
import { hyperfineCommands, joinedWord, tmuxCommands, WATCHEXEC_VALUE_OPTIONS } from "./runner-commands.js";
import { runFd, runFind } from "./find-runs.js";
import { hereHome, MAX_DEPTH, nested, nestedHere, readAliases } from "./nested-text.js";
import { heldBy, HOLDS_NOTHING, oneWordOutputs, psHeldSource, secretName, withVariables } from "./filled-words.js";
import { callWrites, FED_CALL_UNITS, writtenText } from "./known-output.js";
import { assignsUnknown, declares } from "./builtin-assignments.js";

export type { ScriptParser };

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

/** What a login shell of su (`su -`, `su -l`) keeps of the environment: TERM alone (util-linux su). */
const SU_LOGIN: EnvKept = { names: new Set(["TERM"]), capitals: false };

/** Evaluates a parsed script against the rule table and returns every finding. */
export function evaluateScript(script: Script, shell: ShellKind, paths: PathContext, parse: ScriptParser, cmdLine = false): Finding[] {
  const ops = { nested, runArgv, applyRules, checkRedirect, evalScript };
  const named = namesIn(script, shell === "powershell");
  const ctx: Ctx = { ...(cmdLine ? { cmdLine } : {}), shell, paths, parse, depth: 0, findings: [], downloaded: new SharedSet(), written: new SharedMap(), links: new SharedMap(), vars: new SharedMap(movesDir(shell, named) ? startDir(paths) : []), maybe: new SharedMap(), fetched: new SharedMap(), credentialFiles: new SharedMap(), exported: { names: new SharedSet(), all: false }, aliases: new SharedMap(), lineAliases: readAliases(shell, new Map()), functions: new SharedSet(definedFunctions(script, shell === "powershell")), defined: new SharedSet(), bodies: new SharedMap(), calls: { feeding: new Set(), units: 0 }, dirs: [], scopes: [], branches: [], ops, named, assigned: assignedWhenAsked(script) };
  evalScript(script, ctx, true);
  return ctx.findings;
}

/** `line`: the script is the line itself, whose rest can be judged in another state (see the `maybe` case). */
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
        // A fish block that runs eval text: what that text makes local with `set -l` is the block's too (see `special`).
        if (unit.edge === "start") ctx.scopes.push({ paths: ctx.paths, vars: forkMap(ctx.vars), maybe: forkMap(ctx.maybe), dirs: [...ctx.dirs], ...(unit.evalLocals ? { locals: new Set<string>() } : {}) });
        else {
          const saved = ctx.scopes.pop();
          if (saved && unit.names) {
            for (const name of [...unit.names, ...(saved.locals ?? [])]) {
              if (unit.ifUnset && (saved.vars.has(name) || saved.maybe.has(name))) continue;
              const value = saved.vars.get(name);
              const maybe = saved.maybe.get(name);
              if (value === undefined) ctx.vars.delete(name);
              else ctx.vars.set(name, value);
              if (maybe === undefined) ctx.maybe.delete(name);
              else ctx.maybe.set(name, maybe);
            }
          } else if (saved) {
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
      if (ctx.shell === "sh") {
        // A HOME the text unset (`HOME=/ eval 'unset HOME'`) leaves `~` the user database's home,
        // as the line read it before eval: read so, as one made empty is.
        if (name === "HOME" && state.vars.get(name) === "") state.vars.set(name, ctx.paths.home);
        continue;
      }
      if (value === undefined) state.vars.delete(name);
      else state.vars.set(name, value);
      if (maybe === undefined) state.maybe.delete(name);
      else state.maybe.set(name, maybe);
    }
  }
}

/**
 * Reads the script `source` or `.` runs, where wren can work it out; true where it was read as the
 * shell's own text (`source <(…)`) or as a script the line wrote. The line's shell runs it: `~` and
 * `$HOME` there are HOME as the line holds it, as in eval's text (see `hereHome`).
 */
function runSourced(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): boolean {
  const powershell = ctx.shell === "powershell";
  const file = args[0];
  const cloned = inClone(file, ctx.downloaded, ctx.paths);
  const here: Ctx = powershell ? ctx : { ...ctx, homeFromVars: hereHome(ctx) };
  if (file && (wordDownloads(file, powershell) || wasDownloaded(file, ctx.downloaded, ctx.paths.cwd))) downloadRce(ctx, name);
  else if (file && cloned) ctx.findings.push(clonedRun(`${file.text} with ${name}`, cloned));
  else if (file && !file.processSub && runsWritten(file, here, { operand: true, shell: ctx.shell, here: true })) {
    // The directory the script leaves holds too (`echo 'cd /' > x.sh; . ./x.sh; rm -rf *`).
    ctx.paths = here.paths;
    ctx.dirs = here.dirs;
    return true;
  }
  else if (file?.processSub) {
    // `source <(kubectl completion bash)` is everyday; only text wren can work out is read.
    const produced = codeOf([{ ...file, processSub: false }], ctx);
    if (produced.decoded) hidden(ctx);
    if (produced.text !== undefined) {
      nestedHere(ctx, produced.text);
      return true;
    }
  } else if (file?.dynamic && !(isStdinPath(file) && stdinFed(cmd, upstream))) unresolved(ctx, `${name} reads a script whose name is only known at run time`);
  else if (!file || isStdinPath(file)) checkStdin(name, cmd, upstream, ctx, (t) => nested(here, t, ctx.shell));
  return false;
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
  openedDescriptors(cmd, ctx);
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
 * `exec 3< <(curl …)`, `bash /dev/fd/3 3< <(curl …)`: the command, and after `exec` the line's later
 * commands, read that download through the descriptor (`bash <&3`, `bash /dev/fd/4`), so /dev/fd/N
 * counts as downloaded (for the rest of the line, which errs on the side of caution).
 */
function openedDescriptors(cmd: Cmd, ctx: Ctx): void {
  if (ctx.shell === "powershell") return;
  for (const r of cmd.redirects) {
    if ((r.op !== "<" && r.op !== "<>") || r.fd === undefined || r.fd < 3) continue;
    if (wordDownloads(r.target, false) || wasDownloaded(r.target, ctx.downloaded, ctx.paths.cwd)) ctx.downloaded.add(`/dev/fd/${r.fd}`);
  }
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

function checkRedirect(op: string, target: Word, ctx: Ctx): void {
  const finding = judgeWrite(op, target, ctx.paths);
  if (finding) ctx.findings.push(finding);
  // A link the line made (`ln -s /etc/passwd x; echo … > x`): the file it reaches is what is written.
  const reached = target.dynamic || (op.includes("<") && op !== "<>") ? undefined : linkedPath(resolved(target.text, ctx.paths.cwd), ctx.links);
  const through = reached === undefined ? undefined : judgeWrite(op, literalWord(reached), ctx.paths);
  if (through) ctx.findings.push(through);
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
      // `find . -fprint /etc/passwd` writes the file as `> /etc/passwd` does.
      ctx.findings.push(...argumentWrites(name, args, ctx.paths, LINK_ITSELF.has(name) ? undefined : (w) => throughLink(w, ctx)));
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
    if (!powershell) ctx.findings.push(...argumentWrites(name, args, ctx.paths, LINK_ITSELF.has(name) ? undefined : (w) => throughLink(w, ctx)));
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

/** Wrappers that run a builtin in the shell itself (`builtin printf -v x /` sets x); the others run a program. */
const IN_SHELL_WRAPPERS = new Set(["builtin", "command", "time", "noglob", "nocorrect"]);

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

/** fd's options that take a value (`-e tmp`, `--max-depth 2`). */
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
  // A path through a link the line made (`ln -s /etc/passwd x; chmod 777 x`) is judged as the path it reaches
  // too, except by the commands that remove or rename the link itself (mv's destination is judged as a write).
  const linked = unmarked.powershell || LINK_ITSELF.has(unmarked.name) || unmarked.name === "mv" ? undefined : throughLinks(inv, ctx);
  for (const rule of [...candidates, ...prefixed]) {
    const finding = matchRule(rule, inv, ctx.paths);
    if (finding) ctx.findings.push(finding);
    const through = linked && matchRule(rule, linked, ctx.paths);
    if (through && through.detail !== finding?.detail) ctx.findings.push(through);
  }
  const install = pipInstallSource(inv);
  if (install) ctx.findings.push(install);
}

/** Commands that act on a link rather than on what it reaches. */
const LINK_ITSELF: ReadonlySet<string> = new Set(["rm", "unlink", "rmdir", "ln", "readlink", "ls", "stat", "lstat"]);

/** The path a literal path reaches through the line's links, where that is another; undefined otherwise. */
function throughLink(w: Word, ctx: Ctx): Word | undefined {
  if (ctx.links.size === 0 || w.dynamic || w.text === "" || w.text.startsWith("-")) return undefined;
  const reached = linkedPath(resolved(w.text, ctx.paths.cwd), ctx.links);
  return reached === undefined ? undefined : literalWord(reached);
}

/** The invocation with each path that reaches another through the line's links replaced by it; undefined when none does. */
function throughLinks(inv: Invocation, ctx: Ctx): Invocation | undefined {
  if (ctx.links.size === 0) return undefined;
  let changed = false;
  const args = inv.args.map((w) => {
    const reached = throughLink(w, ctx);
    changed ||= reached !== undefined;
    return reached ?? w;
  });
  return changed ? { ...inv, args } : undefined;
}

/** Commands whose arguments or input are themselves code. Returns true when fully handled. */
function special(name: string, args: Word[], cmd: Cmd, upstream: Cmd[], ctx: Ctx): boolean {
  const powershell = ctx.shell === "powershell";
  if (!powershell) args = stdinScripts(name, args, cmd, upstream, ctx);
  dnsLookups(name, args, ctx);
  if (runToolCommands(name, args, cmd, upstream, ctx)) return true;
  if (name === "eval" && !powershell) {
    const code = codeOf(args, ctx);
    if (code.text !== undefined) {
      if (code.decoded) hidden(ctx);
      const text = code.text;
      withAssignments(cmd, ctx, () => nestedHere(ctx, text));
      // fish runs eval's text in the block it is in: `begin; eval 'set -l X /b'; end` gives X back its old value.
      const block = ctx.shell === "fish" ? ctx.scopes[ctx.scopes.length - 1]?.locals : undefined;
      if (block) for (const local of fishLocals(ctx.parse(text, "fish"))) block.add(local);
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
    // As eval's text, the script runs with the assignments in front of it (`HOME=/ . ./x.sh`).
    let read = false;
    withAssignments(cmd, ctx, () => {
      read = runSourced(name, args, cmd, upstream, ctx);
    });
    // The script may set any variable: what the line knew of them may no longer hold.
    if (!read) forgetValues(ctx.vars, ctx.maybe);
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
    // `script FILE` writes the session's typescript to FILE.
    if (name === "script") ctx.findings.push(...argumentWrites(name, args, ctx.paths, (w) => throughLink(w, ctx)));
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
