import os from "node:os";
import path from "node:path";
import type { Parser } from "web-tree-sitter";
import { createShellAnalyzer, type ShellAnalyzer } from "../shell/analyze.js";
import { loadBashParser, parseBash } from "../shell/bash-parser.js";
import { evaluateScript } from "../shell/evaluate.js";
import { parseFish } from "../shell/fish-parser.js";
import type { Cmd, Script, Word } from "../shell/ir.js";
import { RUN_TIME } from "../shell/ir.js";
import { parsePowerShell, userFolders } from "../shell/powershell-parser.js";
import { declaringWords, lineAssignments, namedWhatRuns, wordsKey, type Assignment, type LineAssignments } from "./command-assignments.js";
import { cautiousForms, innerScriptOf } from "./command-forms.js";
import { cdForms } from "./cd-forms.js";
import { markLiteralTilde } from "./command-pattern.js";
import { argumentReads, type TopReads } from "./command-reads.js";
import { braces, type ReadPattern } from "./glob-reach.js";
import { argumentWrites } from "./command-writes.js";
import { optionProgram } from "./option-effects.js";
import { powershellAssignments } from "./powershell-assignments.js";
import { powershellWrites } from "./powershell-writes.js";
import { CD_COMMANDS } from "../shell/workdir.js";
import { homesFolder } from "../shell/paths.js";
import { repositoryTops } from "./repository-top.js";
import { SEPARATORS } from "./real-paths.js";
import { worstRisk, type Finding, type Risk, type ShellKind } from "../shell/types.js";

/** One simple command of a command line, as rules see it. */
export interface CommandPart {
  /**
   * Its words after quote removal, joined by spaces; `RUN_TIME` where a run-time value goes; the home
   * directory as `~`, a quoted `~` (the text) after a `LITERAL_TILDE` (see `command-pattern.ts`).
   */
  text: string;
  /** What shell mode's rules say about this part (within its pipeline), as in `wren cmd --check`. */
  risk: Risk;
  /** A word is only known at run time (a variable, a substitution). */
  dynamic: boolean;
  /**
   * What else it runs, for deny and ask rules: `rm x` for `sudo /bin/rm x` (see `cautiousForms`);
   * with its relative paths in the folder it starts in, or where a `cd` on the line leads (see `cdForms`).
   */
  forms: string[];
  /**
   * After a `cd` wren cannot follow: its forms with each relative path in a folder wren cannot
   * place (see `cdForms`), for deny and ask rules it may be, which then ask every time.
   */
  placeless?: string[];
  /**
   * For an `unset`, `export`, `declare`… (also after `builtin`, `command`): the variables that change
   * what runs which it unsets, exports or otherwise changes beyond assignments that are parts of
   * their own (`unset PATH`, `export -n LD_PRELOAD`); `RUN_TIME` for a name only known when it runs.
   * Only a rule that names the command exactly allows it (see `namedWhatRuns`).
   */
  whatRuns?: string[];
  /**
   * A declaration of plain variables only, written out in full, beside other commands (`export CI=1`
   * in `export CI=1 && npm test`): it goes along with them, as `CI=1; npm test` does, so an allow
   * rule need not name it; deny and ask rules still match it.
   */
  incidental?: true;
}

/** A file a redirection writes: its absolute path, or undefined when only known at run time. */
export interface RedirectWrite {
  target: string | undefined;
  /** As written, for messages. */
  display: string;
  /** A folder the command writes files into whose names wren cannot know (`tar -x -C DIR`, `git -C DIR`). */
  folder?: boolean;
  /** The folder is where an archive or a diff is unpacked (`tar -x`, `unzip`, `patch -p1`, `git apply`): any file below may be written. */
  unpacks?: boolean;
  /** git rewrites the work tree this folder is in from a commit, a stash or the index (`git checkout BRANCH`, `git pull`). */
  tree?: boolean;
  /**
   * With `tree`: git alone rewrites it and is done when the line is (see `OptionWrites.plainTree`;
   * no assignment before it or on the line, no wrapper), so what it changes in wren's own folder
   * can be put back once the command returns.
   */
  plainTree?: boolean;
  /** With `repositories`: git is told this folder is its repository (`--git-dir`, `git init --bare`), rather than looking from it. */
  gitDir?: boolean;
  /**
   * The path as the system is given it, where it holds `..`: `target` takes `..` away by the
   * words, while the system climbs from where a symbolic link before it really leads
   * (`a/../settings.toml`, where `a` links to `.wren/sub`, is `.wren/settings.toml`).
   */
  named?: string;
}

