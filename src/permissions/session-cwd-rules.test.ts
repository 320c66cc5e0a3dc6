import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionDecision, PermissionMode } from "./types.js";
import { rulesOf } from "../../test/helpers/permission-rules.js";

/**
 * The session's shell keeps its folder between calls (an earlier `cd /srv/data`), so a command's
 * relative paths start there: deny and ask command rules written with a path see them placed in
 * it, as after a `cd` on the line; allow rules still see the command as written.
 */
describe("deny and ask command rules see relative paths where the command starts", () => {
  let commands: CommandAnalyzer;
  let home: string;
  let project: string;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    home = mkdtempSync(path.join(os.tmpdir(), "wren-cwd-rules-home-"));
    project = mkdtempSync(path.join(os.tmpdir(), "wren-cwd-rules-project-"));
  });
  afterAll(() => {
    commands.dispose();
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  const decideIn = (cwd: string, command: string, rules: string[], mode: PermissionMode = "default"): PermissionDecision =>
    decide({ tool: "Bash", effect: "execute", command, cwd }, { rules: rulesOf(rules), mode, projectRoot: project, home, interactive: true, commands });

  it.each(["rm -rf old", "rm -fr old", "rm -rf ./old", "sudo rm -rf old"])("in /srv/data, %s is refused by deny Bash(rm -rf /srv/data/**)", (command) => {
    const decision = decideIn("/srv/data", command, ["allow Bash", "deny Bash(rm -rf /srv/data/**)"]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Bash(rm -rf /srv/data/**)");
  });

  it("in /srv, a relative path that leads into the rule's folder is refused; one beside it is not", () => {
    const rules = ["allow Bash", "deny Bash(rm -rf /srv/data/**)"];
    expect(decideIn("/srv", "rm -rf data/old", rules).action).toBe("deny");
    expect(decideIn("/srv", "rm -rf logs/old", rules, "bypass").action).toBe("allow");
  });

  it.each([
    ["~/.ssh", "rm id_rsa"],
    ["~/.ssh", "rm ./id_rsa"],
    ["~/.ssh", "sudo rm id_rsa"],
    ["~/.ssh", "rm known_hosts id_rsa"],
    ["~", "rm .ssh/id_rsa"],
    ["~/x", "rm ../.ssh/id_rsa"],
  ])("in %s, %s is refused by deny Bash(rm ~/.ssh/*)", (where, command) => {
    const cwd = path.join(home, where.slice(1));
    const decision = decideIn(cwd, command, ["allow Bash", "deny Bash(rm ~/.ssh/*)"]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Bash(rm ~/.ssh/*)");
  });

  it("a rule with the home written out sees the path written out", () => {
    const deny = `Bash(rm ${home}/.ssh/*)`;
    const decision = decideIn(path.join(home, ".ssh"), "rm id_rsa", ["allow Bash", `deny ${deny}`]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe(deny);
  });

  it("in /etc, cat shadow asks by ask Bash(cat /etc/shadow), in bypass mode too", () => {
    for (const mode of ["default", "bypass"] as const) {
      const decision = decideIn("/etc", "cat shadow", ["allow Bash", "ask Bash(cat /etc/shadow)"], mode);
      expect(decision.action, `${mode}: ${decision.reason}`).toBe("ask");
      expect(decision.reason).toContain("Bash(cat /etc/shadow)");
    }
  });

  it("a program named by a relative path is where the command starts", () => {
    const decision = decideIn("/opt/tools", "./wipe.sh --all", ["allow Bash", "deny Bash(/opt/tools/wipe.sh *)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });

  describe("in the project root", () => {
    it("a relative path is refused by a rule that names it placed there", () => {
      const deny = `Bash(rm ${project}/notes.txt)`;
      const decision = decideIn(project, "rm notes.txt", ["allow Bash", `deny ${deny}`]);
      expect(decision.action, decision.reason).toBe("deny");
      expect(decision.rule?.pattern).toBe(deny);
      // Without a cwd, the command starts in the project root too.
      const atRoot = decide({ tool: "Bash", effect: "execute", command: "rm notes.txt" }, { rules: rulesOf(["allow Bash", `deny ${deny}`]), mode: "default", projectRoot: project, home, interactive: true, commands });
      expect(atRoot.action, atRoot.reason).toBe("deny");
    });

    it.each([
      ["rm -rf old", "deny Bash(rm -rf /srv/data/**)"],
      ["rm id_rsa", "deny Bash(rm ~/.ssh/*)"],
      ["cat shadow", "ask Bash(cat /etc/shadow)"],
      ["rm notes.txt", `deny Bash(rm /elsewhere/notes.txt)`],
      ["./wipe.sh --all", "deny Bash(/opt/tools/wipe.sh *)"],
    ])("%s is not taken for what %s names", (command, rule) => {
      for (const mode of ["default", "bypass"] as const) {
        const decision = decideIn(project, command, ["allow Bash", rule], mode);
        expect(decision.action, `${mode}: ${decision.reason}`).toBe("allow");
      }
    });
  });

  it("an allow rule with a path still matches the command as written only", () => {
    const sub = path.join(project, "sub");
    const allow = `allow Bash(cat ${sub}/notes.txt)`;
    const decision = decideIn(sub, "cat notes.txt", [allow]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.reason).not.toContain(`allowed by Bash(cat ${sub}/notes.txt)`);
    // Nor the other way round: as written, it is what the rule names.
    const written = decideIn(sub, `cat ${sub}/notes.txt`, [allow]);
    expect(written.action, written.reason).toBe("allow");
  });

  it("a command with many relative words is placed all together, a bounded number of forms", () => {
    const words = Array.from({ length: 200 }, (_, i) => `f${i}`);
    const { parts } = commands.breakdown(`rm ${words.join(" ")}`, { cwd: "/srv/data", home });
    expect(parts).toHaveLength(1);
    expect(parts[0]?.forms.length).toBeLessThanOrEqual(4);
    expect(parts[0]?.forms).toContain(`rm ${words.map((w) => `/srv/data/${w}`).join(" ")}`);
    const decision = decideIn("/srv/data", `rm -rf ${words.join(" ")}`, ["allow Bash", "deny Bash(rm -rf /srv/data/**)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });
});
