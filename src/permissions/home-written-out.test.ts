import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionDecision } from "./types.js";
import { rulesOf } from "../../test/helpers/permission-rules.js";

/**
 * A deny rule may write the home out (`Bash(rm -rf /home/alice/**)`) where a command writes `~`, and
 * the other way round: bash expands the `~` before rm sees it, so both spellings are one command.
 * What bash makes of each word, with HOME set, is the path the rule is written with.
 */
describe("deny and ask rules see a command's home both as ~ and written out", () => {
  let commands: CommandAnalyzer;
  let home: string;
  let project: string;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    home = mkdtempSync(path.join(os.tmpdir(), "wren-home-"));
    project = mkdtempSync(path.join(os.tmpdir(), "wren-project-"));
  });
  afterAll(() => {
    commands.dispose();
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  const bashSays = (word: string): string =>
    execFileSync("bash", ["-c", `printf %s ${word}`], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: home }, cwd: project });

  const decideLine = (command: string, rules: string[]): PermissionDecision =>
    decide({ tool: "Bash", effect: "execute", command }, { rules: rulesOf(rules), mode: "default", projectRoot: project, home, interactive: true, commands });
  /** A rule's word for text bash gave: single quotes keep a `~` the text `~`, as bash kept it. */
  const quoted = (text: string): string => `'${text}'`;

  it.each(["~/x", "~", "~/'x'", '~/"a b"', "$HOME/x", '"$HOME"/x', "${HOME}/x", '"~/x"', "\\~/x", "~\"/x\""])("rm -rf %s is refused by a rule naming what bash makes of it", (word) => {
    const said = bashSays(word);
    const deny = `Bash(rm -rf ${quoted(said)})`;
    const decision = decideLine(`rm -rf ${word}`, ["allow Bash", `deny ${deny}`]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe(deny);
  });

  it.each(["rm -rf ~/x", "rm -fr ~/x", "sudo rm -rf ~/x", "bash -c 'rm -rf ~/x'", "FOO=1 rm -rf ~/x", "cd /tmp && rm -rf ~/x", "xargs rm -rf ~/x < /dev/null"])("%s is refused by Bash(rm -rf <home>/**)", (line) => {
    const deny = `Bash(rm -rf ${home}/**)`;
    const decision = decideLine(line, ["allow Bash", `deny ${deny}`]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe(deny);
  });

  it("a rule written with ~ still refuses the home written out, and one written out the home as ~", () => {
    expect(decideLine(`rm -rf ${home}/x`, ["allow Bash", "deny Bash(rm -rf ~/*)"]).action).toBe("deny");
    expect(decideLine(`cat ${home}/notes.txt`, ["allow Bash", "deny Bash(cat ~/notes.txt)"]).action).toBe("deny");
    expect(decideLine("cat ~/notes.txt", ["allow Bash", `deny Bash(cat ${home}/notes.txt)`]).action).toBe("deny");
  });

  it("an ask rule that writes the home out asks for ~, where an allow rule would let it run", () => {
    const ask = `Bash(cat ${home}/notes.txt)`;
    const decision = decideLine("cat ~/notes.txt", ["allow Bash(cat *)", "allow Read(~/**)", `ask ${ask}`]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.rule?.pattern).toBe(ask);
    expect(decideLine("cat ~/notes.txt", ["allow Bash(cat *)", "allow Read(~/**)"]).action).toBe("allow");
  });

  it("a quoted ~ is the text ~ in the project, not the home written out", () => {
    const decision = decideLine('rm -rf "~/x"', ["allow Bash", `deny Bash(rm -rf ${home}/*)`]);
    expect(decision.action, decision.reason).not.toBe("deny");
  });
});