/** A command line taken apart for the permission rules. */
export interface CommandBreakdown {
  /** The whole line's verdict: the same analysis as `wren cmd --check`. */
  risk: Risk;
  reasons: Finding[];
  /** Every simple command, including those inside `$(…)`, pipelines, lists and function bodies. */
  parts: CommandPart[];
  /** Why some of the line could not be understood (syntax errors, names known only at run time…). */
  unparsed: string[];
  /** Files written by `>`/`>>` redirections, except harmless devices (`/dev/null`). */
  writes: RedirectWrite[];
  /**
   * Files a command changes through its arguments (`cp a DEST`, `tee F`, `sed -i`, `rm`, `touch`…;
   * see `argumentWrites`), except harmless devices: judged as `writes` are (outside the project, or in
   * the places no rule may open, they ask); undefined where it cannot be placed (a run-time value).
   */
  changes: RedirectWrite[];
  /** Files a command plainly reads (`cat F`, `grep P F`, `cp F DEST`, `< F`; see `argumentReads`), for `Read(…)` deny rules. */
  reads: RedirectWrite[];
  /**
   * Paths it reads that are only patterns, for `Read(…)` deny rules they may reach: globs
   * (`cat .en*`), run-time values (`cat $F`), and folders read whole (`grep -r x .`, `rg x`).
   */
  readPatterns: PatternRead[];
  /**
   * Paths it writes that are only patterns, for the places that always ask and `Edit(…)` deny
   * rules they may reach: globs (`rm .w*\/settings.toml`, `> .e?v`) and folders written below
   * whole (`tar -xf a.tar -C src`, `find src -delete`).
   */
  writePatterns: PatternRead[];
  /**
   * Where commands after a `cd` on the line run, for what they read there (`cd .. && ls`): each
   * folder other than where the line starts that the line may be in by then, with the command as
   * `display`; undefined where wren cannot follow the `cd` (`cd "$D"`, `cd -`, `popd`).
   */
  runsIn: RedirectWrite[];
  /**
   * Where git runs (`git -C DIR`, after a `cd`, or where the line starts) and the folders it is told
   * are its repository (`gitDir`): the repository git finds there is one whose config and hooks it runs.
   */
  repositories: RedirectWrite[];
  /**
   * Something on the line may go on after the line returns: a job put in the background (`&`, in
   * any form: `x &`, `(x) &`, `coproc`) or a command that detaches one (`nohup`, `setsid`, `disown`,
   * `at`, `screen`, `tmux`…).
   */
  detached: boolean;
  /**
   * Variables that change what runs which the line sets on their own, by name (`export PATH=…`,
   * `PATH=…;`, `for PATH in …`), or unsets or stops exporting (`unset PATH`, `export -n PATH`): what
   * it visibly leaves changed in the shell that runs it. Not those
   * of a child shell (`sh -c`). None where the line also sources a script or `eval`s a string, or has
   * parts wren cannot read, which may set them to something else unseen.
   */
  sets: string[];
}

/** Commands that run code in the shell itself (`. ./env.sh`, `eval "$X"`), which may set its variables unseen. */
const RUNS_HERE = /^(?:(?:builtin|command)\s+)*(?:\.|source|eval)(?:\s|$)/;

/** Commands that leave something running after the line returns. */
const DETACHING = new Set(["nohup", "setsid", "disown", "bg", "coproc", "at", "batch", "daemonize", "start-stop-daemon", "systemd-run", "screen", "tmux", "dtach", "abduco", "nq", "pueue", "tsp", "start-process", "start-job"]);

/**
 * Whether a `&` that puts a job in the background may be on the line, read from its text: any `&`
 * other than those of `&&`, `>&`, `<&`, `&>`, `|&` and `;&`. One inside quotes counts too, which
 * errs towards saying yes.
 */
function mayBackground(command: string): boolean {
  return command.replace(/&&|[<>|;]&|&>/g, "").includes("&");
}

/** A read wren knows only as a pattern: what it may reach is judged against deny rules (see `mayReach`). */
export interface PatternRead {
  /** As written, for messages. */
  display: string;
  pattern: ReadPattern;
}

export interface BreakdownOptions {
  /** Where the command runs (absolute). */
  cwd: string;
  /** Default: `os.homedir()`. */
  home?: string;
  /** Default: `bash`. */
  shell?: ShellKind;
}

