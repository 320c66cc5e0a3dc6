import { isLoopbackUrl } from "../shared/loopback.js";
import os from "node:os";
import path from "node:path";
import { shellWord } from "../shared/shell-word.js";
import type { ShellKind } from "../shell/types.js";
import type { CommandAnalyzer, CommandBreakdown } from "./command-parts.js";
import { commandFacts } from "./command-facts.js";
import { deniedShellPath, reachedShellPath, type ShellPathReach } from "./denied-path.js";
import { byDefault, PLAN_REFUSAL, type Verdict } from "./mode-defaults.js";
import { isInside, withRealBases, type PathBases } from "./path-pattern.js";
import { compareSpecificity, parseRulePattern, type ParsedPattern } from "./rule-syntax.js";
import { describeSubject, isGuardedPath, matchesSubject, mayMatchPlaceless, nameKnownAtRunTime, subjectsOf, type Subject } from "./subjects.js";
import { suggestionsFor } from "./suggest.js";
import { cautiouslyMatchesTool, isMcpTool, matchesTool } from "./tool-names.js";
import { protectedReason, WREN_FOLDER } from "./protected-paths.js";
import { realPathSync, withRealTargets, type RealPathOf } from "./real-paths.js";
import type { PermissionDecision, PermissionMode, PermissionRequest, PermissionRule, ToolEffect } from "./types.js";
import { RUN_TIME } from "../shell/ir.js";

export interface DecideOptions {
  /**
   * Every rule in force: flags, user and project settings, session and once replies. Order does not
   * matter. Patterns must be valid (`parseRulePattern`); an invalid one throws `bad_request`.
   */
  rules: readonly PermissionRule[];
  mode: PermissionMode;
  /** The project directory: reads inside it run freely, writes and reads outside it always ask. */
  projectRoot: string;
  /**
   * Whether a person can answer. When false, every `ask` becomes `deny` (with a reason that says
   * which rule would allow the call), and critical commands are refused.
   */
  interactive: boolean;
  /** Takes `Bash` command lines apart (see {@link createCommandAnalyzer}). */
  commands: CommandAnalyzer;
  /** `--offline`: a call that reaches the network beyond this machine (its loopback) is refused. */
  offline?: boolean;
  /** Where `~/` in rules points. Default: `os.homedir()`. */
  home?: string;
  /** The shell `Bash` commands run in. Default: `bash`. */
  shell?: ShellKind;
  /**
   * Where a path really is, for the files and folders a `Bash` command reads and writes: through a
   * symbolic link (`notes.txt` → `.wren/settings.toml`) it is judged as both. Tools' own paths come
   * resolved already (`withRealPaths`). Default: `realPathSync`, which looks on disk.
   */
  realPath?: RealPathOf;
}

interface Candidate {
  rule: PermissionRule;
  parsed: ParsedPattern;
}

/** Between equally specific rules, the more cautious comes first. */
const CAUTION = { deny: 2, ask: 1, allow: 0 } as const;

const label = (rule: PermissionRule): string => `${rule.pattern} (${rule.scope === "once" ? "your answer" : `${rule.scope} rule`})`;

/**
 * Decides one tool call. The same request, rules, mode, project and files on disk give the same
 * decision: no file is listed or read; what is looked up on disk is where a git repository's top is,
 * since `git show HEAD:F` names F from there (see `repositoryTops`), and where the files a command
 * names really are (see `DecideOptions.realPath`), and, for a command that rewrites the git work
 * tree whole, whether wren's own folder is one it can copy and put back (see `CommandFacts.guarded`).
 * Deny rules win outright; critical commands always ask (typed `yes`) or, with no one to ask, are
 * refused; plan mode refuses writes and commands and asks for the network every time; otherwise every part of the call must be allowed,
 * each by its most specific rule or by the mode's default.
 */
