import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { withRealPaths } from "./real-paths.js";

let dir: string;
beforeEach(async () => {
  // The real path of the temporary folder itself (macOS links /var to /private/var).
  dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "wren-real-")));
  await mkdir(path.join(dir, "project"));
  await mkdir(path.join(dir, "secrets"));
  await writeFile(path.join(dir, "secrets", "key"), "k");
  // A junction on Windows needs no privilege; elsewhere the type is ignored.
  await symlink(path.join(dir, "secrets"), path.join(dir, "project", "linked"), "junction");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("withRealPaths", () => {
  it("adds where a linked path really is, for files that exist and files that do not yet", async () => {
    const request = { tool: "Read", effect: "read" as const, paths: [path.join(dir, "project", "linked", "key"), path.join(dir, "project", "linked", "new", "file.txt")] };
    expect((await withRealPaths(request)).paths).toEqual([
      path.join(dir, "project", "linked", "key"),
      path.join(dir, "secrets", "key"),
      path.join(dir, "project", "linked", "new", "file.txt"),
      path.join(dir, "secrets", "new", "file.txt"),
    ]);
  });

  it("makes a read through a link out of the project ask, and lets deny rules see the real place", async () => {
    using commands = await createCommandAnalyzer();
    const options = { mode: "default" as const, projectRoot: path.join(dir, "project"), home: dir, interactive: true, commands };
    const request = { tool: "Read", effect: "read" as const, paths: [path.join(dir, "project", "linked", "key")] };
    expect(decide(request, { ...options, rules: [] }).action).toBe("allow");
    const real = await withRealPaths(request);
    expect(decide(real, { ...options, rules: [] }).action).toBe("ask");
    expect(decide(real, { ...options, rules: [{ action: "deny", pattern: "Read(~/secrets)", scope: "user" }] }).action).toBe("deny");
  });

  it("follows a link to a file not there yet, which writing through it creates", async () => {
    await mkdir(path.join(dir, "project", ".wren"));
    await symlink(path.join(".wren", "settings.toml"), path.join(dir, "project", "notes.txt"));
    const request = { tool: "Write", effect: "write" as const, paths: [path.join(dir, "project", "notes.txt")] };
    expect((await withRealPaths(request)).paths).toEqual([path.join(dir, "project", "notes.txt"), path.join(dir, "project", ".wren", "settings.toml")]);
    using commands = await createCommandAnalyzer();
    const options = { mode: "accept-edits" as const, projectRoot: path.join(dir, "project"), home: dir, interactive: true, commands, rules: [] };
    expect(decide(request, options).action).toBe("allow");
    const decision = decide(await withRealPaths(request), options);
    expect(decision.action).toBe("ask");
    expect(decision.reason).toMatch(/permission rules/);
  });

  it("an allowed read through a link out of the project says why in one sentence, its parts joined without doubled stops", async () => {
    await symlink(path.join(dir, "secrets", "key"), path.join(dir, "project", "key-link"));
    using commands = await createCommandAnalyzer();
    const rules = [{ action: "allow" as const, pattern: `Read(${path.join(dir, "secrets", "key")})`, scope: "flag" as const }];
    const request = await withRealPaths({ tool: "Read", effect: "read", paths: [path.join(dir, "project", "key-link")] });
    const decision = decide(request, { mode: "default", projectRoot: path.join(dir, "project"), home: dir, interactive: true, commands, rules });
    expect(decision.action).toBe("allow");
    expect(decision.reason).toBe(`Every part is allowed: Read reads inside the project, which runs freely; ${path.join(dir, "secrets", "key")}: allowed by ${rules[0]?.pattern} (flag rule).`);
  });

  it("leaves a request without links as it is", async () => {
    const request = { tool: "Edit", effect: "write" as const, paths: [path.join(dir, "project", "a.ts")] };
    expect(await withRealPaths(request)).toBe(request);
    const command = { tool: "Bash", effect: "execute" as const, command: "ls" };
    expect(await withRealPaths(command)).toBe(command);
  });
});
