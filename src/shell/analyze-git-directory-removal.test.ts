import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * The `.git` folder is the repository: its objects and refs hold every commit, branch, tag and
 * stash. Deleting it (or its `objects` or `refs`) loses all of them that were not pushed, which is
 * worse than `git clean -fdx` (`high`), so it is `high` whatever folder it sits in (a nested
 * repository's too), except in a temporary folder, as other deletions there. So is a glob the shell
 * may expand to `.git` (`.git*`, `.gi?`, `.[g]it`, `.??*`). Other files named `.git…` (`.github`,
 * `.gitignore`, and globs that can only match such names) are tracked files, and a file in
 * `.git/hooks` is no history: they stay as deleting any project file is.
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
    "rm -rf ./.git/",
    "rm -rf {.git,node_modules}",
  ])("%s is high, as git clean -fdx is", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("high");
    expect(r.risk, r.shown).toBe(rated("git clean -fdx").risk);
    expect(r.details.join("\n"), r.shown).toMatch(/deletes the repository's history \(.*\.git.*\): commits not pushed, branches and stashes are lost/);
  });

  it.each(["rm -rf .git*", "rm -rf .gi?", "rm -rf .[g]it", "rm -rf .g*", "rm -rf .??*", "rm -rf sub/.git*", "rm -rf .g*/objects", "rm -rf .gi?/*", "rm -rf .*", "rm -rf .[!.]*"])(
    "%s, a glob the shell may expand to .git, is high as rm -rf .git is",
    (line) => {
      const r = rated(line);
      expect(r.risk, r.shown).toBe("high");
      expect(r.details, r.shown).toContain(`deletes the repository's history (${line.slice("rm -rf ".length)}): commits not pushed, branches and stashes are lost`);
    },
  );

  it("the same in PowerShell", () => {
    for (const line of ["Remove-Item -Recurse -Force .git", "rm -r -fo .git", "Remove-Item -Recurse .git\\objects", "Remove-Item -Recurse -Force .git*"]) {
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
    // A glob that cannot match `.git`: `*` and `?` skip a leading dot, and these names are longer or other.
    ["rm -rf .github*", "moderate"],
    ["rm -rf .gitignore*", "moderate"],
    ["rm -rf .git?*", "moderate"],
    ["rm -rf ?git", "moderate"],
    ["rm -rf .[!g]it", "moderate"],
    ["rm -rf '.git*'", "moderate"],
    ["rm -rf /tmp/x/.git*", "moderate"],
  ])("%s stays %s", (line, risk) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.join("\n"), r.shown).not.toMatch(/history/);
  });
});