export function decide(request: PermissionRequest, options: DecideOptions): PermissionDecision {
  // A home or project reached through a link is one place under either name (see `spellings`).
  const bases: PathBases = withRealBases({ projectRoot: path.resolve(options.projectRoot), home: path.resolve(options.home ?? os.homedir()) }, options.realPath ?? realPathSync);
  const candidates: Candidate[] = options.rules
    .map((rule) => ({ rule, parsed: parseRulePattern(rule.pattern) }))
    .filter((c) => (c.rule.action === "allow" ? matchesTool : cautiouslyMatchesTool)(c.parsed.tool, request.tool));
  const named = subjectsOf(request, bases, options.commands, options.shell ?? "bash");
  const subjects = named.command ? { ...named, command: withRealTargets(named.command, bases.projectRoot, options.realPath ?? realPathSync) } : named;
  const mostSpecificFirst = (a: Candidate, b: Candidate): number => compareSpecificity(b.parsed, a.parsed) || CAUTION[b.rule.action] - CAUTION[a.rule.action];

  for (const subject of subjects.list) {
    const deny = candidates.filter((c) => c.rule.action === "deny" && matchesSubject(c.parsed, subject, bases, true)).sort(mostSpecificFirst)[0];
    if (deny) {
      const what = subject.kind === "call" ? request.tool : `${request.tool} ${describeSubject(subject, bases)}`;
      return { action: "deny", rule: deny.rule, reason: `${what} is denied by ${label(deny.rule)}.` };
    }
  }

  const shellDenial = subjects.command ? deniedShellPath(subjects.command, options.rules, bases) : undefined;
  if (shellDenial) {
    return { action: "deny", rule: shellDenial.rule, reason: `${request.tool} ${shellDenial.verb} ${shellDenial.display}, which is denied by ${label(shellDenial.rule)}.` };
  }

  // Offline (`--offline`): nothing leaves this machine, whatever the rules or a person would say.
  if (options.offline && request.effect === "network" && request.url !== undefined && !isLoopbackUrl(request.url)) {
    return { action: "deny", reason: `wren is offline (--offline): ${request.tool} would reach ${hostOf(request.url)}, beyond this machine. Only this machine's own servers (localhost, 127.0.0.1) are reached offline.` };
  }

  const mutates = request.effect === "write" || request.effect === "execute";
  // Every MCP call is an `execute` (its server's word on what it does is not taken): while planning
  // it asks every time instead (see `planCautions`), so a person may let a search through.
  const mcpCall = isMcpTool(request.tool) && request.effect === "execute";
  if (options.mode === "plan" && mutates && !mcpCall) {
    return { action: "deny", reason: `Plan mode is on: ${request.tool} ${request.effect === "write" ? "changes files" : "runs commands"}, which is refused while planning. ${PLAN_REFUSAL}` };
  }

  const facts = subjects.command ? commandFacts(subjects.command, subjects.cwd ?? bases.projectRoot, bases) : undefined;
  if (facts?.critical) {
    const why = `This command is critical (${facts.critical}).`;
    return options.interactive
      ? carry({ action: "ask", reason: `${why} It runs only if you type yes.`, confirm: "typed-yes", suggestions: [] }, request, subjects.command)
      : { action: "deny", reason: `${why} Critical commands run only when a person types yes, and no one can be asked in this run.` };
  }

  const reach = subjects.command ? reachedShellPath(subjects.command, options.rules, bases) : undefined;
  const verdicts = subjects.list.map((subject) => judge(subject, candidates.filter((c) => c.rule.action !== "deny" && matchesSubject(c.parsed, subject, bases, c.rule.action === "ask")).sort(mostSpecificFirst), request, options, bases));
  // What is true of a command line as a whole: parts wren cannot read, files it writes outside the project.
  for (const caution of [...(facts?.cautions ?? []), ...outsidePaths(request, bases), ...planCautions(request, options.mode), ...exportCautions(request)]) {
    verdicts.push({ action: "ask", reason: caution, rememberable: false });
  }
  // A deny rule the command may reach asks every time, in bypass mode too, as the rule would refuse it.
  if (reach) verdicts.push({ action: "ask", reason: reachReason(request.tool, reach), explicit: true, rememberable: false });
  for (const reason of placelessReasons(request.tool, subjects.list, candidates, bases)) verdicts.push({ action: "ask", reason, explicit: true, rememberable: false });
  for (const reason of runTimeNameReasons(request.tool, subjects.list, candidates, bases)) verdicts.push({ action: "ask", reason, explicit: true, rememberable: false });

  let decision = combine(verdicts);
  if (decision.action === "ask" && options.mode === "bypass" && !verdicts.some((v) => v.action === "ask" && v.explicit)) {
    decision = { action: "allow", reason: `Bypass mode allows ${request.tool} without asking.` };
  }
  if (decision.action === "ask") {
    const remember = verdicts.every((v) => v.action === "allow" || v.rememberable);
    const suggestions = remember ? suggestionsFor(request, subjects.list.filter((_, i) => verdicts[i]?.action === "ask"), bases) : [];
    if (!options.interactive) {
      // Said as the run that met it (wren -p) can act on it: the flag of a rule that would allow
      // the call; where none could, the mode that would (not while planning, nor past an ask rule).
      const askRule = verdicts.some((v) => v.action === "ask" && v.explicit);
      const how =
        suggestions.length > 0
          ? ` To allow it, run with ${suggestions.map((rule) => `--allow ${shellWord(rule)}`).join(" ")}.`
          : options.mode !== "plan" && !askRule
            ? " No rule allows it: only --permission-mode bypass runs it."
            : "";
      return { ...decision, action: "deny", reason: `${decision.reason} No one can be asked in this run, so it is refused.${how}` };
    }
    decision = { ...decision, suggestions };
  }
  // A work tree rewritten whole runs with wren's own folder guarded, also after a yes (not in bypass mode, which lets anything change it).
  if (facts && facts.guarded.length > 0 && options.mode !== "bypass") {
    decision = { ...decision, reason: `${decision.reason} ${guardNote(facts.guarded)}`, guard: [path.join(bases.projectRoot, WREN_FOLDER)] };
  }
  return carry(decision, request, subjects.command);
}

