import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flagRules } from "../permissions/rule-syntax.js";
import type { ShellKind } from "../shell/types.js";
import { openPermissionPolicy, platformShell } from "./agent-permissions.js";

describe("the agent's permission policy judges Bash in the session shell's grammar", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-policy-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // In PowerShell this deletes home; to bash it is an unknown program that the rule allows.
  const command = "Remove-Item -Recurse -Force ~";
  const decide = async (shell: (() => Promise<ShellKind | undefined>) | undefined) => {
    using policy = await openPermissionPolicy({
      flagRules: flagRules({ allow: ["Bash(Remove-Item *)"] }),
      projectRoot: root,
      interactive: true,
      ...(shell ? { shell } : {}),
      env: { WREN_HOME: path.join(root, "home") },
    });
    return policy.decide({ tool: "Bash", effect: "execute", command, cwd: root }, "default");
  };

  it("a PowerShell session: the command is critical, whatever the rule says", async () => {
    expect(await decide(async () => "powershell")).toMatchObject({ action: "ask", confirm: "typed-yes" });
  });

  it("a bash session: the rule allows it", async () => {
    expect(await decide(async () => "bash")).toMatchObject({ action: "allow", rule: { pattern: "Bash(Remove-Item *)" } });
  });

  it("a shell that does not say: the platform's (PowerShell on Windows, bash elsewhere)", async () => {
    expect(platformShell()).toBe(process.platform === "win32" ? "powershell" : "bash");
    expect((await decide(async () => undefined)).action).toBe(process.platform === "win32" ? "ask" : "allow");
  });
});

describe("the agent's permission policy judges what a Bash command writes where it really is", () => {
  it("a write through a link the repository holds to a denied file is refused, and to wren's own settings asks", async () => {
    const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "wren-agent-links-")));
    try {
      mkdirSync(path.join(root, "config"));
      mkdirSync(path.join(root, ".wren"));
      writeFileSync(path.join(root, "config", ".env"), "KEY=1\n");
      symlinkSync(path.join("config", ".env"), path.join(root, "notes.txt"));
      symlinkSync(path.join(".wren", "settings.toml"), path.join(root, "readme.txt"));
      using policy = await openPermissionPolicy({
        flagRules: flagRules({ allow: ["Bash(echo *)"], deny: ["Edit(config/.env)"] }),
        projectRoot: root,
        interactive: true,
        shell: async () => "bash",
        env: { WREN_HOME: path.join(root, "home") },
      });
      const bash = (command: string) => policy.decide({ tool: "Bash", effect: "execute", command, cwd: root }, "default");
      expect(await bash("echo x > notes.txt")).toMatchObject({ action: "deny", rule: { pattern: "Edit(config/.env)" } });
      expect(await bash("echo x > readme.txt")).toMatchObject({ action: "ask", reason: expect.stringMatching(/permission rules/) });
      expect(await bash("echo x > other.txt")).toMatchObject({ action: "allow" });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
