import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * The `.git` folder is the repository: its objects and refs hold every commit, branch, tag and
 * stash. Deleting it (or its `objects` or `refs`) loses all of them that were not pushed, which is
 * worse than `git clean -fdx` (`high`), so it is `high` whatever folder it sits in (a nested
 * repository's too), except in a temporary folder, as other deletions there. Other files named
 * `.git…` (`.github`, `.gitignore`) are tracked files, and a file in `.git/hooks` is no history:
 * they stay as deleting any project file is.
 */
const rated = shellRater();

describe("deleting a repository's history", () => {
  it.each([
    "rm -rf .git",
    "rm -rf ./.git",
    "rm -rf .git/",
    "rm -r .git",
    "rm -rf .git/objects",
    "rm -rf .git/refs",
    "rm -rf .git/objects/pack",
    "rm -rf .git/refs/heads",
    "rm -rf .git/*",
    "rm -rf sub/.git",
    "rm -rf /home/ada/code/app/.git",
    "rm -rf ../other/.git",
    "sudo rm -rf .git",
  ])("%s is high, as git clean -fdx is", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("high");
    expect(r.risk, r.shown).toBe(rated("git clean -fdx").risk);
    expect(r.details.join("\n"), r.shown).toMatch(/deletes the repository's history \(.*\.git.*\): commits not pushed, branches and stashes are lost/);
  });

  it("the same in PowerShell", () => {
    for (const line of ["Remove-Item -Recurse -Force .git", "rm -r -fo .git", "Remove-Item -Recurse .git\\objects"]) {
      const r = rated(line, "powershell");
      expect(r.risk, r.shown).toBe("high");
      expect(r.details.join("\n"), r.shown).toMatch(/deletes the repository's history/);
    }
  });

  it.each<[string, string]>([
    ["rm -rf .github", "moderate"],
    ["rm -rf .gitignore", "moderate"],
    ["rm -rf .git/hooks/pre-commit.sample", "moderate"],
    ["rm -rf .git/hooks", "moderate"],
    ["rm -rf .gitmodules", "moderate"],
    ["rm -rf /tmp/x/.git", "moderate"],
    ["rm -f .git", "moderate"],
    ["rm -rf build", "moderate"],
  ])("%s stays %s", (line, risk) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.join("\n"), r.shown).not.toMatch(/history/);
  });
});