/** Takes command lines apart. Create one with {@link createCommandAnalyzer} and reuse it: it is then synchronous. */
export interface CommandAnalyzer extends Disposable {
  breakdown(command: string, options: BreakdownOptions): CommandBreakdown;
  /** Frees the parsers' WebAssembly memory. */
  dispose(): void;
}

/** Loads the shell grammar once; the analyzer then judges any number of commands without waiting. */
export async function createCommandAnalyzer(): Promise<CommandAnalyzer> {
  const [verdicts, parser] = await Promise.all([createShellAnalyzer(), loadBashParser()]);
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    verdicts.dispose();
    parser.delete();
  };
  return {
    breakdown: (command, options) => {
      if (disposed) throw new Error("This command analyzer was disposed.");
      return breakdownWith(verdicts, parser, command, options);
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}

const HARMLESS_TARGETS = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "nul", "$null"]);

function breakdownWith(verdicts: ShellAnalyzer, parser: Parser, command: string, options: BreakdownOptions): CommandBreakdown {
  const shell = options.shell ?? "bash";
  const cwd = path.resolve(options.cwd);
  const home = path.resolve(options.home ?? os.homedir());
  const whole = verdicts.analyze(command, { shell, cwd, home });
  // What PowerShell's $env:HOME, $env:USERPROFILE, $env:TEMP… hold on this line, as the whole line's analysis reads them.
  const env = { cwd, home, userFolders: userFolders(command, home) };
  const parse = (text: string, kind: ShellKind): Script => {
    if (kind === "fish") return parseFish(text, env);
    if (kind === "powershell") return parsePowerShell(text, env);
    return parseBash(parser, text, env);
  };
  const out: CommandBreakdown = { risk: whole.risk, reasons: whole.reasons, parts: [], unparsed: [], writes: [], changes: [], reads: [], readPatterns: [], writePatterns: [], runsIn: [], repositories: [], detached: mayBackground(command), sets: [] };
  let script: Script;
  try {
    script = parse(command, shell);
  } catch (error) {
    out.unparsed.push(`wren could not parse this command (${error instanceof Error ? error.message : String(error)})`);
    return out;
  }
  const evaluate = (s: Script): Finding[] => {
    try {
      return evaluateScript(s, shell, { cwd, home }, parse);
    } catch (error) {
      // A bug in the analysis must never make a part look safe.
      return [{ category: "remote code execution", risk: "high", detail: `wren could not analyse this part (${error instanceof Error ? error.message : String(error)})` }];
    }
  };
  const assignments: LineAssignments =
    shell === "powershell" ? powershellAssignments(command) : shell === "fish" ? { prefixed: new Map(), alone: [], cleared: [], declarations: [] } : lineAssignments(parser, command, env, shell);
  // PowerShell's wildcards match names with a leading dot; bash and zsh do once told to.
  const dotglob = shell === "powershell" || /dotglob|globdots|glob_dots|GLOBIGNORE/i.test(command);
  collect(script, { out, evaluate, parse: (text) => parse(text, "sh"), cwd, home, powershell: shell === "powershell", zsh: shell === "zsh", moved: false, dirs: [cwd], assignments, dotglob, depth: 0 });
  // `export CI=1 && npm test` is `npm test` as `CI=1; npm test` is: a declaration that changes no
  // variable what runs depends on, all of whose words are as written, goes along with the line's
  // commands. On its own (`unset FOO`) it is the line's command, for a rule to name. Either way it
  // is a part deny and ask rules see: `deny Bash(export FOO=*)` refuses `export FOO=1; ls`.
  const commands = out.parts.length;
  const literal = shell !== "powershell";
  for (const d of assignments.declarations) {
    const part = declarationPart(d.words, d.whatRuns, home, literal);
    const incidental = commands > 0 && d.whatRuns.length === 0 && !d.words.some((word) => word.dynamic);
    out.parts.push(incidental ? { ...part, incidental } : part);
  }
  // `PATH=…` on its own changes every later command: a part of its own, allowed only by a rule that names it.
  for (const a of assignments.alone) {
    const text = tildifyAssignment(literal ? markLiteralTilde(a.text, true) : a.text, home);
    out.parts.push({ text, risk: "safe", dynamic: a.dynamic, forms: homeWrittenOut([a.text], text) });
  }
  // Only where nothing else on the line may set them unseen: what the shell ends with is then what the line shows.
  if (out.unparsed.length === 0 && !out.parts.some((p) => RUNS_HERE.test(p.text))) out.sets = [...new Set([...assignments.alone.map((a) => a.name), ...assignments.cleared])];
  // `GIT_WORK_TREE=…` or `PATH=…` set on its own changes which tree git rewrites, or which git runs.
  if (assignments.alone.length > 0) for (const change of out.changes) delete change.plainTree;
  return out;
}

