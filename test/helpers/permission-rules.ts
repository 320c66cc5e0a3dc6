import type { PermissionAction, PermissionRule } from "../../src/permissions/types.js";

/**
 * A rule as a table of cases writes it, its action first: `deny Read(~/.ssh/**)` is the deny rule
 * `Read(~/.ssh/**)` from `scope` (the project's settings unless said).
 */
export function ruleOf(text: string, scope: PermissionRule["scope"] = "project"): PermissionRule {
  const space = text.indexOf(" ");
  return { action: text.slice(0, space) as PermissionAction, pattern: text.slice(space + 1), scope };
}

/** {@link ruleOf} for each of `texts`. */
export function rulesOf(texts: readonly string[], scope: PermissionRule["scope"] = "project"): PermissionRule[] {
  return texts.map((text) => ruleOf(text, scope));
}
