import { lstatSync } from "node:fs";
import path from "node:path";
import type { CommandBreakdown, PatternRead, RedirectWrite } from "./command-parts.js";
import { mayReach } from "./glob-reach.js";
import { compilePathPattern, isInside, type PathBases } from "./path-pattern.js";
import { configuredInProject, protectedFolderReason, protectedReason, repositoryReason, TREE_REASON, unpackedReason, WREN_FOLDER } from "./protected-paths.js";
import { gitSearch, repositoryTops } from "./repository-top.js";
import { classifyPath, SENSITIVE_HOME } from "../shell/paths.js";
import { RUN_TIME } from "../shell/ir.js";

/** What is true of a command line as a whole, beyond its parts. */
export interface CommandFacts {
  /** Why it is critical, when it is: it then asks for a typed `yes` whatever the rules and mode say. */
  critical?: string;
  /** Reasons it must ask that no rule can lift (only bypass mode can). */
  cautions: string[];
  /**
   * Work trees the line rewrites whole that wren can guard instead of asking: it copies its own
   * folder (`.wren/`) before the command runs and puts it back after (see `PermissionDecision.guard`).
   */
  guarded: string[];
}

export function commandFacts(command: CommandBreakdown, cwd: string, bases: PathBases): CommandFacts {
  const facts: CommandFacts = { cautions: [], guarded: [] };
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
  const trees = command.changes.filter((change) => change.tree);
  // Guarded only where every tree the line rewrites can be: where one asks, the question says the settings may change.
  const guarded = trees.length > 0 && trees.every((tree) => guardable(tree, command, bases));
  if (guarded) facts.guarded.push(...trees.map((tree) => tree.display));
  for (const change of command.changes) {
    if (change.tree && guarded) continue;
    pushDefined(facts.cautions, change.tree ? treeCaution(change, bases) : writeCaution(change, change.unpacks ? "may write any file below" : change.folder ? "writes files into" : "changes", bases));
  }
  for (const written of command.writePatterns) pushDefined(facts.cautions, globCaution(written.display, written.pattern, bases));
  for (const repository of command.repositories) pushDefined(facts.cautions, repositoryCaution(repository, [...command.writes, ...command.changes], bases));
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

/**
 * Why a git command asks every time for the repository it uses: one it is told (`--git-dir DIR`,
 * `git init --bare DIR`), or the one it finds where it runs, whose config and hooks are not protected
 * (see `repositoryReason`). A folder not there yet, or a run-time value, is judged as the writes there are.
 */
function repositoryCaution(repository: RedirectWrite, written: readonly RedirectWrite[], bases: PathBases): string | undefined {
  if (repository.target === undefined) return undefined;
  const search = repository.gitDir ? { folder: repository.target, top: repository.target, passed: [] } : gitSearch(repository.target);
  // The line may make one of the folders git looks in first a repository: a HEAD or a config written there, or a folder filled whole.
  const made = search.passed.find((at) => isInside(at, bases.projectRoot) && written.some((w) => w.target !== undefined && (((w.unpacks ?? false) && isInside(at, w.target)) || (path.dirname(w.target) === at && /^(HEAD|config)$/.test(path.basename(w.target))))));
  if (made) return `The command runs git in ${repository.display}, and writes there first what could make ${path.relative(bases.projectRoot, made) || "."} a repository of its own: ${repositoryReason(made, bases.projectRoot) ?? ""}.`;
  const folder = search.folder;
  const why = folder === undefined ? undefined : repositoryReason(folder, bases.projectRoot, search.top);
  if (!why || folder === undefined) return undefined;
  const shown = path.relative(bases.projectRoot, folder) || ".";
  return repository.gitDir || path.resolve(folder) === path.resolve(repository.target)
    ? `The command runs git with ${repository.display} as its repository: ${why}.`
    : `The command runs git in ${repository.display}, which takes ${shown} as its repository: ${why}.`;
}

/** Why rewriting a git work tree asks every time: outside the project as any write there does, inside for wren's own settings. */
function treeCaution(tree: RedirectWrite, bases: PathBases): string {
  const of = tree.display === "." ? "" : ` of ${tree.display}`;
  if (tree.target !== undefined && !isInside(tree.target, bases.projectRoot)) return writeCaution(tree, "rewrites the work tree of", bases) ?? "";
  const configured = configuredInProject(bases.projectRoot);
  const also = configured.length > 0 ? ` It may also bring what git runs into ${configured.join(", ")}, which the repository's config makes its hooks or config.` : "";
  return `The command rewrites the work tree${of} from a commit, a branch, a stash or the index: ${TREE_REASON}.${also}`;
}

/**
 * Whether a work tree git rewrites whole can run under its rules with wren's own folder guarded
 * (copied before, put back after) rather than asking every time. Only where what could change the
 * folder is done when the command returns, and the tree is the project's:
 * - git alone rewrites it (`RedirectWrite.plainTree`: no program the model chose runs in it, no
 *   `GIT_DIR=`/`GIT_WORK_TREE=` or `--work-tree`), and nothing on the line goes on in the background;
 * - it runs inside the project, outside wren's own folder, in a repository whose top is the
 *   project's or above it: a repository below the project's root (one the model may have made with
 *   `git init`) has hooks the model may write, which could leave a job behind;
 * - wren's own folder is a folder (or is not there), which wren can copy and put back.
 */
function guardable(tree: RedirectWrite, command: CommandBreakdown, bases: PathBases): boolean {
  if (!tree.plainTree || command.detached || tree.target === undefined || !isInside(tree.target, bases.projectRoot)) return false;
  if (protectedFolderReason(tree.target, bases.projectRoot) !== undefined) return false;
  // wren puts back only its own folder: hooks or config the repository's config keeps in the tree would stay.
  if (configuredInProject(bases.projectRoot).length > 0) return false;
  const root = path.resolve(bases.projectRoot);
  if (repositoryTops(tree.target).some((top) => top !== root && isInside(top, root))) return false;
  try {
    return lstatSync(path.join(root, WREN_FOLDER)).isDirectory();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** The places no rule may open, as patterns a glob may reach: wren's own folder, the repository's hooks and config, its submodules' and work trees' git folders. */
const GUARDED = [".wren", ".git/hooks", ".git/config", ".git/config.worktree", ".git/modules", ".git/worktrees"].map((p) => ({ place: p, pattern: compilePathPattern(p) }));

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
  if (read.pattern.text.includes(RUN_TIME)) return undefined;
  const place = SENSITIVE.find((s) => mayReach(read.pattern, s.pattern, bases));
  return place ? `The command reads ${read.display}, which may reach ${place.place}: ${SENSITIVE_REASON}.` : undefined;
}

function pushDefined(list: string[], item: string | undefined): void {
  if (item !== undefined) list.push(item);
}
