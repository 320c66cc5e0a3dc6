import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionRule } from "./types.js";

/**
 * Command rules read PowerShell's $env:HOME and $env:USERPROFILE as the line's safety analysis does:
 * home, except on a line that may set them, where they are only known at run time.
 */
const root = "/home/ada/code/app";
const home = "/home/ada";
const allow = (pattern: string): PermissionRule => ({ action: "allow", pattern, scope: "project" });

describe("PowerShell's user folder variables in command rules", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (command: string, rules: PermissionRule[]) =>
    decide({ tool: "Bash", effect: "execute", command }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, shell: "powershell" });

  it.each([
    ["$env:HOME = '/'; Remove-Item -Recurse -Force $env:HOME/etc", "/home/ada/etc"],
    ["$env:USERPROFILE = '/'; Remove-Item -Recurse -Force $env:USERPROFILE/etc", "/home/ada/etc"],
    ["Set-Item Env:HOME /; Set-Content $env:HOME/etc/hosts x", "/home/ada/etc/hosts"],
  ])("a line that sets the variable does not have %j change %s", (command, inHome) => {
    const b = commands.breakdown(command, { shell: "powershell", cwd: root, home });
    expect(b.changes.map((c) => c.target), JSON.stringify(b.changes)).not.toContain(inHome);
    expect(b.parts.find((p) => !p.text.startsWith("$env:") && !p.text.startsWith("Set-Item"))?.dynamic, JSON.stringify(b.parts)).toBe(true);
  });

  it.each([
    "$env:HOME = '/'; Remove-Item $env:HOME/code/app/x.txt",
    "$env:HOME = '/'; Set-Content $env:HOME/code/app/x.txt hi",
    "$env:USERPROFILE = '/'; Remove-Item $env:USERPROFILE/code/app/x.txt",
  ])("allow Bash asks for %j: it changes a file wren cannot place, not one in the project", (command) => {
    const decision = decided(command, [allow("Bash")]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.reason).toMatch(/wren cannot place/);
  });

  it("allow Bash allows the same change of a file in the project through $env:HOME where the line does not set it", () => {
    expect(decided("Remove-Item $env:HOME/code/app/x.txt", [allow("Bash")]).action).toBe("allow");
    expect(decided("$env:FOO = 1; Remove-Item $env:USERPROFILE/code/app/x.txt", [allow("Bash")]).action).toBe("allow");
  });
});
