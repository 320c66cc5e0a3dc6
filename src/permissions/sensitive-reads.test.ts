import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionRule } from "./types.js";
import { ruleOf } from "../../test/helpers/permission-rules.js";

let commands: CommandAnalyzer;
beforeAll(async () => {
  commands = await createCommandAnalyzer();
});
afterAll(() => commands.dispose());

const home = path.resolve("/home/someone");
const project = path.join(home, "work", "app");
const rule = (text: string): PermissionRule => ruleOf(text, "flag");
const bash = (command: string, rules: string[], mode: "default" | "bypass" = "default", interactive = true) =>
  decide({ tool: "Bash", effect: "execute", command }, { rules: rules.map(rule), mode, projectRoot: project, home, interactive, commands, realPath: (abs) => abs });

describe("a command that reads keys, credentials or shell start-up files in home", () => {
  it("asks whatever rule allows the command, as the Read tool does: cat ~/.ssh/id_rsa under Bash(cat *)", () => {
    for (const [command, allow] of [
      ["cat ~/.ssh/id_rsa", "Bash(cat *)"],
      ["cat /home/someone/.aws/credentials", "Bash(cat *)"],
      ["head -n 5 ../../.netrc", "Bash(head *)"],
      ["grep token ~/.npmrc", "Bash(grep *)"],
      ["cat ~/.pypirc", "Bash(cat *)"],
      ["cat ~/.cargo/credentials.toml", "Bash(cat *)"],
      ["cat ~/.gem/credentials", "Bash(cat *)"],
      ["base64 < ~/.git-credentials", "Bash(base64)"],
      ["cat ~/.config/gh/hosts.yml", "Bash(cat *)"],
      ["cat ~/.my.cnf", "Bash(cat *)"],
      ["grep password ~/.pgpass", "Bash(grep *)"],
      ["cat ~/.ss*/id_*", "Bash(cat *)"],
      ["grep -r KEY ~", "Bash(grep *)"],
    ] as const) {
      const decision = bash(command, [`allow ${allow}`]);
      expect(decision, command).toMatchObject({ action: "ask", reason: expect.stringMatching(/keys, credentials and shell start-up files in home/) as string });
      // No one to ask (wren -p): refused, never run.
      expect(bash(command, [`allow ${allow}`], "default", false).action, command).toBe("deny");
    }
  });

  it("leaves other reads to their rules: files in the project, and outside it that are not keys or start-up files", () => {
    expect(bash("cat src/index.ts", ["allow Bash(cat *)"]).action).toBe("allow");
    expect(bash("grep -r TODO .", ["allow Bash(grep *)"]).action).toBe("allow");
    expect(bash("cat ~/notes.txt", ["allow Bash(cat *)"]).action).toBe("allow");
    expect(bash("cat ~/.condarc", ["allow Bash(cat *)"]).action).toBe("allow");
    expect(bash("cat ~/.config/pip/pip.conf", ["allow Bash(cat *)"]).action).toBe("allow");
    expect(bash('cat "$F"', ["allow Bash(cat *)"]).action).toBe("allow");
  });
});
