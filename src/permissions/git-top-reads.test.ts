import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionAction } from "./types.js";

/**
 * git names `REV:PATH`, `:PATH` and the pathspec `:/PATH` from the top of the repository, not from
 * where it runs (unless PATH starts with `./` or `../`): a deny on the top's `.env` must see
 * `git show HEAD:.env` run in a subfolder. The repository is found as git finds it, on disk.
 */
describe("git reads named from the repository's top", () => {
  let commands: CommandAnalyzer;
  let dir: string;
  let project: string;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-git-top-"));
    project = path.join(dir, "proj");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    mkdirSync(path.join(project, "src", "deep"), { recursive: true });
    // A submodule or linked work tree: `.git` is a file there.
    mkdirSync(path.join(project, "sub", "pkg"), { recursive: true });
    writeFileSync(path.join(project, "sub", ".git"), "gitdir: ../.git/modules/sub\n");
    // A project that is no repository yet (the line may make one).
    mkdirSync(path.join(dir, "bare", "src"), { recursive: true });
  });
  afterAll(() => {
    commands.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const decideIn = (command: string, cwd: string, rules: string[], root = project) =>
    decide(
      { tool: "Bash", effect: "execute", command, cwd: path.join(root, cwd) },
      {
        rules: [{ action: "allow", pattern: "Bash(git *)", scope: "project" }, ...rules.map((pattern) => ({ action: "deny" as const, pattern, scope: "project" as const }))],
        mode: "default",
        projectRoot: root,
        home: path.join(dir, "home"),
        interactive: true,
        commands,
      },
    );

  const cases: { command: string; cwd: string; deny: string; expect: PermissionAction; root?: "bare" }[] = [
    // In a subfolder, REV:PATH is still the top's PATH.
    { command: "git show HEAD:.env", cwd: "src", deny: "Read(.env)", expect: "deny" },
    { command: "git show :.env", cwd: "src/deep", deny: "Read(.env)", expect: "deny" },
    { command: "git show :0:.env", cwd: "src", deny: "Read(.env)", expect: "deny" },
    { command: "git cat-file -p main:config/.env", cwd: "src", deny: "Read(config/.env)", expect: "deny" },
    { command: "git show HEAD:a.ts", cwd: "src", deny: "Read(src/a.ts)", expect: "allow" },
    { command: "git cat-file -p HEAD:.env", cwd: "src", deny: "Read(src/.env)", expect: "allow" },
    // `./` and `../` after the colon are from where git runs.
    { command: "git show HEAD:./.env", cwd: "src", deny: "Read(src/.env)", expect: "deny" },
    { command: "git show HEAD:../.env", cwd: "src/deep", deny: "Read(src/.env)", expect: "deny" },
    { command: "git show HEAD:./.env", cwd: "src", deny: "Read(.env)", expect: "allow" },
    // git -C DIR runs in DIR, whose repository's top is the same.
    { command: "git -C src show HEAD:.env", cwd: ".", deny: "Read(.env)", expect: "deny" },
    { command: "git -C src show HEAD:.env", cwd: ".", deny: "Read(src/.env)", expect: "allow" },
    { command: "cd src/deep && git show HEAD:.env", cwd: ".", deny: "Read(.env)", expect: "deny" },
    // A folder searched in a commit, and the pathspec :/DIR, are the top's too.
    { command: "git grep KEY HEAD:config -- a.ts", cwd: "src", deny: "Read(config/.env)", expect: "ask" },
    { command: "git grep KEY HEAD:config -- a.ts", cwd: "src", deny: "Read(src/config/.env)", expect: "allow" },
    { command: "git log -p -- :/config", cwd: "src", deny: "Read(config/.env)", expect: "ask" },
    // A repository inside the project (a submodule: .git is a file) has its own top.
    { command: "git show HEAD:.env", cwd: "sub/pkg", deny: "Read(sub/.env)", expect: "deny" },
    { command: "git show HEAD:.env", cwd: "sub/pkg", deny: "Read(.env)", expect: "allow" },
    // --work-tree is the top.
    { command: "git --work-tree=sub show HEAD:.env", cwd: ".", deny: "Read(sub/.env)", expect: "deny" },
    // With no repository above, any folder from where git runs up may become its top.
    { command: "git show HEAD:.env", cwd: "src", deny: "Read(.env)", expect: "deny", root: "bare" },
    { command: "git show HEAD:.env", cwd: "src", deny: "Read(src/.env)", expect: "deny", root: "bare" },
  ];

  it.each(cases)("$command in $cwd under deny $deny: $expect", (c) => {
    const decision = decideIn(c.command, c.cwd, [c.deny], c.root ? path.join(dir, c.root) : project);
    expect(decision.action, decision.reason).toBe(c.expect);
    if (c.expect === "deny") expect(decision.reason).toContain(`denied by ${c.deny}`);
    if (c.expect === "ask") expect(decision.reason).toContain(`denied by ${c.deny}`);
  });
});