/**
 * What a decision that may let the call run carries on to it: what it was judged with of the session
 * shell's exports (`judgedExports`) and, when it asks, what the command visibly sets of them (`sets`).
 */
function carry(decision: PermissionDecision, request: PermissionRequest, command: CommandBreakdown | undefined): PermissionDecision {
  const sets = decision.action === "ask" && request.exported && command && command.sets.length > 0 ? { sets: command.sets } : {};
  return { ...decision, ...(request.exported ? { judgedExports: request.exported } : {}), ...sets };
}

/** What a decision that guards wren's own folder adds to its reason. */
function guardNote(trees: readonly string[]): string {
  const of = trees.every((t) => t === ".") ? "" : ` of ${[...new Set(trees)].join(", ")}`;
  return `The command rewrites the work tree${of} from a commit, a branch, a stash or the index, which may hold wren's own settings (${WREN_FOLDER}/, where the project's permission rules live): wren copies them before it runs and puts back whatever it changes there.`;
}


function judge(subject: Subject, matching: Candidate[], request: PermissionRequest, options: DecideOptions, bases: PathBases): Verdict {
  const what = describeSubject(subject, bases);
  // `export CI=1` in `export CI=1 && npm test` needs no allow rule of its own: the line's commands decide.
  // An ask rule that names it still asks (deny rules were matched before any verdict).
  if (subject.kind === "part" && subject.part.incidental && matching.length === 0) {
    return { action: "allow", reason: `${what}: goes along with the line's other commands`, rememberable: true };
  }
  let passedOver: Candidate | undefined;
  for (const c of matching) {
    if (c.rule.action === "ask") return { action: "ask", rule: c.rule, reason: `${request.tool} ${what} asks by ${label(c.rule)}.`, explicit: true, rememberable: false };
    const short = shortOf(subject, c.parsed, request.effect, bases.projectRoot);
    if (short === undefined) return { action: "allow", rule: c.rule, reason: `${what}: allowed by ${label(c.rule)}`, rememberable: true };
    passedOver ??= c;
  }
  const verdict = byDefault(subject, request, options.mode, bases, isMcpTool(request.tool));
  if (passedOver && verdict.action === "ask") {
    return { ...verdict, reason: `${verdict.reason} ${passedOver.rule.pattern} does not cover it: ${shortOf(subject, passedOver.parsed, request.effect, bases.projectRoot) ?? ""}.` };
  }
  return verdict;
}

/** Why an allow rule that matches is still not enough, or undefined when it is. */
function shortOf(subject: Subject, parsed: ParsedPattern, effect: ToolEffect, projectRoot: string): string | undefined {
  if (subject.kind === "part" && (subject.part.risk === "high" || subject.part.risk === "critical")) {
    if (parsed.specifier.kind !== "command" || !parsed.specifier.exact) return "a high-risk command is allowed only by a rule that names it exactly";
  }
  // `Bash(unset *)` does not name PATH: unset or exported unseen, it changes what every later command runs.
  const names = subject.kind === "part" ? subject.part.whatRuns : undefined;
  if (names && parsed.specifier.kind === "command" && !parsed.specifier.exact) {
    const what = names.map((n) => (n === RUN_TIME ? "a name known only when it runs" : n)).join(", ");
    return `it changes ${what}, which changes what later commands run, so only a rule that names it exactly allows it`;
  }
  const guarded = subject.kind === "path" && effect === "write" ? protectedReason(subject.path, projectRoot) : undefined;
  if (guarded) return guarded;
  if (isGuardedPath(subject) && parsed.specifier.kind !== "path") {
    return "a path outside the project, or holding keys or credentials, is allowed only by a rule that names it";
  }
  return undefined;
}

/**
 * Plan mode is for reading the project: a call that reaches the network could carry it off, and an
 * MCP tool may do anything whatever it claims, so these ask every time while planning.
 */
function planCautions(request: PermissionRequest, mode: PermissionMode): string[] {
  if (mode !== "plan") return [];
  if (isMcpTool(request.tool)) return [`Plan mode is on: ${request.tool} is an MCP tool, which may do more than read, so it asks every time while planning.`];
  if (request.effect === "network") return [`Plan mode is on: ${request.tool} reaches the network, so it asks every time while planning; no rule lifts this. ${PLAN_REFUSAL}`];
  return [];
}

