import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { parseRulePattern } from "./rule-syntax.js";
import type { PermissionRule } from "./types.js";

/**
 * Path rules written as users write paths elsewhere must not be read as a path that never matches:
 * a deny rule that silently matches nothing keeps nothing out. `//etc/**` (another assistant's
 * spelling of an absolute path) is `/etc/**`; `$HOME/.aws/**`, `${HOME}/x` and `%USERPROFILE%\x`
 * are refused with a way to write them, as wren does not expand variables in rules.
 */
const root = "/home/ada/code/app";
const home = "/home/ada";

describe("path rules in other spellings", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const read = (file: string, rules: PermissionRule[]) =>
    decide({ tool: "Read", effect: "read", paths: [file] }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });

  it.each(["Read(//home/ada/.aws/**)", "Read(///home/ada/.aws/**)", "Read(/home/ada//.aws/**)"])("deny %s keeps ~/.aws out", (pattern) => {
    const rules: PermissionRule[] = [
      { action: "allow", pattern: "Read(~/**)", scope: "user" },
      { action: "deny", pattern, scope: "user" },
    ];
    const decision = read("/home/ada/.aws/credentials", rules);
    expect(decision.action, decision.reason).toBe("deny");
  });

  it.each(["Read($HOME/.aws/**)", "Read(${HOME}/.aws/**)", "Edit(%USERPROFILE%/x)"])("%s is refused, saying how to write it", (pattern) => {
    expect(() => parseRulePattern(pattern)).toThrow(/variables.*~\//);
  });

  it("a folder whose name starts with $ is written ./", () => {
    const rules: PermissionRule[] = [{ action: "deny", pattern: "Read(./$x/**)", scope: "user" }];
    expect(read(`${root}/$x/a.txt`, rules).action).toBe("deny");
  });
});

describe("suggested rules for project paths that start with $ or %", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());

  it.each(["$x/a.txt", "%y%/b.txt"])("a rule suggested for %s is one wren reads", (file) => {
    const decision = decide({ tool: "Edit", effect: "write", paths: [`${root}/${file}`] }, { rules: [], mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });
    expect(decision.action).toBe("ask");
    const [suggestion] = decision.suggestions ?? [];
    expect(suggestion).toBe(`Edit(./${file})`);
    const rules: PermissionRule[] = [{ action: "allow", pattern: suggestion ?? "", scope: "session" }];
    expect(decide({ tool: "Edit", effect: "write", paths: [`${root}/${file}`] }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p }).action).toBe("allow");
  });
});
