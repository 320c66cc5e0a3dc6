import path from "node:path";
import type { CommandBreakdown, PatternRead, RedirectWrite } from "./command-parts.js";
import { mayReach } from "./glob-reach.js";
import { compilePathPattern, isInside, type PathBases } from "./path-pattern.js";
import { protectedFolderReason, protectedReason, TREE_REASON, unpackedReason } from "./protected-paths.js";
import { classifyPath, SENSITIVE_HOME } from "../shell/paths.js";

/** What is true of a command line as a whole, beyond its parts. */
export interface CommandFacts {
  /** Why it is critical, when it is: it then asks for a typed `yes` whatever the rules and mode say. */
  critical?: string;
  /** Reasons it must ask that no rule can lift (only bypass mode can). */
  cautions: string[];
}

export function commandFacts(command: CommandBreakdown, cwd: string, bases: PathBases): CommandFacts {
  const facts: CommandFacts = { cautions: [] };
  if (command.risk === "critical") {
    facts.critical = command.reasons.filter((r) => r.risk === "critical").map((r) => r.detail).join("; ");
    return facts;
  }
  if (command.unparsed.length > 0) {
    facts.cautions.push(`wren cannot fully read this command (${[...new Set(command.unparsed)].join("; ")}), so it asks.`);
  }
  // A high verdict no single part carries (it comes from how the parts combine) cannot be allowed part by part.
  if (command.risk === "high" && !command.parts.some((p) => p.risk === "high")) {
    const why = command.reasons.filter((r) => r.risk === "high").map((r) => r.detail);
    if (command.unparsed.length === 0) facts.cautions.push(`This command is high-risk (${why.join("; ")}), so it asks.`);
  }
  for (const write of command.writes) pushDefined(facts.cautions, writeCaution(write, "writes", bases));
  for (const change of command.changes) pushDefined(facts.cautions, change.tree ? treeCaution(change, bases) : writeCaution(change, change.unpacks ? "may write any file below" : change.folder ? "writes files into" : "changes", bases));
  for (const written of command.writePatterns) pushDefined(facts.cautions, globCaution(written.display, written.pattern, bases));
  // Keys, credentials and shell start-up files in home ask as the Read tool's do, whatever rule allows the command (`cat *`).
  for (const read of command.reads) pushDefined(facts.cautions, sensitiveReadCaution(read, bases));
  for (const read of command.readPatterns) pushDefined(facts.cautions, sensitivePatternCaution(read, bases));
  if (!isInside(cwd, bases.projectRoot)) facts.cautions.push(`The command runs in ${cwd}, outside the project; that always asks.`);
  // After a `cd` out of the project, what a command reads there (`cd .. && ls`) is read outside it.
  for (const run of command.runsIn) {
    // A folder through a link comes as `ls → …`: the command is what comes before.
    const what = run.display.split(" → ")[0];
    if (run.target === undefined) facts.cautions.push(`The command runs ${what} after a cd to a folder wren cannot place before the command runs, which may be outside the project, so it asks.`);
    else if (!isInside(run.target, bases.projectRoot)) facts.cautions.push(`The command runs ${what} in ${run.target} after a cd, outside the project; that always asks.`);
  }
  return facts;
}

/**
 * Why a file a command writes asks whatever the rules (only bypass mode lets it through), or
 * undefined: one judgement for redirections (`> F`) and for files and folders named in arguments
 * (`cp x F`, `tee F`, `tar -x -C DIR`), so `cp x ~/notes` asks as `echo x > ~/notes` does. A file
 * wren cannot place (a run-time value, a relative path after a `cd` it cannot follow), one outside
 * the project, and wren's own folder and the repository's hooks and config always ask.
 */
function writeCaution(write: RedirectWrite, verb: string, bases: PathBases): string | undefined {
  if (write.target === undefined) return `The command ${verb === "writes" ? "writes to" : verb} ${write.display}, a ${write.folder ? "folder" : "file"} wren cannot place before the command runs.`;
  if (!isInside(write.target, bases.projectRoot)) {
    const where = path.isAbsolute(write.display) || write.display.endsWith(` → ${write.target}`) ? write.display : `${write.display} (${write.target})`;
    return `The command ${verb} ${where}, outside the project; that always asks.`;
  }
  const why = write.unpacks ? unpackedReason(write.target, bases.projectRoot) : write.folder ? protectedFolderReason(write.target, bases.projectRoot) : protectedReason(write.target, bases.projectRoot);
  return why ? `The command ${verb} ${write.display}: ${why}.` : undefined;
}

/** Why rewriting a git work tree asks every time: outside the project as any write there does, inside for wren's own settings. */
function treeCaution(tree: RedirectWrite, bases: PathBases): string {
  const of = tree.display === "." ? "" : ` of ${tree.display}`;
  if (tree.target !== undefined && !isInside(tree.target, bases.projectRoot)) return writeCaution(tree, "rewrites the work tree of", bases) ?? "";
  return `The command rewrites the work tree${of} from a commit, a branch, a stash or the index: ${TREE_REASON}.`;
}

/** The places no rule may open, as patterns a glob may reach: wren's own folder, the repository's hooks and config. */
const GUARDED = [".wren", ".git/hooks", ".git/config"].map((p) => ({ place: p, pattern: compilePathPattern(p) }));

/** Why a glob a command writes asks every time: it may name a file in a place no rule may open (`rm .w*\/settings.toml`). */
function globCaution(display: string, pattern: PatternRead["pattern"], bases: PathBases): string | undefined {
  // A glob below a guarded place as written (`.wren/*.toml`) is judged by its literal part already.
  if (!pattern.glob || protectedReason(pattern.text, bases.projectRoot)) return undefined;
  const place = GUARDED.find((g) => mayReach(pattern, g.pattern, bases));
  if (!place) return undefined;
  const why = protectedReason(path.join(bases.projectRoot, place.place), bases.projectRoot) ?? "";
  return `The command writes ${display}, a pattern that may name a file in ${place.place}: ${why}.`;
}

const SENSITIVE_REASON = "keys, credentials and shell start-up files in home are read only when you say so, every time";

/** The sensitive places in home as patterns a glob or a folder read whole may reach (`cat ~/.ss*\/id_*`, `grep -r KEY ~`). */
const SENSITIVE = SENSITIVE_HOME.map((p) => ({ place: `~/${p}`, pattern: compilePathPattern(`~/${p}`) }));

/** Why a file a command reads asks whatever the rules: it is a key, a credential or a start-up file in home (`cat ~/.ssh/id_rsa`). */
function sensitiveReadCaution(read: RedirectWrite, bases: PathBases): string | undefined {
  if (read.target === undefined || classifyPath(read.target, { cwd: bases.projectRoot, home: bases.home }) !== "home-sensitive") return undefined;
  return `The command reads ${read.display}: ${SENSITIVE_REASON}.`;
}

/**
 * Why a glob or a folder read whole asks whatever the rules: it may reach a sensitive place in home.
 * A run-time value (`cat "$F"`) is left to the deny rules it may reach, as before: judged as
 * reaching everywhere, it would make every such command ask.
 */
function sensitivePatternCaution(read: PatternRead, bases: PathBases): string | undefined {
  if (read.pattern.text.includes("\u0000")) return undefined;
  const place = SENSITIVE.find((s) => mayReach(read.pattern, s.pattern, bases));
  return place ? `The command reads ${read.display}, which may reach ${place.place}: ${SENSITIVE_REASON}.` : undefined;
}

function pushDefined(list: string[], item: string | undefined): void {
  if (item !== undefined) list.push(item);
}