function reachReason(tool: string, reach: ShellPathReach): string {
  const how = {
    glob: `${reach.display}, a pattern that may name`,
    "run-time": `${reach.display}, a path only known when it runs, which may be`,
    folder: reach.verb === "reads" ? `${reach.display} whole, which may hold` : `below ${reach.display}, which may hold`,
  }[reach.how];
  return `${tool} ${reach.verb} ${how} a file denied by ${label(reach.rule)}, so it asks every time.`;
}

/**
 * A command after a `cd` wren cannot follow whose relative paths may be what a deny or ask command
 * rule names (`rm id_rsa` after `cd "$D"`, under `deny Bash(rm ~/.ssh/*)`): it asks every time, in
 * bypass mode too, as a path only known when it runs does under a deny rule it may reach.
 */
function placelessReasons(tool: string, subjects: readonly Subject[], candidates: readonly Candidate[], bases: PathBases): string[] {
  return subjects.flatMap((subject) => {
    const rule = candidates.find((c) => c.rule.action !== "allow" && !matchesSubject(c.parsed, subject, bases, true) && mayMatchPlaceless(c.parsed, subject))?.rule;
    if (!rule) return [];
    return [`${tool} ${describeSubject(subject, bases)} runs after a cd wren cannot follow, so its relative paths may be anywhere, such as where ${label(rule)} names, so it asks every time.`];
  });
}

/**
 * A command whose name is known only when it runs (`$(echo rm) x`) may be the one a deny or ask
 * command rule names (`deny Bash(rm:*)`): it asks every time, in bypass mode too, as a path only
 * known when it runs does under a path deny.
 */
function runTimeNameReasons(tool: string, subjects: readonly Subject[], candidates: readonly Candidate[], bases: PathBases): string[] {
  return subjects.flatMap((subject) => {
    if (!nameKnownAtRunTime(subject)) return [];
    const rule = candidates.find((c) => c.rule.action !== "allow" && c.parsed.specifier.kind === "command" && !matchesSubject(c.parsed, subject, bases, true))?.rule;
    if (!rule) return [];
    return [`${tool} ${describeSubject(subject, bases)} runs a command whose name is known only when it runs, which may be what ${label(rule)} names, so it asks every time.`];
  });
}

/**
 * A command that inherits what an earlier one exported (`export GIT_CONFIG_GLOBAL=./x`, then
 * `git status`) runs as it would with that written before it, which no rule for the command allows.
 */
function exportCautions(request: PermissionRequest): string[] {
  const names = Object.keys(request.exported ?? {});
  if (request.command === undefined || names.length === 0) return [];
  const they = names.length > 1 ? "they are" : "it is";
  return [`An earlier command changed the session shell's ${names.join(", ")} (exported, unset or no longer exported), which changes what this command runs, as ${names[0] ?? ""}=… written before it would, so it asks every time until ${they} as the session started, or until a person, asked, allows a command that sets ${names.length > 1 ? "them" : "it"}.`];
}

function outsidePaths(request: PermissionRequest, bases: PathBases): string[] {
  if (request.command === undefined) return [];
  return (request.paths ?? [])
    .map((p) => path.resolve(bases.projectRoot, p))
    .filter((p) => !isInside(p, bases.projectRoot))
    .map((p) => `The command touches ${p}, outside the project.`);
}

function combine(verdicts: Verdict[]): PermissionDecision {
  const asks = verdicts.filter((v) => v.action === "ask");
  if (asks.length > 0) {
    const first = asks.find((v) => v.explicit) ?? asks[0];
    const reasons = [...new Set(asks.map((v) => v.reason))].join(" ");
    return first?.rule ? { action: "ask", rule: first.rule, reason: reasons } : { action: "ask", reason: reasons };
  }
  const rules = [...new Map(verdicts.flatMap((v) => (v.rule ? [[v.rule.pattern + v.rule.scope, v.rule] as const] : []))).values()];
  // Each part's reason may be a sentence of its own: its stop goes, as they are joined into one.
  const reason = verdicts.length === 1 ? (verdicts[0]?.reason ?? "") : `Every part is allowed: ${verdicts.map((v) => v.reason.replace(/\.$/, "")).join("; ")}.`;
  const decision: PermissionDecision = { action: "allow", reason: reason.endsWith(".") ? reason : `${reason}.` };
  if (rules[0]) decision.rule = rules[0];
  if (rules.length > 1) decision.rules = rules;
  return decision;
}

/** A URL's host, for a message; the URL itself where it has none. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
