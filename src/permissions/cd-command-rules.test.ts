import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { ANYWHERE, compileCommandPattern } from "./command-pattern.js";
import { decide } from "./decide.js";
import type { PermissionDecision, PermissionMode } from "./types.js";
import { rulesOf } from "../../test/helpers/permission-rules.js";

/**
 * Deny and ask command rules written with a path (`Bash(rm ~/.ssh/*)`) see a command's relative
 * paths where a `cd` earlier on the line leads; allow rules still see the command as written.
 */
describe("deny and ask command rules see relative paths where a cd leads", () => {
  let commands: CommandAnalyzer;
  let home: string;
  let project: string;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    home = mkdtempSync(path.join(os.tmpdir(), "wren-cd-rules-home-"));
    project = mkdtempSync(path.join(os.tmpdir(), "wren-cd-rules-project-"));
  });
  afterAll(() => {
    commands.dispose();
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  const decideLine = (command: string, rules: string[], mode: PermissionMode = "default"): PermissionDecision =>
    decide({ tool: "Bash", effect: "execute", command }, { rules: rulesOf(rules), mode, projectRoot: project, home, interactive: true, commands });

  it.each([
    "cd ~/.ssh && rm id_rsa",
    "cd ~/.ssh; rm id_rsa",
    "cd ~ && rm .ssh/id_rsa",
    "cd && rm .ssh/id_rsa",
    "cd $HOME/.ssh && rm ./id_rsa",
    "cd ~/x && cd ../.ssh && rm id_rsa",
    "pushd ~/.ssh && rm id_rsa",
    "cd ~/.ssh && sudo rm id_rsa",
    "cd ~ && sudo rm .ssh/id_rsa",
    "cd ~/.ssh && rm *",
    "cd ~/.ssh && rm known_hosts id_rsa",
    // As without a cd, rm's flags only make it do more.
    "cd ~/.ssh && rm -f id_rsa",
  ])("%s is refused by deny Bash(rm ~/.ssh/*)", (line) => {
    const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe("Bash(rm ~/.ssh/*)");
  });

  it("a rule with the home written out sees the path written out", () => {
    const deny = `Bash(rm ${home}/.ssh/*)`;
    const decision = decideLine("cd ~/.ssh && rm id_rsa", ["allow Bash", `deny ${deny}`]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toBe(deny);
  });

  it.each(["cd /etc; cat shadow", "cd /etc && cat ./shadow", "cd /tmp && cd ../etc && cat shadow", "cd /etc/ssh && cat ../shadow"])("%s asks by ask Bash(cat /etc/shadow), in bypass mode too", (line) => {
    for (const mode of ["default", "bypass"] as const) {
      const decision = decideLine(line, ["allow Bash", "ask Bash(cat /etc/shadow)"], mode);
      expect(decision.action, `${mode}: ${decision.reason}`).toBe("ask");
      expect(decision.reason).toContain("Bash(cat /etc/shadow)");
    }
  });

  it.each(["cd /srv/data && rm -rf old", "cd /srv && rm -rf data/old", "cd /srv/data && rm -fr old"])("%s is refused by deny Bash(rm -rf /srv/data/**)", (line) => {
    const decision = decideLine(line, ["allow Bash", "deny Bash(rm -rf /srv/data/**)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });

  it("a program named by a relative path is where the cd leads", () => {
    for (const line of ["cd /opt/tools && ./wipe.sh --all", "cd /opt/tools && ./wipe.sh", "cd /opt && tools/wipe.sh -a"]) {
      const decision = decideLine(line, ["allow Bash", "deny Bash(/opt/tools/wipe.sh *)"]);
      expect(decision.action, `${line}: ${decision.reason}`).toBe("deny");
    }
  });

  it("a word that is not a path stays as written while a path beside it is placed", () => {
    const decision = decideLine("cd ~/.ssh && sed -i s/a/b/ config", ["allow Bash", "deny Bash(sed -i s/a/b/ ~/.ssh/config)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });

  it.each(["cd /tmp && rm id_rsa", "cd ~/.ssh && cat id_rsa", "rm id_rsa", "cd ~/.ssh && echo id_rsa"])("%s is not taken for what deny Bash(rm ~/.ssh/*) names", (line) => {
    const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"], "bypass");
    expect(decision.action, decision.reason).toBe("allow");
  });

  it("an allow rule with a path still matches the command as written only", () => {
    const decision = decideLine("cd /etc && cat hostname", ["allow Bash(cd *)", "allow Bash(cat /etc/hostname)"]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.reason).not.toContain("allowed by Bash(cat /etc/hostname)");
    // Nor the other way round: as written, it is what the rule names.
    expect(decideLine("cat /etc/hostname", ["allow Bash(cat /etc/hostname)"]).action).toBe("allow");
  });

  describe("a script run by sh -c, bash -c or zsh -c starts where the line is", () => {
    it.each([
      "cd ~/.ssh && sh -c 'rm id_rsa'",
      "cd ~/.ssh && bash -c 'rm id_rsa'",
      "cd ~/.ssh && zsh -c 'rm id_rsa'",
      "cd ~/.ssh && sudo sh -c 'rm id_rsa'",
      "cd ~ && bash -c 'rm .ssh/id_rsa'",
      "cd ~ && sh -c 'cd .ssh && rm id_rsa'",
      "cd ~/.ssh && sh -c \"bash -c 'rm id_rsa'\"",
      "cd ~/.ssh && echo 'rm id_rsa' | sh",
      "cd ~/.ssh && eval 'rm id_rsa'",
    ])("%s is refused by deny Bash(rm ~/.ssh/*)", (line) => {
      const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"]);
      expect(decision.action, decision.reason).toBe("deny");
      expect(decision.rule?.pattern).toBe("Bash(rm ~/.ssh/*)");
    });

    it("a project folder's file is refused by a rule that writes the project out", () => {
      const deny = `Bash(rm ${project}/sub/secrets/*)`;
      const decision = decideLine("cd sub && sh -c 'rm secrets/key'", ["allow Bash", `deny ${deny}`]);
      expect(decision.action, decision.reason).toBe("deny");
      expect(decision.rule?.pattern).toBe(deny);
    });

    it("a script's file elsewhere is not what the rule names", () => {
      for (const line of ["cd /tmp && sh -c 'rm id_rsa'", "sh -c 'rm id_rsa'", "cd ~/.ssh && sh -c 'cat id_rsa'"]) {
        const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"]);
        expect(decision.action, `${line}: ${decision.reason}`).not.toBe("deny");
      }
    });

    it("the session's shell, left in ~/.ssh by an earlier call, is where the script starts", () => {
      const decision = decide({ tool: "Bash", effect: "execute", command: "sh -c 'rm id_rsa'", cwd: path.join(home, ".ssh") }, { rules: rulesOf(["allow Bash", "deny Bash(rm ~/.ssh/*)"]), mode: "default", projectRoot: project, home, interactive: true, commands });
      expect(decision.action, decision.reason).toBe("deny");
    });

    it.each([`cd "$D" && sh -c 'rm id_rsa'`, `sh -c 'cd "$D" && rm id_rsa'`])("%s asks under deny Bash(rm ~/.ssh/*), in bypass mode too", (line) => {
      const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"], "bypass");
      expect(decision.action, decision.reason).toBe("ask");
      expect(decision.reason).toContain("Bash(rm ~/.ssh/*)");
    });
  });

  describe("after a cd wren cannot follow", () => {
    it.each(['cd "$D" && rm id_rsa', "cd - && rm id_rsa", "popd; rm id_rsa", 'cd "$D" && rm ../.ssh/id_rsa', 'cd "$D" && sudo rm id_rsa', 'cd "$D" && rm -rf id_rsa'])(
      "%s asks under deny Bash(rm ~/.ssh/*), in bypass mode too, and is not refused",
      (line) => {
        for (const mode of ["default", "bypass"] as const) {
          const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"], mode);
          expect(decision.action, `${mode}: ${decision.reason}`).toBe("ask");
          expect(decision.reason).toContain("Bash(rm ~/.ssh/*)");
        }
      },
    );

    it("a cd wren cannot follow asks under an ask rule with a path", () => {
      const decision = decideLine('cd "$D"; cat shadow', ["allow Bash", "ask Bash(cat /etc/shadow)"], "bypass");
      expect(decision.action, decision.reason).toBe("ask");
      expect(decision.reason).toContain("Bash(cat /etc/shadow)");
    });

    it.each(['cd "$D" && cat id_rsa', 'cd "$D" && rm', 'cd "$D" && shred id_rsa'])("%s runs in bypass mode under deny Bash(rm ~/.ssh/*): the command differs", (line) => {
      const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/*)"], "bypass");
      expect(decision.action, decision.reason).toBe("allow");
    });

    it("a command whose options differ from an ask rule's runs in bypass mode", () => {
      const decision = decideLine('cd "$D"; cat -n shadow', ["allow Bash", "ask Bash(cat /etc/shadow)"], "bypass");
      expect(decision.action, decision.reason).toBe("allow");
    });

    it("a relative path that cannot end as the rule's path does runs in bypass mode", () => {
      for (const line of ['cd "$D" && rm id_rsa', 'cd "$D" && rm notes.txt']) {
        const decision = decideLine(line, ["allow Bash", "deny Bash(rm ~/.ssh/config)", "deny Bash(rm id_ed25519)"], "bypass");
        expect(decision.action, `${line}: ${decision.reason}`).toBe("allow");
      }
    });
  });

  describe("a word in a folder wren cannot place may be any text of a word", () => {
    it.each([
      ["rm ~/.ssh/*", `rm ${ANYWHERE}/id_rsa`, true],
      ["rm ~/.ssh/id_rsa", `rm ${ANYWHERE}/id_rsa`, true],
      ["rm -rf /srv/data", `rm -rf ${ANYWHERE}`, true],
      ["cat /etc/shadow *", `cat ${ANYWHERE}/shadow`, true],
      ["rm ~/.ssh/config", `rm ${ANYWHERE}/id_rsa`, false],
      ["rm -rf ~/.ssh/*", `rm ${ANYWHERE}/id_rsa`, false],
      ["rm id_rsa", `rm ${ANYWHERE}/id_rsa`, false],
      ["cat /etc/shadow", `cat -n ${ANYWHERE}/shadow`, false],
      ["cp * /backup/*", `cp ${ANYWHERE}/a ${ANYWHERE}/b`, true],
    ] as const)("%s against %j: %s", (pattern, text, expected) => {
      expect(compileCommandPattern(pattern).test(text)).toBe(expected);
    });
  });
});
