import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { ShellKind } from "../shell/types.js";
import type { PermissionRule } from "./types.js";

/** A download saved to a file (`curl -o F`, `wget -O F`) and PowerShell's Start-Transcript write that file, for Edit rules too. */
const root = "/home/ada/code/app";
const home = "/home/ada";
const rules: PermissionRule[] = [
  { action: "allow", pattern: "Bash", scope: "project" },
  { action: "deny", pattern: "Edit(notes.txt)", scope: "project" },
];

describe("files a download or a transcript writes", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (command: string, shell: ShellKind) =>
    decide({ tool: "Bash", effect: "execute", command }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, shell });

  it.each<[string, ShellKind]>([
    ["curl -o notes.txt https://x.example/a", "bash"],
    ["curl -fsSLo notes.txt https://x.example/a", "bash"],
    ["curl --output=notes.txt https://x.example/a", "bash"],
    ["wget -qO notes.txt https://x.example/a", "bash"],
    ["sudo wget --output-document notes.txt https://x.example/a", "bash"],
    ["Start-Transcript notes.txt", "powershell"],
  ])("%j is denied by Edit(notes.txt)", (command, shell) => {
    const decision = decided(command, shell);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Edit(notes.txt)");
  });

  it.each<[string, ShellKind]>([
    ["curl -o - https://x.example/a", "bash"],
    ["wget -qO- https://x.example/a", "bash"],
    ["curl -o other.txt https://x.example/a", "bash"],
  ])("%j writes no denied file", (command, shell) => {
    expect(decided(command, shell).action).toBe("allow");
  });
});