interface Walk {
  out: CommandBreakdown;
  evaluate(script: Script): Finding[];
  /** Parses what `sh -c` and `eval` run. */
  parse(text: string): Script;
  cwd: string;
  home: string;
  powershell: boolean;
  /** The line runs in zsh, which reads some declarations as bash does not (see `namedWhatRuns`). */
  zsh: boolean;
  /** A `cd`, `pushd` or `popd` came earlier on the line. */
  moved: boolean;
  /** Where the line may be by now, after its `cd`s (each may or may not have run); undefined once unknown. */
  dirs: string[] | undefined;
  /** Assignments that change what runs; each command's are taken off as the walk reaches it. */
  assignments: LineAssignments;
  /** Globs may match names with a leading dot. */
  dotglob: boolean;
  /** How many `sh -c` or `eval` scripts deep the walk is. */
  depth: number;
}

function collect(script: Script, w: Walk): void {
  for (const unit of script.units) {
    switch (unit.kind) {
      case "pipeline": {
        // A stage's own findings are those its pipeline prefix adds: earlier stages are what it reads.
        let before = 0;
        unit.stages.forEach((cmd, i) => {
          const findings = w.evaluate({ units: [{ kind: "pipeline", stages: unit.stages.slice(0, i + 1) }] });
          const own = findings.slice(before);
          before = findings.length;
          addCmd(cmd, worstRisk(own.map((f) => f.risk)), w, printed(unit.stages[i - 1]));
        });
        break;
      }
      case "function":
        collect(unit.body, w);
        break;
      case "expand":
        for (const word of unit.words) collectWord(word, w);
        break;
      case "unresolved":
        w.out.unparsed.push(unit.detail);
        break;
      case "direct":
        break;
      default:
        // A kind of unit added to the shell IR after this walk was written: the words it carries
        // may still run substitutions, so look for them rather than skip it.
        for (const value of Object.values(unit as object)) if (isWord(value)) collectWord(value, w);
    }
  }
}

function isWord(value: unknown): value is Word {
  return typeof value === "object" && value !== null && Array.isArray((value as Partial<Word>).subs);
}

function collectWord(word: Word, w: Walk): void {
  for (const sub of word.subs) collect(sub, w);
}

/** What `echo`/`printf` with literal words prints into a pipe, so `echo 'rm x' | sh` is seen as `rm x`. */
function printed(cmd: Cmd | undefined): Word | undefined {
  const [name, ...args] = cmd?.argv ?? [];
  if (!name || (name.text !== "echo" && name.text !== "printf") || args.some((a) => a.dynamic)) return undefined;
  const text = args.filter((a, i) => name.text === "printf" || i > 0 || !/^-[neE]+$/.test(a.text)).map((a) => a.text).join(" ");
  return { text: name.text === "printf" ? text.replace(/\\n/g, "\n") : text, dynamic: false, glob: false, subs: [] };
}

