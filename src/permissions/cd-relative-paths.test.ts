import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionDecision } from "./types.js";
import { rulesOf } from "../../test/helpers/permission-rules.js";

let commands: CommandAnalyzer;
let home: string;
let project: string;
beforeAll(async () => {
  commands = await createCommandAnalyzer();
  home = mkdtempSync(path.join(os.tmpdir(), "wren-cd-home-"));
  project = mkdtempSync(path.join(os.tmpdir(), "wren-cd-project-"));
});
afterAll(() => {
  commands.dispose();
  rmSync(home, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

const decideLine = (command: string, rules: string[]): PermissionDecision =>
  decide({ tool: "Bash", effect: "execute", command }, { rules: rulesOf(rules), mode: "default", projectRoot: project, home, interactive: true, commands });

describe("a relative path after a cd is judged where the cd leads", () => {
  it.each([
    "cd ~ && cat .ssh/id_rsa",
    "cd && cat .ssh/id_rsa",
    "cd $HOME && cat .ssh/id_rsa",
    'cd "$HOME" && cat .ssh/id_rsa',
    "cd ~/.ssh; cat id_rsa",
    "cd ~/.ssh && rm id_rsa",
    "cd ~/.ssh; rm id_rsa",
    "cd ~/.ssh && echo x > id_rsa",
    "cd ~/.ssh; cp /tmp/x id_rsa",
    "pushd ~/.ssh && rm id_rsa",
    "cd ~/x && cd ../.ssh && rm id_rsa",
  ])("%s is refused by a deny rule with the home written out", (line) => {
    const rules = ["allow Bash", `deny Read(${home}/.ssh/**)`, `deny Edit(${home}/.ssh/**)`];
    const decision = decideLine(line, rules);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decision.rule?.pattern).toMatch(/\.ssh\/\*\*\)$/);
  });

  it.each(["cd ~ && cat .ssh/id_rsa", "cd ~/.ssh; rm id_rsa"])("%s is refused by a deny rule written with ~", (line) => {
    const decision = decideLine(line, ["allow Bash", "deny Read(~/.ssh/**)", "deny Edit(~/.ssh/**)"]);
    expect(decision.action, decision.reason).toBe("deny");
  });

  it("a cd to an absolute folder places the paths after it there", () => {
    const secrets = path.join(home, "secrets");
    const decision = decideLine(`cd ${secrets} && cat key.pem`, ["allow Bash", `deny Read(${secrets}/**)`]);
    expect(decision.action, decision.reason).toBe("deny");
    expect(decideLine(`cd ${secrets} && rm key.pem`, ["allow Bash", `deny Edit(${secrets}/**)`]).action).toBe("deny");
  });

  it.each(['cd "$X" && cat id_rsa', 'cd "$X" && rm id_rsa', 'cd "$X" && echo x > id_rsa', "cd $(mktemp -d) && cp /tmp/x id_rsa", "cd - && cat id_rsa", "pushd && cat id_rsa", "popd; rm id_rsa"])(
    "%s, after a cd wren cannot follow, asks under a deny rule it may reach, in bypass mode too",
    (line) => {
      const rules = ["allow Bash", `deny Read(${home}/.ssh/**)`, `deny Edit(${home}/.ssh/**)`];
      for (const mode of ["bypass", "default"] as const) {
        const decision = decide({ tool: "Bash", effect: "execute", command: line }, { rules: rulesOf(rules), mode, projectRoot: project, home, interactive: true, commands });
        expect(decision.action, `${mode}: ${decision.reason}`).toBe("ask");
        expect(decision.reason).toContain(`${home}/.ssh/**`);
      }
    },
  );

  it("a file read after a cd wren cannot follow asks under Read denies, not under Edit denies", () => {
    const bypass = (rules: string[]): PermissionDecision =>
      decide({ tool: "Bash", effect: "execute", command: 'cd "$X" && cat notes.txt' }, { rules: rulesOf(rules), mode: "bypass", projectRoot: project, home, interactive: true, commands });
    expect(bypass(["allow Bash", "deny Edit(**/.env)"]).action).toBe("allow");
    // The folder it went to may be one named `.env`, which the rule covers whole.
    expect(bypass(["allow Bash", "deny Read(**/.env)"]).action).toBe("ask");
  });

  it("a redirection after a cd into the project is placed there, not asked as a file wren cannot place", () => {
    expect(decideLine("cd src && echo x > out.txt", ["allow Bash"]).action).toBe("allow");
    const guarded = decideLine("cd .wren && echo x > settings.toml", ["allow Bash"]);
    expect(guarded.action, guarded.reason).toBe("ask");
    expect(guarded.reason).toContain("settings.toml");
    expect(decideLine("cd src && echo x > /dev/null", ["allow Bash"]).action).toBe("allow");
  });

  it("a relative path after a cd elsewhere is not taken for the denied file", () => {
    const decision = decideLine("cd /tmp && cat .ssh/id_rsa", ["allow Bash", `deny Read(${home}/.ssh/**)`]);
    expect(decision.action, decision.reason).not.toBe("deny");
  });
});
