import { hostOf, matchDomainPattern } from "./domain-pattern.js";
import { parseRulePattern } from "./rule-syntax.js";
import { matchesTool } from "./tool-names.js";
import type { PermissionRule, RuleScope } from "./types.js";

/** Rules the user wrote: a settings file's (saved from the dialog's "always" too) or a flag's. */
const WRITTEN: ReadonlySet<RuleScope> = new Set(["user", "project", "flag"]);

/**
 * The allow rule the user wrote that names `host` exactly for `tool` (`WebFetch(domain:wiki.corp.example.com)`),
 * if any, and no deny rule reaches the host. WebFetch lets only such a host, though its name reads
 * as public, resolve to a private network: a rule for subdomains (`domain:*.example.com`), for the
 * whole tool, or an answer for once or the session never does, since none of them named this host
 * as one the user knows to be theirs.
 */
export function exactHostRule(tool: string, host: string, rules: readonly PermissionRule[]): PermissionRule | undefined {
  const name = hostOf(`http://${host}/`);
  if (!name) return undefined;
  const parsed = rules.map((rule) => ({ rule, parsed: parseRulePattern(rule.pattern) })).filter((c) => matchesTool(c.parsed.tool, tool));
  const denied = parsed.some(({ rule, parsed: p }) => rule.action === "deny" && (p.specifier.kind === "any" || (p.specifier.kind === "domain" && matchDomainPattern(p.specifier, name))));
  if (denied) return undefined;
  return parsed.find(({ rule, parsed: p }) => rule.action === "allow" && WRITTEN.has(rule.scope) && p.specifier.kind === "domain" && !p.specifier.subdomains && p.specifier.host === name)?.rule;
}
