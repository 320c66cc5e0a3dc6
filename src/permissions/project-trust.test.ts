import { realpathSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { acceptedProjectMcpServers, acceptedProjectRules, acceptProjectMcpServers, acceptProjectRules, forgetProjectTrust, loadPermissionSettings, trustedProjects, trustFile } from "./project-trust.js";
import { projectSettingsFile, userSettingsFile } from "./settings-file.js";

let dir: string;
let project: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-trust-"));
  project = path.join(dir, "project");
  await mkdir(path.join(project, ".wren"), { recursive: true });
  env = { WREN_HOME: path.join(dir, "wren-home") };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const projectSettings = (text: string) => writeFile(projectSettingsFile(project), text);
const patterns = (rules: ReadonlyArray<{ action: string; pattern: string; scope: string }>) => rules.map((r) => `${r.action} ${r.pattern} ${r.scope}`);

describe("a project's allow rules count only once the user accepted them", () => {
  it("leaves out the allow rules of a project's settings the user never accepted, and keeps its ask and deny rules", async () => {
    await projectSettings('[permissions]\nallow = ["Bash", "Edit(**)"]\nask = ["Bash(git push *)"]\ndeny = ["Read(**/.env)"]\n');
    const settings = await loadPermissionSettings({ projectRoot: project, env, home: dir });
    expect(patterns(settings.rules)).toEqual(["ask Bash(git push *) project", "deny Read(**/.env) project"]);
    expect(patterns(settings.unaccepted)).toEqual(["allow Bash project", "allow Edit(**) project"]);
  });

  it("counts the user's own allow rules as they are", async () => {
    await mkdir(env["WREN_HOME"]!, { recursive: true });
    await writeFile(userSettingsFile(env, dir), '[permissions]\nallow = ["Bash(npm test)"]\n');
    expect(patterns((await loadPermissionSettings({ projectRoot: project, env, home: dir })).rules)).toEqual(["allow Bash(npm test) user"]);
  });

  it("counts the rules the user accepted, in the user's config directory, and not a rule the file gained later", async () => {
    await projectSettings('[permissions]\nallow = ["Bash(npm test)"]\n');
    expect(await acceptProjectRules({ projectRoot: project, env, home: dir }, ["Bash(npm test)"])).toEqual(["Bash(npm test)"]);
    expect(await acceptProjectRules({ projectRoot: project, env, home: dir }, ["Bash(npm test)"])).toEqual([]);
    expect(trustFile(env, dir)).toBe(path.join(env["WREN_HOME"]!, "trusted-projects.toml"));
    expect(await readFile(trustFile(env, dir), "utf8")).toContain("Bash(npm test)");

    // A pull brings a wider rule: it waits for its own acceptance.
    await projectSettings('[permissions]\nallow = ["Bash(npm test)", "Bash"]\n');
    const settings = await loadPermissionSettings({ projectRoot: project, env, home: dir });
    expect(patterns(settings.rules)).toEqual(["allow Bash(npm test) project"]);
    expect(patterns(settings.unaccepted)).toEqual(["allow Bash project"]);
  });

  it("knows a project by where it really is: accepted through a link, it is accepted under its own name", async () => {
    await projectSettings('[permissions]\nallow = ["Edit(src/**)"]\n');
    const link = path.join(dir, "link");
    await symlink(project, link);
    await acceptProjectRules({ projectRoot: link, env, home: dir }, ["Edit(src/**)"]);
    expect(patterns((await loadPermissionSettings({ projectRoot: project, env, home: dir })).rules)).toEqual(["allow Edit(src/**) project"]);
    expect((await trustedProjects({ env, home: dir })).map((p) => p.project)).toEqual([realpathSync.native(project)]);
  });

  it("does not carry what was accepted for one project to another", async () => {
    await projectSettings('[permissions]\nallow = ["Bash"]\n');
    const other = path.join(dir, "other");
    await mkdir(path.join(other, ".wren"), { recursive: true });
    await writeFile(projectSettingsFile(other), '[permissions]\nallow = ["Bash"]\n');
    await acceptProjectRules({ projectRoot: project, env, home: dir }, ["Bash"]);
    expect(patterns((await loadPermissionSettings({ projectRoot: other, env, home: dir })).unaccepted)).toEqual(["allow Bash project"]);
  });

  it("counts every allow rule for one run with trustProject, recording nothing", async () => {
    await projectSettings('[permissions]\nallow = ["Bash"]\n');
    const settings = await loadPermissionSettings({ projectRoot: project, env, home: dir }, { trustProject: true });
    expect(patterns(settings.rules)).toEqual(["allow Bash project"]);
    expect(settings.unaccepted).toEqual([]);
    expect(await trustedProjects({ env, home: dir })).toEqual([]);
  });

  it("forgets a project: its allow rules allow nothing again", async () => {
    await projectSettings('[permissions]\nallow = ["Bash"]\n');
    await acceptProjectRules({ projectRoot: project, env, home: dir }, ["Bash"]);
    expect(await forgetProjectTrust({ projectRoot: project, env, home: dir })).toBe(true);
    expect(await forgetProjectTrust({ projectRoot: project, env, home: dir })).toBe(false);
    expect(patterns((await loadPermissionSettings({ projectRoot: project, env, home: dir })).unaccepted)).toEqual(["allow Bash project"]);
  });

  it("reads the user's settings once, as the user's, when wren's config directory is the project's .wren", async () => {
    const own = { WREN_HOME: path.join(project, ".wren") };
    await projectSettings('[permissions]\nallow = ["Bash(make)"]\n');
    const settings = await loadPermissionSettings({ projectRoot: project, env: own, home: dir });
    expect(patterns(settings.rules)).toEqual(["allow Bash(make) user"]);
    expect(settings.unaccepted).toEqual([]);
  });

  it("names the trust file and what is wrong with it when it cannot be read", async () => {
    await mkdir(env["WREN_HOME"]!, { recursive: true });
    await writeFile(trustFile(env, dir), '[projects."/x"]\nallow = "Bash"\n');
    const error = await loadPermissionSettings({ projectRoot: project, env, home: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("config_invalid");
    expect((error as WrenError).message).toContain(trustFile(env, dir));
    expect((error as WrenError).message).toMatch(/projects\.\/x\.allow/);
  });
});

describe("the MCP servers of a project the user accepted", () => {
  const location = () => ({ projectRoot: project, env, home: dir });
  it("keeps each one's fingerprint per project, beside the allow rules, and replaces it when accepted as defined anew", async () => {
    await acceptProjectRules(location(), ["Bash(npm test)"]);
    expect(await acceptProjectMcpServers(location(), [{ name: "x", fingerprint: "sha256:1" }])).toEqual(["x"]);
    expect(await acceptProjectMcpServers(location(), [{ name: "x", fingerprint: "sha256:1" }])).toEqual([]);
    expect(await acceptedProjectMcpServers(location())).toEqual(new Map([["x", "sha256:1"]]));
    expect(await acceptedProjectRules(location())).toEqual(new Set(["Bash(npm test)"]));
    expect(await acceptProjectMcpServers(location(), [{ name: "x", fingerprint: "sha256:2" }])).toEqual(["x"]);
    expect(await acceptedProjectMcpServers(location())).toEqual(new Map([["x", "sha256:2"]]));
    expect(await acceptedProjectMcpServers({ ...location(), projectRoot: path.join(dir, "other") })).toEqual(new Map());
    expect(await trustedProjects({ env, home: dir })).toEqual([{ project: realpathSync.native(project), allow: ["Bash(npm test)"], mcpServers: ["x"] }]);
    expect(await forgetProjectTrust(location())).toBe(true);
    expect(await acceptedProjectMcpServers(location())).toEqual(new Map());
  });
});
