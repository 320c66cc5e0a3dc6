import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `git rm -f` removes tracked files with changes not yet committed (plain `git rm` refuses those),
 * and `git worktree remove --force` deletes a worktree with its changes and untracked files (plain
 * `remove` refuses a dirty one): both lose work for good, as `git checkout -- .` and `git clean -f` do.
 */
const rated = shellRater();
const root = mkdtempSync(path.join(os.tmpdir(), "wren-git-forced-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "", HOME: root, GIT_CONFIG_NOSYSTEM: "1" },
  });

describe("git's forced removals lose uncommitted work", () => {
  it("git rm refuses a changed file and git rm -f removes it with the change; worktree remove likewise", () => {
    const repo = path.join(root, "repo");
    git(root, "init", "-q", repo);
    writeFileSync(path.join(repo, "a.txt"), "committed\n");
    git(repo, "add", "a.txt");
    git(repo, "commit", "-qm", "a");
    writeFileSync(path.join(repo, "a.txt"), "not committed\n");
    expect(git(repo, "rm", "-r", ".").status).not.toBe(0);
    expect(readFileSync(path.join(repo, "a.txt"), "utf8")).toBe("not committed\n");
    expect(git(repo, "rm", "-rf", ".").status).toBe(0);
    expect(existsSync(path.join(repo, "a.txt"))).toBe(false);

    const tree = path.join(root, "tree");
    expect(git(repo, "worktree", "add", "-q", tree).status).toBe(0);
    writeFileSync(path.join(tree, "notes.txt"), "untracked work\n");
    expect(git(repo, "worktree", "remove", tree).status).not.toBe(0);
    expect(existsSync(path.join(tree, "notes.txt"))).toBe(true);
    expect(git(repo, "worktree", "remove", "--force", tree).status).toBe(0);
    expect(existsSync(path.join(tree, "notes.txt"))).toBe(false);
  });

  it.each<[string, string]>([
    ["git rm -rf .", "git checkout -- ."],
    ["git rm -f a.txt", "git checkout -- ."],
    ["git rm --force -r src", "git checkout -- ."],
    ["git worktree remove --force ../x", "git clean -fd"],
    ["git worktree remove -f ../x", "git clean -fd"],
  ])("%s rates as %s", (line, twin) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(rated(twin).risk);
    expect(r.risk, r.shown).not.toBe("safe");
  });

  it("the forms git refuses to lose work with stay safe", () => {
    for (const line of ["git rm -r .", "git rm -r --cached .", "git rm -rf --cached .", "git rm -rfn .", "git worktree remove ../x", "git worktree add ../x", "git worktree prune"]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});
