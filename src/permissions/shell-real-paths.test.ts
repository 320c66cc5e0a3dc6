import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionRule } from "./types.js";
import { ruleOf } from "../../test/helpers/permission-rules.js";

let commands: CommandAnalyzer;
beforeAll(async () => {
  commands = await createCommandAnalyzer();
});
afterAll(() => commands.dispose());

let dir: string;
let project: string;
beforeEach(async () => {
  // The real path of the temporary folder itself (macOS links /var to /private/var).
  dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "wren-shell-real-")));
  project = path.join(dir, "project");
  await mkdir(path.join(project, "config"), { recursive: true });
  await mkdir(path.join(project, ".wren"));
  await mkdir(path.join(project, ".git", "hooks"), { recursive: true });
  await mkdir(path.join(dir, "outside"));
  await writeFile(path.join(project, "config", ".env"), "KEY=1\n");
  await writeFile(path.join(project, ".wren", "settings.toml"), "");
  await writeFile(path.join(dir, "outside", "file"), "x");
  // As a repository can ship them: git keeps symbolic links, relative ones included.
  await symlink(path.join("config", ".env"), path.join(project, "notes.txt"));
  await symlink(path.join(".wren", "settings.toml"), path.join(project, "readme.txt"));
  await symlink(path.join(".git", "hooks"), path.join(project, "tools"), "junction");
  await symlink(path.join(".git", "config"), path.join(project, "gitconf"));
  await symlink("config", path.join(project, "cfg"), "junction");
  await symlink(path.join("..", "outside"), path.join(project, "out"), "junction");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rule = (text: string): PermissionRule => ruleOf(text, "flag");
const bash = (command: string, rules: string[], root = project) =>
  decide({ tool: "Bash", effect: "execute", command }, { rules: rules.map(rule), mode: "default", projectRoot: root, home: dir, interactive: true, commands });

