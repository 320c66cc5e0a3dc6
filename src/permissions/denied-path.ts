import os from "node:os";
import path from "node:path";
import { matchPathPattern } from "./path-pattern.js";
import { parseRulePattern } from "./rule-syntax.js";
import { matchesTool } from "./tool-names.js";
import type { PermissionRule } from "./types.js";

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
  const bases = { projectRoot: path.resolve(options.projectRoot), home: path.resolve(options.home ?? os.homedir()) };
  const target = path.resolve(bases.projectRoot, file);
  return options.rules.find((rule) => {
    if (rule.action !== "deny") return false;
    const parsed = parseRulePattern(rule.pattern);
    if (!matchesTool(parsed.tool, tool)) return false;
    return parsed.specifier.kind === "any" || (parsed.specifier.kind === "path" && matchPathPattern(parsed.specifier, target, bases));
  });
}
