import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { loadPermissionSettings } from "./project-trust.js";
import {
  addPermissionRule,
  CONFIG_FILE_SECTIONS,
  projectSettingsFile,
  readPermissionRules,
  savePermissionRule,
  userSettingsFile,
} from "./settings-file.js";

let dir: string;
let project: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-permissions-"));
  project = path.join(dir, "project");
  await mkdir(project);
  env = { WREN_HOME: path.join(dir, "wren-home") };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function error(promise: Promise<unknown>): Promise<WrenError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof WrenError) return e;
    throw e;
  }
  throw new Error("expected a WrenError");
}

describe("settings files", () => {
  it("puts the project's in .wren/settings.toml and the user's in wren's config directory", () => {
    expect(projectSettingsFile(project)).toBe(path.join(project, ".wren", "settings.toml"));
    expect(userSettingsFile(env)).toBe(path.join(dir, "wren-home", "settings.toml"));
  });

  it("reads nothing from missing files", async () => {
    expect((await loadPermissionSettings({ projectRoot: project, env }, { trustProject: true })).rules).toEqual([]);
  });

  it("reads allow, ask and deny with their scope", async () => {
    await mkdir(path.join(project, ".wren"));
    await writeFile(projectSettingsFile(project), '[permissions]\nallow = ["Bash(npm test)", "Edit(src/**)"]\ndeny = ["Read(**/.env)"]\n\n[ui]\ntheme = "light"\n');
    await mkdir(env.WREN_HOME!);
    await writeFile(userSettingsFile(env), '[permissions]\nask = ["Bash(git push *)"]\n');
    expect((await loadPermissionSettings({ projectRoot: project, env }, { trustProject: true })).rules).toEqual([
      { action: "ask", pattern: "Bash(git push *)", scope: "user" },
      { action: "allow", pattern: "Bash(npm test)", scope: "project" },
      { action: "allow", pattern: "Edit(src/**)", scope: "project" },
      { action: "deny", pattern: "Read(**/.env)", scope: "project" },
    ]);
  });

  it("names every bad rule in the file", async () => {
    const file = path.join(dir, "bad.toml");
    await writeFile(file, '[permissions]\nallow = ["Bash(npm test)", "Bash("]\ndeny = ["WebFetch(docs.rs)"]\n');
    const e = await error(readPermissionRules(file, "project"));
    expect(e.code).toBe("config_invalid");
    expect(e.message).toContain(file);
    expect(e.message).toContain("permissions.allow[1]");
    expect(e.message).toContain("permissions.deny[0]");
    expect(e.hint).toContain("[permissions]");
  });

  it("refuses a [permissions] table of the wrong shape", async () => {
    const file = path.join(dir, "shape.toml");
    await writeFile(file, '[permissions]\nallow = "Bash(npm test)"\nalways = ["Read"]\n');
    const e = await error(readPermissionRules(file, "user"));
    expect(e.code).toBe("config_invalid");
    expect(e.message).toMatch(/permissions\.allow/);
    expect(e.message).toMatch(/always/);
  });

  it("suggests the key meant for a misspelt one, as wren.toml does", async () => {
    const file = path.join(dir, "typo.toml");
    await writeFile(file, '[permissions]\nalow = ["Bash(npm test)"]\nDeny = ["Read(**/.env)"]\nsoon = []\n');
    const e = await error(readPermissionRules(file, "project"));
    expect(e.code).toBe("config_invalid");
    expect(e.message).toContain('permissions.alow: is not a known key. Did you mean "allow"?');
    expect(e.message).toContain('permissions.Deny: is not a known key. Did you mean "deny"?');
    expect(e.message).toContain("permissions.soon: is not a known key. Remove it; the keys here are: allow, ask, deny.");
  });

  it("refuses a misspelt [permissions] table, whose rules would otherwise count for nothing", async () => {
    const file = path.join(dir, "section.toml");
    await writeFile(file, '[permision]\ndeny = ["Read(**/.env)"]\n\n[ui]\ntheme = "light"\n');
    const e = await error(readPermissionRules(file, "project"));
    expect(e.code).toBe("config_invalid");
    expect(e.message).toContain('permision: is not a known section. Did you mean "permissions"?');
    expect(e.message).not.toContain("ui:");
  });

  it("refuses any other section it does not know, with the one meant or the sections there are", async () => {
    const file = path.join(dir, "sections.toml");
    await writeFile(file, '[permissions]\nallow = ["Bash(npm test)"]\n\n[uii]\ntheme = "light"\n\n[routr]\ndefault = "auto"\n');
    const e = await error(readPermissionRules(file, "user"));
    expect(e.code).toBe("config_invalid");
    expect(e.message).toContain(file);
    expect(e.message).toContain('uii: is not a known section. Did you mean "ui"?');
    expect(e.message).toContain("routr: is not a known section. Remove it; the sections are: permissions, ui.");
    expect(e.hint).toMatch(/config\.toml/);
    await writeFile(file, 'title = "mine"\n[permissions]\nallow = []\n');
    expect((await error(readPermissionRules(file, "user"))).message).toContain("title: is not a known section.");
  });

  it("says a section of config.toml written here belongs in config.toml, or wren.toml for a project", async () => {
    const file = path.join(dir, "config-sections.toml");
    await writeFile(file, '[router]\ndefault = "auto"\n\n[engine]\ngpu = "auto"\n\n[server]\nport = 8080\n\n[routr]\ndefault = "auto"\n');
    const e = await error(readPermissionRules(file, "user"));
    for (const section of ["router", "engine", "server"]) {
      expect(e.message).toContain(`${section}: belongs in config.toml (or a project's wren.toml), not in a settings file: move [${section}] there.`);
    }
    expect(e.message).toContain("routr: is not a known section. Remove it; the sections are: permissions, ui.");
  });

  it("knows every section of config.toml", async () => {
    const schema = await import("../config/schema.js");
    expect([...CONFIG_FILE_SECTIONS].sort()).toEqual(Object.keys(schema).sort());
  });

  it("says where a TOML syntax error is", async () => {
    const file = path.join(dir, "syntax.toml");
    await writeFile(file, "[permissions]\nallow = [Bash]\n");
    const e = await error(readPermissionRules(file, "project"));
    expect(e.code).toBe("config_invalid");
    expect(e.message).toContain(`${file}:2:`);
  });

  it("adds a rule, creating the file, keeping other sections and leaving no temporary file", async () => {
    const file = projectSettingsFile(project);
    expect(await addPermissionRule(file, { action: "allow", pattern: "Bash(npm test)" })).toBe(true);
    await writeFile(file, (await readFile(file, "utf8")) + '\n[ui]\ntheme = "light"\n');
    expect(await addPermissionRule(file, { action: "allow", pattern: "Edit(src/**)" })).toBe(true);
    expect(await addPermissionRule(file, { action: "allow", pattern: "Bash(npm test)" })).toBe(false);
    expect(await addPermissionRule(file, { action: "deny", pattern: "Read(**/.env)" })).toBe(true);
    expect(parse(await readFile(file, "utf8"))).toEqual({
      permissions: { allow: ["Bash(npm test)", "Edit(src/**)"], deny: ["Read(**/.env)"] },
      ui: { theme: "light" },
    });
    expect(await readdir(path.dirname(file))).toEqual(["settings.toml"]);
  });

  it("saves project and user rules to their files, and refuses other scopes", async () => {
    await savePermissionRule({ action: "allow", pattern: "WebFetch(domain:docs.rs)", scope: "user" }, { projectRoot: project, env });
    await savePermissionRule({ action: "allow", pattern: "Bash(npm test)", scope: "project" }, { projectRoot: project, env });
    expect((await loadPermissionSettings({ projectRoot: project, env }, { trustProject: true })).rules).toEqual([
      { action: "allow", pattern: "WebFetch(domain:docs.rs)", scope: "user" },
      { action: "allow", pattern: "Bash(npm test)", scope: "project" },
    ]);
    const e = await error(savePermissionRule({ action: "allow", pattern: "Read", scope: "session" }, { projectRoot: project, env }));
    expect(e.code).toBe("bad_request");
  });

  it("does not write a rule that is not valid, nor touch a file it cannot read", async () => {
    const file = projectSettingsFile(project);
    expect((await error(addPermissionRule(file, { action: "allow", pattern: "Bash()" }))).code).toBe("bad_request");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '[permissions]\nallow = "oops"\n');
    expect((await error(addPermissionRule(file, { action: "allow", pattern: "Read" }))).code).toBe("config_invalid");
    expect(await readFile(file, "utf8")).toBe('[permissions]\nallow = "oops"\n');
  });
});