function addCmd(cmd: Cmd, risk: Risk, w: Walk, piped?: Word): void {
  for (const word of cmd.argv) collectWord(word, w);
  for (const r of cmd.redirects) collectWord(r.target, w);
  if (cmd.stdinText) collectWord(cmd.stdinText, w);
  for (const r of cmd.redirects) {
    if ((r.op === "<" || r.op === "<>") && !(!r.target.dynamic && /^\d+$/.test(r.target.text))) addRead(r.target, false, w);
    // Input, and duplications onto other descriptors (`2>&1`, `>&-`), write no file; `<>` opens one for writing too.
    if ((r.op.includes("<") && r.op !== "<>") || (!r.target.dynamic && (/^\d+$/.test(r.target.text) || r.target.text === "-"))) continue;
    const display = r.target.dynamic ? r.target.text.split(RUN_TIME).join("…") : r.target.text;
    if (r.target.dynamic) {
      w.out.writes.push({ target: undefined, display });
      continue;
    }
    // After a `cd` on the same line, a relative path starts from each folder the line may be in by then.
    const found = placed(r.target, w).filter((p) => p.target === undefined || !harmless(r.target.text, p.target));
    if (found.length === 0) continue;
    w.out.writes.push(...found);
    // bash writes the one file a glob in a redirection names; a path after a `cd` wren cannot follow may be anywhere.
    if (r.target.glob || unplaced(r.target, w)) for (const text of patternPaths(r.target, w)) w.out.writePatterns.push({ display, pattern: { text, glob: r.target.glob, dotglob: w.dotglob, recursive: false } });
  }
  const words = cmd.argv;
  // An assignment alone (`A=$(…)`) comes as one empty word carrying its substitutions: no command runs.
  const assignmentOnly = words.length === 1 && words[0]?.text === "" && !words[0].dynamic;
  if (cmd.expression || words.length === 0 || assignmentOnly) return;
  if (cmd.background || words.some((word, i) => i === 0 && !word.dynamic && DETACHING.has(path.basename(word.text).toLowerCase()))) w.out.detached = true;
  const cd = !words[0]?.dynamic && CD_COMMANDS.has(words[0]?.text.toLowerCase() ?? "");
  // A `cd`'s own folder is named from where the line was before it.
  const at = { dirs: w.dirs };
  if (w.moved && !cd) {
    const name = words[0]?.dynamic ? "a command" : (words[0]?.text ?? "");
    for (const dir of w.dirs ?? [undefined]) if (dir !== w.cwd) w.out.runsIn.push({ target: dir, display: name, folder: true });
  }
  if (cd) {
    w.moved = true;
    const dir = cdTarget(words, w);
    w.dirs = dir === undefined || !w.dirs ? undefined : [...new Set([...w.dirs, ...w.dirs.map((d) => path.resolve(d, dir))])].slice(0, 16);
  }
  // Only a git that is the command itself, with nothing assigned before it, in the line's own shell.
  addChanges(words, w, !w.assignments.prefixed.has(wordsKey(words)) && w.depth === 0);
  const inner = w.powershell || w.depth >= 4 ? undefined : innerScriptOf(words, cmd.stdinText ?? piped);
  const innerParts = inner === undefined ? [] : addInner(inner, w);
  const reads = argumentReads(words, w.powershell);
  for (const word of reads.files) addRead(word, false, w);
  for (const word of reads.folders) addRead(word, true, w);
  for (const top of reads.fromTop) addTopReads(top, w);
  // Which files a commit or a search shows is known only when it runs: any file git holds.
  if (reads.repository) w.out.readPatterns.push({ display: "the git repository", pattern: { text: RUN_TIME, glob: false, dotglob: w.dotglob, recursive: true } });
  // bash expands a `~` after the `=` of an argument written as an assignment too (`make DESTDIR=~/x`).
  const home = (text: string): string => (w.powershell ? tildify(text, w.home) : tildifyAssignment(text, w.home));
  const plain = words.map((word) => home(word.text)).join(" ");
  // A quoted `~` is the text `~`, not the home: allow rules see it marked; deny and ask rules see it as `~` too.
  const shown = w.powershell ? plain : words.map((word) => home(markLiteralTilde(word.text, false))).join(" ");
  const forms = w.powershell ? [] : cautiousForms(words, (text) => w.parse(text), home, 0, cmd.stdinText ?? piped);
  const inPlace = cdForms(words, at, w.powershell ? undefined : (text) => w.parse(text), home);
  const asTilde = otherHomesAsTilde(w.home);
  // `LD_PRELOAD=x npm test` is not `npm test`: an allow rule must name the assignment; deny rules see the command.
  const assigned = takeAssignments(words, w.assignments);
  const declared = w.powershell ? undefined : declaringWords(words);
  const whatRuns = declared ? namedWhatRuns(declared, w.zsh ? "zsh" : "bash") : [];
  const text = assigned.length > 0 ? [...assigned.map((a) => tildifyAssignment(w.powershell ? a.text : markLiteralTilde(a.text, true), w.home)), shown].join(" ") : shown;
  // Deny and ask rules may write the home out (`Bash(rm -rf /home/u/**)`): they also see the words as the shell passes them.
  const writtenOut = words.map((word) => word.text).join(" ");
  const prefix = assigned.map((a) => a.text);
  const spellings = assigned.length > 0 ? [plain, writtenOut, [...prefix, plain].join(" "), [...prefix, writtenOut].join(" ")] : [plain, writtenOut];
  // What `sh -c '…'` runs is placed where its own script is by then (`cd ~/.ssh && sh -c 'rm id_rsa'`), its `cd`s followed.
  const nested = innerParts.flatMap((part) => part.forms);
  const placeless = [...new Set([...inPlace.placeless, ...innerParts.flatMap((part) => part.placeless ?? [])])];
  w.out.parts.push({
    text,
    // `git grep -O CMD`, `rg --pre CMD`: as plain as running CMD, so only a rule naming it exactly allows it.
    risk: optionProgram(words) !== undefined ? worstRisk([risk, "high"]) : risk,
    dynamic: words.some((word) => word.dynamic) || assigned.some((a) => a.dynamic),
    forms: [...new Set([...spellings, ...forms, ...inPlace.forms, ...nested].flatMap((form) => [form, asTilde(form)]))].filter((form) => form !== text),
    ...(placeless.length > 0 ? { placeless } : {}),
    ...(whatRuns.length > 0 ? { whatRuns } : {}),
  });
}

