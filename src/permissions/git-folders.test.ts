import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionRequest, PermissionRule } from "./types.js";

function hasGit(): boolean {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const rule = (action: PermissionRule["action"], pattern: string): PermissionRule => ({ action, pattern, scope: "project" });

/**
 * What git really reads beside `.git/hooks` and `.git/config`, shown with the git installed here, and
 * that a write there asks whatever the rules: the model could otherwise plant a program that the next
 * allowed `git status` or `git commit` runs.
 */
describe.runIf(process.platform !== "win32" && hasGit())("git folders of submodules and work trees are protected as .git/hooks and .git/config are", () => {
  let dir: string;
  let project: string;
  let marks: string;
  let commands: CommandAnalyzer;
  /** git with no settings of this machine's: its own home, no system config. */
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com", GIT_ALLOW_PROTOCOL: "file" },
    });
  /** A program that notes it ran, as a model could write one. */
  const program = async (name: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, `#!/bin/sh\necho ${name} >> '${marks}'\n`);
    await chmod(file, 0o755);
    return file;
  };
  const ran = async (): Promise<string> => (existsSync(marks) ? readFile(marks, "utf8") : "");
  const judge = (request: PermissionRequest, rules: PermissionRule[]) => decide(request, { rules, mode: "accept-edits", projectRoot: project, home: dir, interactive: true, commands });

  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "wren-git-folders-")));
    marks = path.join(dir, "ran.txt");
    const library = path.join(dir, "library");
    project = path.join(dir, "project");
    execFileSync("mkdir", ["-p", library, project]);
    git(library, "init", "-q");
    await writeFile(path.join(library, "a.txt"), "a\n");
    git(library, "add", "a.txt");
    git(library, "commit", "-qm", "a");
    git(project, "init", "-q");
    await writeFile(path.join(project, "x.txt"), "x\n");
    git(project, "add", "x.txt");
    git(project, "commit", "-qm", "x");
    git(project, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "sub");
    git(project, "commit", "-qm", "sub");
  });
  afterAll(async () => {
    commands.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("a core.fsmonitor in a submodule's config runs at a plain git status in the project, and writing that config asks", async () => {
    const config = path.join(project, ".git", "modules", "sub", "config");
    expect(existsSync(config)).toBe(true);
    const before = await readFile(config, "utf8");
    await writeFile(config, `${before}[core]\n\tfsmonitor = ${await program("fsmonitor")}\n`);
    git(project, "status", "--short");
    expect(await ran()).toContain("fsmonitor");
    await writeFile(config, before);

    const write = judge({ tool: "Write", effect: "write", paths: [config] }, [rule("allow", "Write(**)"), rule("allow", "Edit(.git/**)")]);
    expect(write.action, write.reason).toBe("ask");
    expect(write.reason).toMatch(/git runs what is written there/);
    expect(write.suggestions).toEqual([]);
    const bash = judge({ tool: "Bash", effect: "execute", command: "printf '[core]\\n\\tfsmonitor = ./x\\n' >> .git/modules/sub/config" }, [rule("allow", "Bash")]);
    expect(bash.action, bash.reason).toBe("ask");
  });

  it("a hook in a submodule's git folder runs at a commit in the submodule, and writing or linking it asks", async () => {
    const hook = path.join(project, ".git", "modules", "sub", "hooks", "pre-commit");
    await writeFile(hook, `#!/bin/sh\n'${await program("hook")}'\n`);
    await chmod(hook, 0o755);
    await writeFile(path.join(project, "sub", "b.txt"), "b\n");
    git(path.join(project, "sub"), "add", "b.txt");
    git(path.join(project, "sub"), "commit", "-qm", "b");
    expect(await ran()).toContain("hook");
    await rm(hook);

    for (const command of ["echo 'sh x' > .git/modules/sub/hooks/pre-commit", "cp x .git/modules/sub/hooks/pre-commit", "ln -s ../../../../x .git/modules/sub/hooks/pre-commit"]) {
      const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash")]);
      expect(decision.action, command).toBe("ask");
    }
  });

  it("git config include.path makes a file of the project git config, whose core.fsmonitor then runs at git status, so git config asks as a write of .git/config does", async () => {
    await writeFile(path.join(project, "shared.cfg"), `[core]\n\tfsmonitor = ${await program("included")}\n`);
    git(project, "config", "include.path", "../shared.cfg");
    git(project, "status", "--short");
    expect(await ran()).toContain("included");
    git(project, "config", "--unset", "include.path");

    for (const command of ["git config include.path ../shared.cfg", "git config diff.external ./x", "git -C sub config core.pager ./x", "git config --file .git/modules/sub/config core.sshCommand ./x"]) {
      const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash(git *)")]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(/config: git runs what is written there/);
    }
    const reads = judge({ tool: "Bash", effect: "execute", command: "git config --get include.path; git config -l" }, [rule("allow", "Bash(git *)")]);
    expect(reads.action, reads.reason).toBe("allow");
  });

  it("git init --template copies a template's hooks into the new repository, where a commit runs them, so it asks", async () => {
    const template = path.join(project, "tpl");
    execFileSync("mkdir", ["-p", path.join(template, "hooks")]);
    await writeFile(path.join(template, "hooks", "pre-commit"), `#!/bin/sh\n'${await program("template")}'\n`);
    await chmod(path.join(template, "hooks", "pre-commit"), 0o755);
    git(project, "init", "-q", "--template=tpl", "made");
    await writeFile(path.join(project, "made", "c.txt"), "c\n");
    git(path.join(project, "made"), "add", "c.txt");
    git(path.join(project, "made"), "commit", "-qm", "c");
    expect(await ran()).toContain("template");

    for (const command of ["git init --template=tpl made", "git clone --template tpl ../library made", "git clone -c core.fsmonitor=./x ../library made"]) {
      const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash(git *)")]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(/made\/\.git\/(hooks|config): git runs what is written there/);
    }
  });

  it("a folder the model filled as a bare repository is one git uses, with its config, at git --git-dir or git -C, so those ask", async () => {
    const made = path.join(project, "notes");
    execFileSync("mkdir", ["-p", path.join(made, "objects"), path.join(made, "refs", "heads")]);
    // Plain file writes, each allowed under Write(**) or Bash: no .git in their paths.
    await writeFile(path.join(made, "HEAD"), "ref: refs/heads/main\n");
    await writeFile(path.join(made, "config"), `[core]\n\tbare = true\n[alias]\n\tx = !'${await program("bare")}'\n`);
    for (const file of ["notes/config", "notes/HEAD"]) expect(judge({ tool: "Write", effect: "write", paths: [path.join(project, file)] }, [rule("allow", "Write(**)")]).action).toBe("allow");
    git(project, "-C", "notes", "x");
    expect(await ran()).toContain("bare");

    for (const command of ["git --git-dir=notes log", "git --git-dir notes x", "git -C notes x", "cd notes && git log", "git -C notes/refs log", "git init --bare made2"]) {
      const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash(git *)"), rule("allow", "Bash(cd *)")]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(/as its repository/);
    }
    const own = judge({ tool: "Bash", effect: "execute", command: "git status; git -C sub log; cd sub && git log" }, [rule("allow", "Bash(git *)"), rule("allow", "Bash(cd *)")]);
    expect(own.action, own.reason).toBe("allow");

    // Made a repository on the same line, before git looks: the files are there only when it runs.
    for (const command of ["mkdir -p fresh/objects fresh/refs && echo 'ref: refs/heads/main' > fresh/HEAD && printf '[alias]\\n\\tx = !sh y\\n' > fresh/config && git -C fresh x", "tar -xf repo.tar -C fresh && cd fresh && git x"]) {
      const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash")]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(/a repository of its own/);
    }
    const plain = judge({ tool: "Bash", effect: "execute", command: "mkdir -p docs && echo x > docs/a.md && git -C docs add a.md && cd docs && git status" }, [rule("allow", "Bash")]);
    expect(plain.action, plain.reason).toBe("allow");
  });

  it("a hooks folder or an included file the repository's config names is protected as .git/hooks and .git/config are", async () => {
    git(project, "config", "core.hooksPath", ".husky");
    git(project, "config", "include.path", "../team.cfg");
    try {
      execFileSync("mkdir", ["-p", path.join(project, ".husky")]);
      await writeFile(path.join(project, ".husky", "pre-commit"), `#!/bin/sh\n'${await program("husky")}'\n`);
      await chmod(path.join(project, ".husky", "pre-commit"), 0o755);
      await writeFile(path.join(project, "d.txt"), "d\n");
      git(project, "add", "d.txt");
      git(project, "commit", "-qm", "d");
      expect(await ran()).toContain("husky");

      for (const file of [".husky/pre-commit", ".husky/_/h", "team.cfg"]) {
        const decision = judge({ tool: "Write", effect: "write", paths: [path.join(project, file)] }, [rule("allow", "Write(**)")]);
        expect(decision.action, file).toBe("ask");
        expect(decision.reason, file).toMatch(/git runs what is written there/);
      }
      const bash = judge({ tool: "Bash", effect: "execute", command: "echo 'sh x' > .husky/pre-commit; cp x team.cfg" }, [rule("allow", "Bash")]);
      expect(bash.reason).toMatch(/^(?=.*\.husky\/pre-commit: git runs)(?=.*team\.cfg: git runs)/);
      expect(judge({ tool: "Write", effect: "write", paths: [path.join(project, "husky.md")] }, [rule("allow", "Write(**)")]).action).toBe("allow");
      // Hooks turned off with an empty core.hooksPath name no folder: the project is written as before.
      git(project, "config", "core.hooksPath", "");
      expect(judge({ tool: "Write", effect: "write", paths: [path.join(project, "husky.md")] }, [rule("allow", "Write(**)")]).action).toBe("allow");
    } finally {
      git(project, "config", "--unset", "core.hooksPath");
      git(project, "config", "--unset", "include.path");
    }
  });

  it("a work-tree rewrite may bring hooks into a hooks folder the config names in the tree, so it asks rather than running guarded", async () => {
    const merge = () => judge({ tool: "Bash", effect: "execute", command: "git merge theirs" }, [rule("allow", "Bash(git *)")]);
    expect(merge()).toMatchObject({ action: "allow", guard: [path.join(project, ".wren")] });
    git(project, "config", "core.hooksPath", ".husky");
    try {
      const decision = merge();
      expect(decision.action, decision.reason).toBe("ask");
      expect(decision.reason).toMatch(/\.husky/);
    } finally {
      git(project, "config", "--unset", "core.hooksPath");
    }
  });

  it("a link made on the line to a folder laid out as a bare repository is one git uses at git -C or after a cd, so those ask", async () => {
    const prep = path.join(project, "prep");
    execFileSync("mkdir", ["-p", path.join(prep, "objects"), path.join(prep, "refs", "heads")]);
    await writeFile(path.join(prep, "HEAD"), "ref: refs/heads/main\n");
    await writeFile(path.join(prep, "config"), `[core]\n\tbare = true\n[alias]\n\ty = !'${await program("linked")}'\n`);
    try {
      execFileSync("sh", ["-c", "ln -s prep linked"], { cwd: project });
      git(path.join(project, "linked"), "y");
      expect(await ran()).toContain("linked");
      await rm(path.join(project, "linked"));

      for (const command of ["ln -s prep x && git -C x y", "ln -sf prep x; cd x && git y", "ln -s prep x && git -C x/refs log", "cp -rs \"$PWD/prep\" x && git -C x y"]) {
        const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash")]);
        expect(decision.action, command).toBe("ask");
        expect(decision.reason, command).toMatch(/a repository of its own/);
      }
      // A link to a folder that is no repository, or one made after git ran, changes nothing.
      for (const command of ["ln -s docs d && git -C sub log", "git status && ln -s prep x", "ln -s x.txt y && git -C sub status"]) {
        const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash")]);
        expect(decision.action, `${command}: ${decision.reason}`).toBe("allow");
      }
    } finally {
      await rm(prep, { recursive: true, force: true });
    }
  });

  it("a hooks folder or an included file a nested repository's config names is protected too, and git there asks while it names one that is not", async () => {
    const nested = path.join(project, "vendor", "lib");
    git(project, "clone", "-q", path.join(dir, "library"), "vendor/lib");
    git(nested, "config", "core.hooksPath", ".hooks");
    git(path.join(project, "sub"), "config", "include.path", "../../../sub/team.cfg");
    try {
      execFileSync("mkdir", ["-p", path.join(nested, ".hooks")]);
      await writeFile(path.join(nested, ".hooks", "pre-commit"), `#!/bin/sh\n'${await program("nested-hook")}'\n`);
      await chmod(path.join(nested, ".hooks", "pre-commit"), 0o755);
      await writeFile(path.join(nested, "e.txt"), "e\n");
      git(nested, "add", "e.txt");
      git(nested, "commit", "-qm", "e");
      expect(await ran()).toContain("nested-hook");
      await writeFile(path.join(project, "sub", "team.cfg"), `[core]\n\tfsmonitor = ${await program("sub-include")}\n`);
      git(path.join(project, "sub"), "status", "--short");
      expect(await ran()).toContain("sub-include");

      for (const file of ["vendor/lib/.hooks/pre-commit", "vendor/lib/.hooks/_/h", "sub/team.cfg"]) {
        const decision = judge({ tool: "Write", effect: "write", paths: [path.join(project, file)] }, [rule("allow", "Write(**)")]);
        expect(decision.action, file).toBe("ask");
        expect(decision.reason, file).toMatch(/git runs what is written there/);
      }
      const bash = judge({ tool: "Bash", effect: "execute", command: "echo 'sh x' > vendor/lib/.hooks/pre-commit; cp x sub/team.cfg" }, [rule("allow", "Bash")]);
      expect(bash.action, bash.reason).toBe("ask");
      expect(judge({ tool: "Write", effect: "write", paths: [path.join(project, "vendor", "lib", "hooks.md")] }, [rule("allow", "Write(**)")]).action).toBe("allow");
      expect(judge({ tool: "Bash", effect: "execute", command: "git -C vendor/lib status; cd sub && git log" }, [rule("allow", "Bash(git *)"), rule("allow", "Bash(cd *)")]).action).toBe("allow");

      // A place outside the nested repository's own tree, which a write there does not find: git there asks.
      git(nested, "config", "include.path", "../../../extra.cfg");
      await writeFile(path.join(project, "extra.cfg"), `[core]\n\tfsmonitor = ${await program("outside-include")}\n`);
      git(nested, "status", "--short");
      expect(await ran()).toContain("outside-include");
      for (const command of ["git -C vendor/lib status", "cd vendor/lib && git log", "git -C vendor/lib/.hooks log"]) {
        const decision = judge({ tool: "Bash", effect: "execute", command }, [rule("allow", "Bash(git *)"), rule("allow", "Bash(cd *)")]);
        expect(decision.action, command).toBe("ask");
        expect(decision.reason, command).toMatch(/extra\.cfg/);
      }
      expect(judge({ tool: "Bash", effect: "execute", command: "git status" }, [rule("allow", "Bash(git *)")]).action).toBe("allow");
    } finally {
      await rm(path.join(project, "vendor"), { recursive: true, force: true });
      await rm(path.join(project, "extra.cfg"), { force: true });
      await rm(path.join(project, "sub", "team.cfg"), { force: true });
      git(path.join(project, "sub"), "config", "--unset", "include.path");
    }
  });

  it("a linked work tree in the project runs the hooks folder its repository's config names from its own top, so that is protected too", async () => {
    git(project, "worktree", "add", "-q", "-b", "side", "wt");
    git(project, "config", "core.hooksPath", ".husky");
    try {
      execFileSync("mkdir", ["-p", path.join(project, "wt", ".husky")]);
      await writeFile(path.join(project, "wt", ".husky", "pre-commit"), `#!/bin/sh\n'${await program("worktree-hook")}'\n`);
      await chmod(path.join(project, "wt", ".husky", "pre-commit"), 0o755);
      await writeFile(path.join(project, "wt", "f.txt"), "f\n");
      git(path.join(project, "wt"), "add", "f.txt");
      git(path.join(project, "wt"), "commit", "-qm", "f");
      expect(await ran()).toContain("worktree-hook");

      const decision = judge({ tool: "Write", effect: "write", paths: [path.join(project, "wt", ".husky", "pre-commit")] }, [rule("allow", "Write(**)")]);
      expect(decision.action, decision.reason).toBe("ask");
      expect(decision.reason).toMatch(/git runs what is written there/);
      expect(judge({ tool: "Write", effect: "write", paths: [path.join(project, "wt", "notes.md")] }, [rule("allow", "Write(**)")]).action).toBe("allow");
      expect(judge({ tool: "Bash", effect: "execute", command: "git -C wt status; cd wt && git log" }, [rule("allow", "Bash(git *)"), rule("allow", "Bash(cd *)")]).action).toBe("allow");
    } finally {
      git(project, "config", "--unset", "core.hooksPath");
      git(project, "worktree", "remove", "--force", "wt");
    }
  });

  it("the submodule's .git file names the git folder its git runs, and writing it asks", async () => {
    const gitFile = path.join(project, "sub", ".git");
    expect((await readFile(gitFile, "utf8")).startsWith("gitdir: ")).toBe(true);
    const decision = judge({ tool: "Write", effect: "write", paths: [gitFile] }, [rule("allow", "Write(**)")]);
    expect(decision.action, decision.reason).toBe("ask");
    expect(decision.reason).toMatch(/git runs what is written there/);
  });
});
