import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionMode, PermissionRule } from "./types.js";

/**
 * A command whose name is known only when it runs (`$(echo rm) x`, `` `printf rm` x ``) may be
 * the one a deny or ask rule names: it asks every time under such a rule, in bypass mode too, as a
 * path known only when it runs does under a path deny. Without one, it runs under its allow rule.
 */
const root = "/home/ada/code/app";
const home = "/home/ada";
const rules: PermissionRule[] = [
  { action: "allow", pattern: "Bash", scope: "project" },
  { action: "deny", pattern: "Bash(rm:*)", scope: "project" },
  { action: "ask", pattern: "Bash(git push:*)", scope: "project" },
];

describe("command names known only when they run", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (command: string, mode: PermissionMode = "default", given = rules) =>
    decide({ tool: "Bash", effect: "execute", command }, { rules: given, mode, projectRoot: root, home, interactive: true, commands, realPath: (p) => p });

  it.each(["$(echo rm) notes.txt", "`printf rm` notes.txt", "$(echo git push) origin main", "sudo $(echo rm) notes.txt", "CI=1 $(echo rm) notes.txt"])("%j asks under a deny or ask command rule it may be", (command) => {
    const decision = decided(command);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.reason).toMatch(/known only when it runs/);
    expect(decided(command, "bypass").action).toBe("ask");
  });

  it("runs under its allow rule where no deny or ask command rule is in force", () => {
    const decision = decided("$(echo ls) src", "default", [{ action: "allow", pattern: "Bash", scope: "project" }]);
    expect(decision.action, decision.reason).toBe("allow");
  });

  it("a known command name with run-time arguments is judged as before", () => {
    expect(decided("ls $(echo src)").action).toBe("allow");
  });
});

describe("a shell reading its script from /dev/stdin", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());

  it.each([". /dev/stdin <<< 'rm notes.txt'", "echo 'rm notes.txt' | source /dev/stdin", "bash /dev/stdin <<< 'rm notes.txt'", "echo 'rm notes.txt' | sh /dev/fd/0"])("%j is seen to run what it reads, which a deny rule stops", (command) => {
    const decision = decide({ tool: "Bash", effect: "execute", command }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Bash(rm:*)");
  });
});
