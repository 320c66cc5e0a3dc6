import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultSessionShell } from "../tools/session-shell.js";
import { environmentFacts, gitSummary, shellName } from "./environment.js";

describe("the system prompt's git summary", () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  beforeEach(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), "wren-git-summary-"));
    git("init", "-q");
    writeFileSync(path.join(repo, "a.txt"), "a");
    git("add", "a.txt");
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it("summarises the branch and the changed files", async () => {
    expect(await gitSummary(repo, undefined, 60_000)).toMatch(/^branch \S+, 1 changed file$/);
  });

  it("does not wait for a git status that hangs: it answers within its bound and says so", async () => {
    // A real git whose status cannot finish: git runs the fsmonitor hook before reporting and waits
    // for it. The hook ends once the test has removed the repository (git itself is stopped by the bound).
    const hook = `setInterval(() => require('fs').existsSync('${repo.replace(/\\/g, "/")}') || process.exit(), 50)`;
    git("config", "core.fsmonitor", `"${process.execPath.replace(/\\/g, "/")}" -e "${hook}" >/dev/null 2>&1 #`);
    expect(await gitSummary(repo, undefined, 200)).toMatch(/^git status did not answer within 200 ms/);
  });
});

describe("the system prompt's shell", () => {
  it("names the shell the Bash tool runs commands in, not the user's own", async () => {
    expect(shellName("powershell")).toBe("PowerShell (powershell.exe)");
    expect(shellName("bash")).toBe("bash");
    // Whatever SHELL says (zsh, fish, or cmd.exe's COMSPEC on Windows), the prompt names the tool's shell.
    const facts = await environmentFacts(process.cwd());
    expect(facts.shell).toBe(shellName(await defaultSessionShell()));
    expect(facts.shell).not.toContain("/");
  });
});
