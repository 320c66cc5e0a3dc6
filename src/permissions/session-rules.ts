import { WrenError } from "../shared/errors.js";
import { parseRulePattern } from "./rule-syntax.js";
import type { PermissionDecision, PermissionRule } from "./types.js";

/**
 * Rules that live as long as the session: `session` replies, and `once` replies until the decision
 * they take part in (then they are used up). Rules for the project or the user go to the settings
 * files instead (see `savePermissionRule`).
 */
export class SessionRules {
  #rules: PermissionRule[] = [];

  /** Adds a `session` or `once` rule; throws `bad_request` for a pattern that is not a rule. */
  add(rule: PermissionRule): void {
    if (rule.scope !== "session" && rule.scope !== "once") {
      throw new WrenError("bad_request", `A ${rule.scope} rule does not belong in the session's rules.`, {
        hint: "Save project and user rules with savePermissionRule; pass flag rules with the others to decide().",
      });
    }
    parseRulePattern(rule.pattern);
    if (!this.#rules.some((r) => r.action === rule.action && r.pattern === rule.pattern && r.scope === rule.scope)) this.#rules.push(rule);
  }

  get rules(): readonly PermissionRule[] {
    return this.#rules;
  }

  /** Uses up the `once` rules that took part in a decision. */
  settle(decision: PermissionDecision): void {
    const used = [decision.rule, ...(decision.rules ?? [])].filter((r): r is PermissionRule => r?.scope === "once");
    if (used.length > 0) this.#rules = this.#rules.filter((r) => !used.some((u) => u.pattern === r.pattern && u.action === r.action && r.scope === "once"));
  }

  clear(): void {
    this.#rules = [];
  }
}