/** `unset X`, `export X=1`…: wren's shell form has only the assignments; the command is a part of its own for rules to name. */
function declarationPart(words: readonly Word[], whatRuns: string[], home: string, literal: boolean): CommandPart {
  const text = words.map((word) => tildifyAssignment(literal ? markLiteralTilde(word.text, true) : word.text, home)).join(" ");
  return {
    text,
    risk: "safe",
    dynamic: words.some((word) => word.dynamic),
    forms: homeWrittenOut(words.map((word) => word.text), text),
    ...(whatRuns.length > 0 ? { whatRuns } : {}),
  };
}

/**
 * What a script run by `sh -c '…'`, `eval` or a shell reading `echo '…' |` writes and reads, as if
 * written on the line: `sh -c 'echo x > .wren/settings.toml'` writes wren's own folder. Its commands
 * stay one part (a rule allows `sh -c …` as written), and its `cd`s stay inside it. Returns the
 * script's own commands, each with its relative paths placed where the script is by then, for the
 * forms deny and ask rules see of the part that runs it.
 */
function addInner(text: string, w: Walk): CommandPart[] {
  let script: Script;
  try {
    script = w.parse(text);
  } catch (error) {
    w.out.unparsed.push(`wren could not parse the script a shell runs (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
  const inner: CommandBreakdown = { risk: "safe", reasons: [], parts: [], unparsed: [], writes: [], changes: [], reads: [], readPatterns: [], writePatterns: [], runsIn: [], repositories: [], detached: mayBackground(text), sets: [] };
  // Read as bash reads it: `sh -c` and `bash -c` run it in a shell other than the session's zsh.
  collect(script, { ...w, out: inner, dirs: w.dirs ? [...w.dirs] : undefined, assignments: { prefixed: new Map(), alone: [], cleared: [], declarations: [] }, depth: w.depth + 1, zsh: false });
  w.out.unparsed.push(...inner.unparsed);
  w.out.writes.push(...inner.writes);
  w.out.changes.push(...inner.changes);
  w.out.reads.push(...inner.reads);
  w.out.readPatterns.push(...inner.readPatterns);
  w.out.writePatterns.push(...inner.writePatterns);
  w.out.runsIn.push(...inner.runsIn);
  w.out.repositories.push(...inner.repositories);
  if (inner.detached) w.out.detached = true;
  return inner.parts;
}

/**
 * Where a `cd`, `chdir` or `pushd` goes, as written (absolute, or from where the line is), or
 * undefined where wren cannot follow it: a run-time value, a glob, `cd -`, a place in the folder
 * stack (`pushd +1`, zsh's `cd -2`), an option it does not know, a `~` the shell did not expand, or
 * more than one folder. A `cd` with none goes home (PowerShell's may stay: the line's folders before it are kept anyway).
 */
function cdTarget(words: readonly Word[], w: Walk): string | undefined {
  const name = words[0]?.text.toLowerCase() ?? "";
  if (name === "popd" || name === "pop-location") return undefined;
  const option = (text: string): boolean => (w.powershell ? /^-[A-Za-z]/.test(text) : /^-[LPe@qs]+$/.test(text) || text === "--");
  const to = words.slice(1).filter((word) => word.dynamic || !option(word.text));
  if (to.length === 0) return name === "pushd" || name === "push-location" ? undefined : w.home;
  const only = to[0];
  if (to.length !== 1 || !only || only.dynamic || only.glob || /^[-+~]/.test(only.text)) return undefined;
  return only.text;
}

/** A relative path after a `cd` wren cannot follow: it may be anywhere, so deny rules judge it as a run-time path. */
function unplaced(word: Word, w: Walk): boolean {
  return !word.dynamic && w.moved && !w.dirs && !path.isAbsolute(word.text);
}

/** `/dev/null` and the terminal's own streams: writing there changes no file. */
function harmless(text: string, target: string): boolean {
  return HARMLESS_TARGETS.has(text.toLowerCase()) || HARMLESS_TARGETS.has(target);
}

/** Files and folders written through arguments, placed as redirections are: a run-time value cannot be placed. */
function addChanges(words: readonly Word[], w: Walk, plain: boolean): void {
  const { files, folders, unpacked, trees, plainTree, gitRuns, gitDirs } = w.powershell ? powershellWrites(words) : argumentWrites(words);
  const add = (written: Word, kind: Pick<RedirectWrite, "folder" | "unpacks">): void => {
    // Brace lists are spelled out (`cp x .{wren,x}/a` writes .wren/a); a glob or a folder written
    // below whole is also kept as a pattern, for what it may reach.
    const spelled = !written.dynamic && written.text.includes("{") ? braces(written.text).map((text) => ({ ...written, text })) : [written];
    for (const word of spelled) {
      const found = word.dynamic ? [{ target: undefined, display: word.text.split(RUN_TIME).join("…") }] : placed(word, w);
      for (const p of found) if (p.target === undefined || !harmless(word.text, p.target)) w.out.changes.push({ ...p, ...kind });
      if (word.dynamic || (!word.glob && !kind.unpacks && !unplaced(word, w))) continue;
      for (const text of patternPaths(word, w)) w.out.writePatterns.push({ display: word.text, pattern: { text, glob: word.glob, dotglob: w.dotglob, recursive: kind.folder === true } });
    }
  };
  for (const word of files) add(word, {});
  for (const word of folders) add(word, { folder: true });
  for (const word of unpacked) add(word, { folder: true, unpacks: true });
  for (const [words, kind] of [[gitRuns ?? [], {}], [gitDirs ?? [], { gitDir: true }]] as const) {
    for (const word of words) w.out.repositories.push(...(word.dynamic ? [{ target: undefined, display: word.text.split(RUN_TIME).join("…"), ...kind }] : placed(word, w).map((p) => ({ ...p, ...kind }))));
  }
  // A work tree may reach above the folder git runs in, up to the project root: any file there may be rewritten.
  for (const word of trees ?? []) {
    const found = word.dynamic ? [{ target: undefined, display: word.text.split(RUN_TIME).join("…") }] : placed(word, w);
    for (const p of found) w.out.changes.push({ ...p, folder: true, tree: true, ...(plain && plainTree && !w.powershell ? { plainTree: true } : {}) });
    w.out.writePatterns.push({ display: "the work tree", pattern: { text: RUN_TIME, glob: false, dotglob: w.dotglob, recursive: true } });
  }
}

/**
 * A path a command reads: a plain file as the words say where it is; a glob, a run-time value or a
 * folder read whole as a pattern too, so deny rules can tell what it may reach. Brace lists
 * (`.{env,x}`) are expanded first, as bash and zsh do.
 */
function addRead(word: Word, recursive: boolean, w: Walk): void {
  const spelled = !word.dynamic && !w.powershell && word.text.includes("{") ? braces(word.text).map((text) => ({ ...word, text })) : [word];
  for (const one of spelled) {
    if (!one.dynamic) w.out.reads.push(...placed(one, w));
    if (!one.dynamic && !one.glob && !recursive && !unplaced(one, w)) continue;
    const display = one.dynamic ? one.text.split(RUN_TIME).join("…") : one.text;
    for (const text of patternPaths(one, w)) w.out.readPatterns.push({ display, pattern: { text, glob: one.glob, dotglob: w.dotglob, recursive } });
  }
}

/**
 * Paths git reads from the top of the repository it works in (`git show HEAD:F`, `git show :F`):
 * placed there, not where git runs. The top is its `--work-tree`, or the folder git finds `.git`
 * in at or above where it runs; where that is only known when it runs, the paths are judged as
 * paths after a `cd` wren cannot follow.
 */
function addTopReads(top: TopReads, w: Walk): void {
  const start = top.workTree ?? top.where ?? { text: ".", dynamic: false, glob: false, subs: [] };
  const runs = start.dynamic ? [undefined] : placed(start, w).map((p) => p.target);
  const tops = runs.flatMap((dir) => (dir === undefined ? [undefined] : top.workTree ? [dir] : repositoryTops(dir)));
  const read = (word: Word, recursive: boolean): void => {
    const spelled = !word.dynamic && word.text.includes("{") ? braces(word.text).map((text) => ({ ...word, text })) : [word];
    for (const one of spelled) {
      if (one.dynamic) {
        addRead(one, recursive, w);
        continue;
      }
      for (const at of tops) {
        if (at === undefined) {
          addRead(one, recursive, { ...w, moved: true, dirs: undefined });
          continue;
        }
        const target = path.resolve(at, one.text);
        w.out.reads.push({ target, display: one.text || "." });
        if (one.glob || recursive) w.out.readPatterns.push({ display: one.text || ".", pattern: { text: target, glob: one.glob, dotglob: w.dotglob, recursive } });
      }
    }
  };
  for (const word of top.files) read(word, false);
  for (const word of top.folders) read(word, true);
}

/**
 * Where a pattern may point, as absolute patterns: under each folder the line may be in by now. A
 * run-time part may hold `/` or `..`, so all that is sure of such a path is what follows its last
 * run-time part.
 */
function patternPaths(word: Word, w: Walk): string[] {
  if (word.dynamic) {
    const tail = word.text.slice(word.text.lastIndexOf(RUN_TIME) + 1);
    return [tail.split("/").includes("..") ? RUN_TIME : `${RUN_TIME}${tail}`];
  }
  if (path.isAbsolute(word.text) || !w.moved) return [path.resolve(w.cwd, word.text)];
  if (!w.dirs) return [`${RUN_TIME}/${word.text}`];
  return w.dirs.map((dir) => path.resolve(dir, word.text));
}

/** Where a path written as `word` may be, after the line's `cd`s; none for a run-time value. */
function placed(word: Word, w: Walk): RedirectWrite[] {
  if (word.dynamic) return [];
  if (path.isAbsolute(word.text) || !w.moved) return [{ target: path.resolve(w.cwd, word.text), display: word.text, ...climbing(w.cwd, word.text) }];
  if (!w.dirs) return [{ target: undefined, display: word.text }];
  return w.dirs.map((dir) => ({ target: path.resolve(dir, word.text), display: word.text, ...climbing(dir, word.text) }));
}

/** `named` for a path that climbs with `..`: the folder it starts from and the words, `..` kept. */
function climbing(dir: string, text: string): Pick<RedirectWrite, "named"> {
  if (!text.split(SEPARATORS).includes("..")) return {};
  return { named: path.isAbsolute(text) ? text : `${dir}${path.sep}${text}` };
}

function takeAssignments(words: readonly Word[], found: LineAssignments): Assignment[] {
  const key = wordsKey(words);
  const queue = found.prefixed.get(key);
  const next = queue?.shift();
  if (queue?.length === 0) found.prefixed.delete(key);
  return next ?? [];
}

/** Rules write home as `~`, and the parser expands `~`: give it back, so `Bash(ls ~/x)` matches `ls ~/x`. */
function tildify(text: string, home: string): string {
  if (text === home) return "~";
  return text.startsWith(home + "/") ? `~${text.slice(home.length)}` : text;
}

/**
 * An assignment's value as {@link tildify} gives back a word (the shell expands `~` after its `=`
 * and after each `:` too), so `Bash(export FOO=~/x)` matches `export FOO=~/x` and
 * `Bash(PATH=~/bin:~/.local/bin)` matches `PATH=~/bin:~/.local/bin`. Only the home itself or a
 * path below it: `~/x2` or `/home/u2` stay as they are.
 */
function tildifyAssignment(text: string, home: string): string {
  const name = /^[A-Za-z_]\w*(?:\[[^\]]*\])?\+?=/.exec(text)?.[0];
  if (!name) return tildify(text, home);
  return name + text.slice(name.length).split(":").map((part) => tildify(part, home)).join(":");
}

/**
 * Spells a text with each word in a place another user's home as that user's `~NAME`
 * (`/home/alice/x` as `~alice/x`; `/root` as `~root`), for deny and ask rules that name it so:
 * the parser expands `~alice` to such a path. Only words that start with the path.
 */
function otherHomesAsTilde(home: string): (text: string) => string {
  const folders = [...new Set(["/home", "/Users", homesFolder(home)])].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  // One expression for all of a command's forms: placed relative paths make many of them.
  const homes = new RegExp(`(^| )(?:(?:${folders})/([A-Za-z0-9._][A-Za-z0-9._-]*)|/(root)|/var/(root))(?=/| |$)`, "g");
  return (text) => text.replace(homes, (_m, start: string, a?: string, b?: string, c?: string) => `${start}~${a ?? b ?? c ?? ""}`);
}

/** Deny and ask rules also see an assignment with its home written out (`Bash(export FOO=/home/u/*)`), and a quoted `~` as `~`. */
function homeWrittenOut(texts: readonly string[], shown: string): string[] {
  const written = texts.join(" ");
  return written === shown ? [] : [written];
}
