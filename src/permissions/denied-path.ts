import os from "node:os";
import path from "node:path";
import type { CommandBreakdown, RedirectWrite } from "./command-parts.js";
import { mayReach } from "./glob-reach.js";
import { matchPathPattern, withRealBases, type PathBases } from "./path-pattern.js";
import { realPathSync } from "./real-paths.js";
import { parseRulePattern } from "./rule-syntax.js";
import { cautiouslyMatchesTool } from "./tool-names.js";
import type { PermissionRule } from "./types.js";
import { RUN_TIME } from "../shell/ir.js";

export interface DeniedPathOptions {
  rules: readonly PermissionRule[];
  projectRoot: string;
  /** Default: `os.homedir()`. */
  home?: string;
}

/**
 * The deny rule that keeps a tool away from one file, if any. A search of a whole folder (`Grep`,
 * `Glob`) is allowed as a call, but must leave out the files that deny rules name (`Read(**\/.env)`):
 * tools filter what they find with this.
 */
export function deniedBy(tool: string, file: string, options: DeniedPathOptions): PermissionRule | undefined {
  const bases = withRealBases({ projectRoot: path.resolve(options.projectRoot), home: path.resolve(options.home ?? os.homedir()) }, realPathSync);
  const target = path.resolve(bases.projectRoot, file);
  return options.rules.find((rule) => {
    if (rule.action !== "deny") return false;
    const parsed = parseRulePattern(rule.pattern);
    if (!cautiouslyMatchesTool(parsed.tool, tool)) return false;
    return parsed.specifier.kind === "any" || (parsed.specifier.kind === "path" && matchPathPattern(parsed.specifier, target, bases, true));
  });
}

/** A deny rule on a file a shell command reads or writes by argument or redirection. */
export interface ShellPathDenial {
  rule: PermissionRule;
  verb: "reads" | "writes";
  display: string;
}

/**
 * The deny rule that names a file a `Bash` command plainly reads (`cat .env` under `Read(**\/.env)`)
 * or writes (`cp x .env`, `echo x > .env` under `Edit(**\/.env)`), if any. Only rules that name
 * paths count: `Read` denied as a whole keeps the Read tool away, not `cat`. A path after a `cd`
 * wren cannot follow is tried as if it were in a folder of its own inside the project, so
 * `Read(**\/.env)` still finds it.
 */
export function deniedShellPath(command: CommandBreakdown, rules: readonly PermissionRule[], bases: PathBases): ShellPathDenial | undefined {
  const pathRules = rules.map((rule) => ({ rule, parsed: parseRulePattern(rule.pattern) })).filter((c) => c.rule.action === "deny" && c.parsed.specifier.kind === "path");
  const check = (verb: ShellPathDenial["verb"], tool: string, list: readonly RedirectWrite[]): ShellPathDenial | undefined => {
    for (const file of list) {
      if (file.folder) continue;
      const target = file.target ?? path.join(bases.projectRoot, "…", file.display);
      const hit = pathRules.find((c) => cautiouslyMatchesTool(c.parsed.tool, tool) && c.parsed.specifier.kind === "path" && matchPathPattern(c.parsed.specifier, target, bases, true));
      if (hit) return { rule: hit.rule, verb, display: file.display };
    }
    return undefined;
  };
  if (pathRules.length === 0) return undefined;
  return check("reads", "Read", command.reads) ?? check("writes", "Write", [...command.writes, ...command.changes]);
}

/** A deny rule a shell command may reach through a path known only as a pattern. */
export interface ShellPathReach {
  rule: PermissionRule;
  display: string;
  /** Why the path is a pattern: a glob or brace list, a run-time value, or a folder read whole. */
  how: "glob" | "run-time" | "folder";
  verb: "reads" | "writes";
}

/**
 * The deny rule a command may reach through a path known only as a pattern, if any: a read
 * (`cat .en*`, `cat $F`, `grep -r KEY .` under `Read(**\/.env)`) or a write (`rm .en*`,
 * `tar -xf a.tar -C src` under `Edit(**\/.env)`). No file is listed to find out, so
 * these ask (saying which rule) rather than run: a person can see what the pattern means.
 */
export function reachedShellPath(command: CommandBreakdown, rules: readonly PermissionRule[], bases: PathBases): ShellPathReach | undefined {
  const denies = rules.map((rule) => ({ rule, parsed: parseRulePattern(rule.pattern) })).filter((c) => c.rule.action === "deny" && c.parsed.specifier.kind === "path");
  const reach = (verb: ShellPathReach["verb"], tool: string, list: CommandBreakdown["readPatterns"]): ShellPathReach | undefined => {
    for (const one of list) {
      for (const { rule, parsed } of denies) {
        if (!cautiouslyMatchesTool(parsed.tool, tool) || parsed.specifier.kind !== "path" || !mayReach(one.pattern, parsed.specifier, bases)) continue;
        const how = one.pattern.recursive ? "folder" : one.pattern.text.includes(RUN_TIME) ? "run-time" : "glob";
        return { rule, display: one.display, how, verb };
      }
    }
    return undefined;
  };
  return reach("reads", "Read", command.readPatterns) ?? reach("writes", "Write", command.writePatterns);
}
