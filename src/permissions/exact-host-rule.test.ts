import { describe, expect, it } from "vitest";
import { exactHostRule } from "./exact-host-rule.js";
import type { PermissionRule, RuleScope } from "./types.js";

// WebFetch lets a name that reads as public resolve to a private network only where a rule the user
// wrote names that host exactly: a settings file's or a flag's, never a wildcard or a passing answer.

const allow = (pattern: string, scope: RuleScope = "user"): PermissionRule => ({ action: "allow", pattern, scope });
const host = "wiki.corp.example.com";

describe("exactHostRule", () => {
  it("finds an allow rule that names the host exactly, from a settings file or a flag", () => {
    for (const scope of ["user", "project", "flag"] as const) {
      const rule = allow(`WebFetch(domain:${host})`, scope);
      expect(exactHostRule("WebFetch", host, [allow("Bash(npm test)"), rule]), scope).toBe(rule);
    }
  });

  it("reads the host as a rule does: case, a trailing dot, IDN", () => {
    expect(exactHostRule("WebFetch", "Wiki.Corp.Example.COM.", [allow("WebFetch(domain:WIKI.corp.example.com)")])).toBeDefined();
    expect(exactHostRule("WebFetch", "xn--bcher-kva.corp.example", [allow("WebFetch(domain:bücher.corp.example)")])).toBeDefined();
  });

  it("finds none for a wildcard, the tool as a whole, another host, tool or action", () => {
    const none: PermissionRule[] = [
      allow("WebFetch(domain:*.corp.example.com)"),
      allow("WebFetch(domain:*.example.com)"),
      allow("WebFetch"),
      allow("WebFetch(*)"),
      allow("WebFetch(domain:corp.example.com)"),
      allow("WebFetch(domain:a.wiki.corp.example.com)"),
      allow(`WebSearch(domain:${host})`),
      { action: "ask", pattern: `WebFetch(domain:${host})`, scope: "user" },
    ];
    for (const rule of none) expect(exactHostRule("WebFetch", host, [rule]), rule.pattern).toBeUndefined();
  });

  it("finds none in an answer for once or for the session", () => {
    for (const scope of ["once", "session"] as const) expect(exactHostRule("WebFetch", host, [allow(`WebFetch(domain:${host})`, scope)]), scope).toBeUndefined();
  });

  it("finds none where a deny rule reaches the host", () => {
    for (const deny of [`WebFetch(domain:${host})`, "WebFetch(domain:*.example.com)", "WebFetch"]) {
      const rules: PermissionRule[] = [allow(`WebFetch(domain:${host})`), { action: "deny", pattern: deny, scope: "project" }];
      expect(exactHostRule("WebFetch", host, rules), deny).toBeUndefined();
    }
  });

  it("finds none for an empty host", () => {
    expect(exactHostRule("WebFetch", "", [allow("WebFetch")])).toBeUndefined();
  });
});
