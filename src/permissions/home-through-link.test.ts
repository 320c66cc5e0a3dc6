import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { deniedBy } from "./denied-path.js";
import { withRealPaths } from "./real-paths.js";
import type { PermissionDecision, PermissionMode, PermissionRequest } from "./types.js";
import { rulesOf } from "../../test/helpers/permission-rules.js";

/**
 * A home reached through a link (`/home/ada` → `/data/ada`, as FreeBSD's `/home` → `/usr/home`): a
 * file in it has two names, and a rule written with either, or with `~`, is about both.
 */
describe("a home reached through a link is one place under either name", () => {
  let commands: CommandAnalyzer;
  let top: string;
  let home: string;
  let real: string;
  let project: string;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    top = realpathSync(mkdtempSync(path.join(os.tmpdir(), "wren-linked-home-")));
    real = path.join(top, "data", "ada");
    mkdirSync(path.join(real, "notes"), { recursive: true });
    writeFileSync(path.join(real, "notes", "a.md"), "x");
    home = path.join(top, "home-ada");
    symlinkSync(real, home);
    project = path.join(top, "project");
    mkdirSync(project);
  });
  afterAll(() => {
    commands.dispose();
    rmSync(top, { recursive: true, force: true });
  });

  const decideCall = async (request: PermissionRequest, rules: string[], mode: PermissionMode = "default"): Promise<PermissionDecision> =>
    decide(await withRealPaths(request), { rules: rulesOf(rules), mode, projectRoot: project, home, interactive: true, commands });
  const read = (file: string): PermissionRequest => ({ tool: "Read", effect: "read", paths: [file] });

  it.each(["~/notes/**", "HOME/notes/**", "REAL/notes/**"])("deny Read(%s) refuses the file named by either name, in bypass mode too", async (written) => {
    const deny = `Read(${written.replace("HOME", home).replace("REAL", real)})`;
    for (const file of [path.join(home, "notes", "a.md"), path.join(real, "notes", "a.md")]) {
      for (const mode of ["default", "bypass"] as const) {
        const decision = await decideCall(read(file), ["allow Read", `deny ${deny}`], mode);
        expect(decision.action, `${file} (${mode}): ${decision.reason}`).toBe("deny");
      }
      expect(deniedBy("Read", file, { rules: rulesOf([`deny ${deny}`]), projectRoot: project, home })?.pattern).toBe(deny);
    }
  });

  it.each(["REAL/notes/a.md", "REAL/notes/*.md", "-r x REAL/notes"])("a command naming %s by the home's real name does not run under deny Read(~/notes/**)", async (args) => {
    const command = `${args.startsWith("-r") ? "grep" : "cat"} ${args.replace("REAL", real)}`;
    const decision = await decideCall({ tool: "Bash", effect: "execute", command }, ["allow Bash", "deny Read(~/notes/**)"], "bypass");
    expect(decision.action, decision.reason).not.toBe("allow");
  });

  it.each(["~/notes/**", "HOME/notes/**"])("allow Read(%s) allows the file named by either name", async (written) => {
    const allow = `Read(${written.replace("HOME", home)})`;
    for (const file of [path.join(home, "notes", "a.md"), path.join(real, "notes", "a.md")]) {
      const decision = await decideCall(read(file), [`allow ${allow}`]);
      expect(decision.action, `${file}: ${decision.reason}`).toBe("allow");
    }
  });

  it("an allow rule for the home does not reach past it", async () => {
    const decision = await decideCall(read(path.join(top, "data", "other.md")), ["allow Read(~/**)"]);
    expect(decision.action, decision.reason).toBe("ask");
  });
});
