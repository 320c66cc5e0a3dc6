import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionAction, PermissionRule } from "./types.js";

/**
 * Deny and ask rules see the command a wrapper runs, its options read as getopt reads them: in a
 * bundle of short options the first one that takes a value takes the next word when it ends the
 * bundle (`sudo -iu root rm …` runs rm as root, not a command named `root`).
 */
const root = path.resolve("/work/proj");
const home = path.resolve("/home/u");

function rule(text: string): PermissionRule {
  const space = text.indexOf(" ");
  return { action: text.slice(0, space) as PermissionAction, pattern: text.slice(space + 1), scope: "project" };
}

let commands: CommandAnalyzer;
beforeAll(async () => {
  commands = await createCommandAnalyzer();
});
afterAll(() => commands.dispose());

function decided(command: string, rules: string[]): ReturnType<typeof decide> {
  return decide({ tool: "Bash", effect: "execute", command }, { rules: rules.map(rule), mode: "default", projectRoot: root, home, interactive: true, commands });
}

describe("a deny rule sees the command behind a wrapper whose value option ends a bundle", () => {
  it.each([
    "sudo -iu root rm -rf build",
    "sudo -Eu root rm -rf build",
    "sudo -nu root -- rm -rf build",
    "doas -nu root rm -rf build",
    "env -iu HOME rm -rf build",
    "timeout -vs KILL 5 rm -rf build",
    "nice -n5 rm -rf build",
    "xargs -0i rm -rf {}",
    "xargs -i rm -rf {}",
    "xargs -l rm -rf",
    "find . -name x | xargs -rn1 rm -rf",
  ])("%j is denied by deny Bash(rm *)", (command) => {
    const decision = decided(command, ["allow Bash", "deny Bash(rm *)"]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Bash(rm *)");
  });

  it.each(["sudo -iu root rm -rf build", "sudo -Eu root rm -rf build"])("%j is denied under allow Bash(sudo -iu root *) too", (command) => {
    const decision = decided(command, ["allow Bash(sudo -iu root *)", "allow Bash(sudo -Eu root *)", "deny Bash(rm *)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });

  it.each([
    // The value is inside the bundle: the next word is the command.
    ["sudo -uroot ls build", "allow"],
    ["sudo -iu root ls build", "allow"],
  ] as const)("%j is not taken for rm: %s", (command, action) => {
    const decision = decided(command, ["allow Bash", "deny Bash(rm *)"]);
    expect(decision.action, decision.reason).toBe(action);
  });
});
