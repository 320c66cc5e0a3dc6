import type { CommandBreakdown } from "./command-parts.js";
import { isInside, type PathBases } from "./path-pattern.js";
import { protectedFolderReason, protectedReason } from "./protected-paths.js";

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
  for (const write of command.writes) {
    if (write.target === undefined) facts.cautions.push(`The command writes to ${write.display}, a file wren cannot place before the command runs.`);
    else if (!isInside(write.target, bases.projectRoot)) facts.cautions.push(`The command writes ${write.display}, outside the project; that always asks.`);
    else if (protectedReason(write.target, bases.projectRoot)) facts.cautions.push(`The command writes ${write.display}: ${protectedReason(write.target, bases.projectRoot)}.`);
  }
  for (const change of command.changes) {
    if (change.target === undefined) facts.cautions.push(`The command changes ${change.display} after a cd wren cannot follow, so it cannot tell whether that is wren's own folder.`);
    else if (change.folder) {
      const why = protectedFolderReason(change.target, bases.projectRoot);
      if (why) facts.cautions.push(`The command writes files into ${change.display}: ${why}.`);
    } else if (protectedReason(change.target, bases.projectRoot)) facts.cautions.push(`The command changes ${change.display}: ${protectedReason(change.target, bases.projectRoot)}.`);
  }
  if (!isInside(cwd, bases.projectRoot)) facts.cautions.push(`The command runs in ${cwd}, outside the project; that always asks.`);
  return facts;
}
