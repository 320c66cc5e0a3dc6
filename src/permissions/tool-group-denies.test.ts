import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionAction, PermissionMode, PermissionRule } from "./types.js";

/**
 * A deny or ask rule that names one tool that changes files (`Write(secrets/**)`) keeps out every
 * tool that changes files: `Edit` changes what `Write` would, as `echo x > F` does, which the rule
 * already refuses. An allow rule stays as narrow as written.
 */
const root = "/home/ada/code/app";
const home = "/home/ada";

describe("deny and ask rules for one tool that changes files", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (tool: string, effect: "read" | "write", rule: PermissionRule, mode: PermissionMode = "accept-edits") =>
    decide({ tool, effect, paths: [`${root}/secrets/a.txt`] }, { rules: [rule], mode, projectRoot: root, home, interactive: true, commands, realPath: (p) => p });
  const rule = (action: PermissionAction, pattern: string): PermissionRule => ({ action, pattern, scope: "user" });

  it.each(["Edit", "Write", "NotebookEdit"])("deny Write(secrets/**) refuses %s there", (tool) => {
    const decision = decided(tool, "write", rule("deny", "Write(secrets/**)"));
    expect(decision.action, decision.reason).toBe("deny");
  });

  it("ask Write(secrets/**) asks before Edit changes a file there, in accept-edits mode too", () => {
    expect(decided("Edit", "write", rule("ask", "Write(secrets/**)")).action).toBe("ask");
  });

  it("an allow rule for Write does not allow Edit", () => {
    const decision = decided("Edit", "write", rule("allow", "Write(secrets/**)"), "default");
    expect(decision.action, decision.reason).toBe("ask");
  });
});

describe("shell commands under a deny rule for one file tool", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());

  it.each<[string, string]>([
    ["echo x > secrets/a.txt", "MultiEdit(secrets/**)"],
    ["cp notes.txt secrets/a.txt", "NotebookEdit(secrets/**)"],
  ])("%j is refused by deny %s", (command, pattern) => {
    const rules: PermissionRule[] = [
      { action: "allow", pattern: "Bash", scope: "user" },
      { action: "deny", pattern, scope: "user" },
    ];
    const decision = decide({ tool: "Bash", effect: "execute", command }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });
    expect(decision.action, decision.reason).toBe("deny");
  });
});