describe("Bash paths are judged where they really are", () => {
  it("a write through a link to a file a deny rule names is refused", () => {
    for (const command of ["echo x > notes.txt", "echo x >> cfg/.env", "cp a notes.txt", "tee cfg/.env", "sed -i s/1/2/ notes.txt"]) {
      const decision = bash(command, ["allow Bash", "deny Edit(config/.env)"]);
      expect(decision.action, command).toBe("deny");
      expect(decision.rule?.pattern, command).toBe("Edit(config/.env)");
    }
  });

  it("a read through a link to a file a deny rule names is refused", () => {
    for (const command of ["cat notes.txt", "cat cfg/.env", "grep KEY cfg/.env", "wc -l < notes.txt"]) {
      expect(bash(command, ["allow Bash", "deny Read(config/.env)"]).action, command).toBe("deny");
    }
  });

  it("a write through a link into wren's own folder or the repository's hooks and config asks, whatever the rules", () => {
    for (const [command, why] of [
      ["echo x > readme.txt", /readme\.txt.*\.wren\/settings\.toml.*permission rules/],
      ["cp a readme.txt", /permission rules/],
      ["echo x > tools/pre-commit", /tools\/pre-commit.*\.git\/hooks\/pre-commit.*git runs what is written there/],
      ["tee gitconf", /git runs what is written there/],
    ] as const) {
      const decision = bash(command, ["allow Bash"]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(why);
      expect(decision.suggestions, command).toEqual([]);
    }
  });

  it("a write through a link out of the project asks as a write outside does", () => {
    const decision = bash("echo x > out/file", ["allow Bash(echo *)"]);
    expect(decision.action).toBe("ask");
    expect(decision.reason).toContain(`${path.join(dir, "outside", "file")}, outside the project`);
  });

  it("a file that does not exist yet is placed by its nearest existing folder", () => {
    expect(bash("echo x > tools/new-hook", ["allow Bash"]).action).toBe("ask");
    expect(bash("echo x > cfg/new/.env", ["allow Bash", "deny Edit(config/**)"]).action).toBe("deny");
  });

  it("paths without links, and a project reached through a link, run as before", async () => {
    expect(bash("echo x > a.txt && cat config/.env && cp a b", ["allow Bash"]).action).toBe("allow");
    await symlink(project, path.join(dir, "linked-project"), "junction");
    const root = path.join(dir, "linked-project");
    expect(bash("echo x > a.txt && cat config/x && cp a b", ["allow Bash"], root).action).toBe("allow");
    expect(bash("echo x > notes.txt", ["allow Bash", "deny Edit(config/.env)"], root).action).toBe("deny");
  });

  it("a link to a file not there yet is followed from the folder it really is in", async () => {
    await mkdir(path.join(project, "config", "sub"));
    await symlink(path.join("config", "sub"), path.join(project, "deep"), "junction");
    await symlink(path.join("..", "..", ".wren", "new.toml"), path.join(project, "config", "sub", "dangling"));
    const decision = bash("echo x > deep/dangling", ["allow Bash"]);
    expect(decision.action).toBe("ask");
    expect(decision.reason).toMatch(/deep\/dangling → \.wren\/new\.toml: .*permission rules/);
  });

  it("a path that climbs with .. after a link climbs from where the link really leads, as the system does", async () => {
    await mkdir(path.join(project, ".wren", "sub"));
    await symlink(path.join(".wren", "sub"), path.join(project, "a"), "junction");
    for (const command of ["echo x > a/../settings.toml", "cp x a/../settings.toml", "cd a && touch ../settings.toml", "cd a; tee ../settings.toml"]) {
      const decision = bash(command, ["allow Bash"]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(/→ \.wren\/settings\.toml: .*permission rules/);
    }
    expect(bash("cat a/../../config/.env", ["allow Bash", "deny Read(config/.env)"]).action).toBe("deny");
    // bash's cd takes .. by the words: `cd a/..` is back at the top.
    expect(bash("cd a/.. && touch settings.toml", ["allow Bash"]).action).toBe("allow");
  });

  it("a glob or a folder read or written whole through a linked folder is judged where it really is", () => {
    const cases = [
      ["rm cfg/.e*", "deny Edit(config/.env)", /may name a file denied by Edit\(config\/\.env\)/],
      ["grep -r KEY cfg", "deny Read(config/.env)", /reads cfg → config whole, which may hold a file denied by Read\(config\/\.env\)/],
      ["tar -xf a.tar -C cfg", "deny Edit(config/.env)", /denied by Edit\(config\/\.env\)/],
    ] as const;
    for (const [command, deny, why] of cases) {
      const decision = bash(command, ["allow Bash", deny]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(why);
      // Without following links, nothing names the denied file.
      const named = decide({ tool: "Bash", effect: "execute", command }, { rules: [rule("allow Bash"), rule(deny)], mode: "default", projectRoot: project, home: dir, interactive: true, commands, realPath: (abs) => abs });
      expect(named.action, command).toBe("allow");
    }
  });

  it("uses the resolver it is given", () => {
    const options = { rules: [rule("allow Bash"), rule("deny Edit(secret)")], mode: "default" as const, projectRoot: project, home: dir, interactive: true, commands };
    const realPath = (abs: string): string => (abs === path.join(project, "plain") ? path.join(project, "secret") : abs);
    expect(decide({ tool: "Bash", effect: "execute", command: "echo x > plain" }, { ...options, realPath }).action).toBe("deny");
    expect(decide({ tool: "Bash", effect: "execute", command: "echo x > plain" }, options).action).toBe("allow");
  });
});
describe("reads after a cd out of the project", () => {
  it("ask, as the Read tool does", () => {
    for (const command of ["cd .. && ls", "cd /etc && cat passwd", "cd out && ls", "cd; cat .profile"]) {
      const decision = bash(command, ["allow Bash(cd *)", "allow Bash(cd)", "allow Bash(ls)", "allow Bash(cat *)"]);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason, command).toMatch(/outside the project|cannot place/);
    }
  });

  it("run after a cd that stays inside", () => {
    expect(bash("cd config && ls && cat .env; cd cfg && ls", ["allow Bash(cd *)", "allow Bash(ls)", "allow Bash(cat *)"]).action).toBe("allow");
    expect(bash("cd ..", ["allow Bash(cd *)"]).action).toBe("allow");
  });
});

