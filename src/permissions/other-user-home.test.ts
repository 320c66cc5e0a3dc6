import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { deniedBy } from "./denied-path.js";
import type { PermissionDecision, PermissionMode } from "./types.js";
import { ruleOf, rulesOf } from "../../test/helpers/permission-rules.js";

/**
 * `~alice` is alice's home, in rules as in commands. wren reads where only the current user's home
 * is (it is the session's home); another user's home it places where the shell analysis does
 * (beside this home, or `/home`), and deny and ask rules also match the other places it may be.
 */
let commands: CommandAnalyzer;
let home: string;
let project: string;
const me = os.userInfo().username;
beforeAll(async () => {
  commands = await createCommandAnalyzer();
  // In the temporary folder, so other users' homes are placed in /home.
  home = mkdtempSync(path.join(os.tmpdir(), "wren-users-home-"));
  project = mkdtempSync(path.join(os.tmpdir(), "wren-users-project-"));
});
afterAll(() => {
  commands.dispose();
  rmSync(home, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

const bash = (command: string, rules: string[], mode: PermissionMode = "default", at = home): PermissionDecision =>
  decide({ tool: "Bash", effect: "execute", command }, { rules: rulesOf(rules), mode, projectRoot: project, home: at, interactive: true, commands });
const read = (file: string, rules: string[], at = home): PermissionDecision =>
  decide({ tool: "Read", effect: "read", paths: [file] }, { rules: rulesOf(rules), mode: "default", projectRoot: project, home: at, interactive: true, commands });
/** The current user's home as the system's user database gives it, which wren's session home is. */
const mine = os.userInfo().homedir;

describe("path rules naming another user's home", () => {
  it.each(["cat ~alice/.ssh/id_rsa", "cat /home/alice/.ssh/id_rsa", "cat /Users/alice/.ssh/id_rsa", "cd ~alice && cat .ssh/id_rsa", "cd ~alice/.ssh; cat id_rsa"])("%s is refused by Read(~alice/.ssh/**), in bypass mode too", (line) => {
    const decision = bash(line, ["allow Bash", "deny Read(~alice/.ssh/**)"], "bypass");
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Read(~alice/.ssh/**)");
  });

  it("Edit(~alice/**) refuses writes there", () => {
    for (const line of ["rm ~alice/x", "echo x > ~alice/notes", "cd ~alice && cp /tmp/x notes"]) {
      const decision = bash(line, ["allow Bash", "deny Edit(~alice/**)"], "bypass");
      expect(decision.action, `${line}: ${decision.reason}`).toBe("deny");
    }
  });

  it("a glob that may reach another user's denied file asks", () => {
    const decision = bash("cat ~alice/.ss*/id_rsa", ["allow Bash", "deny Read(~alice/.ssh/**)"], "bypass");
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.reason).toContain("Read(~alice/.ssh/**)");
  });

  it("the Read tool is refused in each place that home may be", () => {
    for (const file of ["/home/alice/.ssh/id_rsa", "/Users/alice/.ssh/id_rsa"]) {
      expect(deniedBy("Read", file, { rules: [ruleOf("deny Read(~alice/.ssh/**)")], projectRoot: project, home })?.pattern, file).toBe("Read(~alice/.ssh/**)");
      expect(read(file, ["deny Read(~alice/.ssh/**)"]).action, file).toBe("deny");
    }
    expect(read("/home/bob/.ssh/id_rsa", ["allow Read", "deny Read(~alice/.ssh/**)"]).action).not.toBe("deny");
  });

  it("an ask rule naming another user's home asks for the Read tool", () => {
    const decision = read("/home/alice/notes.txt", ["allow Read", "ask Read(~alice/**)"]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.rule?.pattern).toBe("Read(~alice/**)");
  });

  it("an allow rule naming another user's home allows nothing: where that home is, wren does not know", () => {
    expect(read("/home/alice/notes.txt", ["allow Read(~alice/**)"]).action).toBe("ask");
    // Nor a folder of that name in the project, as it did when `~alice` was read as a relative path.
    expect(read(path.join(project, "~alice", "notes.txt"), ["deny Read(~alice/**)"]).action).not.toBe("deny");
  });

  it("~ followed by the current user's name is the home", () => {
    expect(bash("cat ~/.ssh/id_rsa", ["allow Bash", `deny Read(~${me}/.ssh/**)`], "bypass", mine).action).toBe("deny");
    expect(bash(`cat ~${me}/.ssh/id_rsa`, ["allow Bash", "deny Read(~/.ssh/**)"], "bypass", mine).action).toBe("deny");
    expect(read(path.join(mine, "notes.txt"), [`allow Read(~${me}/**)`], mine).action).toBe("allow");
    // Where the session's home is elsewhere, deny rules naming it so refuse both.
    expect(read(path.join(home, "notes.txt"), ["allow Read", `deny Read(~${me}/**)`]).action).toBe("deny");
  });
});

describe("command rules naming another user's home", () => {
  it.each(["cat ~alice/notes", "cat /home/alice/notes", "sudo cat ~alice/notes"])("%s is refused by Bash(cat ~alice/*)", (line) => {
    const decision = bash(line, ["allow Bash", "deny Bash(cat ~alice/*)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });

  it("an ask rule naming ~alice asks for a command that names it", () => {
    const decision = bash("cat ~alice/notes", ["allow Bash(cat *)", "allow Read", "ask Bash(cat ~alice/*)"]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.rule?.pattern).toBe("Bash(cat ~alice/*)");
  });

  it("a rule naming ~alice is not another user's", () => {
    expect(bash("cat ~bob/notes", ["allow Bash", "deny Bash(cat ~alice/*)"]).action).not.toBe("deny");
  });

  it("~ with the current user's name is the home in command rules", () => {
    expect(bash("rm -rf ~/x", ["allow Bash", `deny Bash(rm -rf ~${me}/*)`], "default", mine).action).toBe("deny");
    expect(bash(`rm -rf ~${me}/x`, ["allow Bash", "deny Bash(rm -rf ~/*)"], "default", mine).action).toBe("deny");
  });
});
