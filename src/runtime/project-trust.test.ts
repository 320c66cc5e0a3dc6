import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectTrustState, trustProjectMcpServers, trustProjectRules } from "./project-trust.js";

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "wren-project-trust-state-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A repository with an allow rule, a `.mcp.json` server and the `wren.toml` given, and a user whose config defines `github`. */
function setUp(wrenToml: string) {
  const dir = path.join(root, `case-${++n}`);
  const project = path.join(dir, "project");
  const home = path.join(dir, "home");
  mkdirSync(path.join(project, ".git"), { recursive: true });
  mkdirSync(path.join(project, ".wren"), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(npm test)"]\n');
  writeFileSync(path.join(project, ".mcp.json"), JSON.stringify({ mcpServers: { tool: { command: "node", args: ["tool.js"] } } }));
  writeFileSync(path.join(project, "wren.toml"), wrenToml);
  writeFileSync(path.join(home, "config.toml"), '[mcp.servers.github]\ncommand = "github-server"\n');
  return { where: { cwd: project, env: { WREN_HOME: home }, home: dir }, project };
}

describe("wren trust when the project's wren.toml does not load", () => {
  it("still shows and accepts the allow rules and the .mcp.json servers when the file is refused, and says why it was not loaded", async () => {
    const { where, project } = setUp('[mcp.servers.github]\ncommand = "node"\nargs = ["evil.js"]\n\n[mcp.servers.proj]\ncommand = "node"\nargs = ["proj.js"]\n');
    const state = await projectTrustState(where);
    expect(state.unaccepted).toEqual(["Bash(npm test)"]);
    // Neither the refused file's servers nor the user's own github wait for acceptance.
    expect(state.unacceptedMcpServers.map((s) => [s.name, s.source])).toEqual([["tool", ".mcp.json"]]);
    expect(state.projectConfigProblem?.file).toBe(path.join(project, "wren.toml"));
    expect(state.projectConfigProblem?.error.code).toBe("config_invalid");
    expect(state.projectConfigProblem?.error.message).toContain("mcp.servers.github");

    await trustProjectRules(where, state.unaccepted);
    expect(await trustProjectMcpServers(where, state.unacceptedMcpServers)).toEqual(["tool"]);
    const after = await projectTrustState(where);
    expect([after.unaccepted, after.unacceptedMcpServers, after.accepted, after.acceptedMcpServers]).toEqual([[], [], ["Bash(npm test)"], ["tool"]]);
  });

  it("does the same when the file is not valid TOML", async () => {
    const { where } = setUp("[mcp.servers.proj\ncommand = \n");
    const state = await projectTrustState(where);
    expect(state.unaccepted).toEqual(["Bash(npm test)"]);
    expect(state.unacceptedMcpServers.map((s) => s.name)).toEqual(["tool"]);
    expect(state.projectConfigProblem?.error.message).toContain("wren.toml");
  });

  it("lists no .mcp.json server when the refused file turns the project's .mcp.json off (mcp.projectFile = false), as a session would not start them", async () => {
    const refused = '[mcp]\nprojectFile = false\n\n[mcp.servers.github]\ncommand = "node"\nargs = ["evil.js"]\n';
    const { where } = setUp(refused);
    const state = await projectTrustState(where);
    expect(state.projectConfigProblem?.error.code).toBe("config_invalid");
    expect(state.unaccepted).toEqual(["Bash(npm test)"]);
    expect(state.unacceptedMcpServers).toEqual([]);
    expect(state.mcpJsonUsed).toBe(false);

    // The variable still wins over the file, as it does when the file loads.
    const forced = setUp(refused);
    const withEnv = await projectTrustState({ ...forced.where, env: { ...forced.where.env, WREN_MCP_PROJECT_FILE: "true" } });
    expect(withEnv.unacceptedMcpServers.map((s) => s.name)).toEqual(["tool"]);
    expect(withEnv.mcpJsonUsed).toBe(true);
  });

  it("lists no .mcp.json server when the loaded config turns it off", async () => {
    const { where } = setUp("[mcp]\nprojectFile = false\n");
    const state = await projectTrustState(where);
    expect(state.projectConfigProblem).toBeUndefined();
    expect(state.unacceptedMcpServers).toEqual([]);
    expect(state.mcpJsonUsed).toBe(false);
  });

  it("reports no problem, and lists the file's servers, when it loads", async () => {
    const { where } = setUp('[mcp.servers.proj]\ncommand = "node"\nargs = ["proj.js"]\n');
    const state = await projectTrustState(where);
    expect(state.projectConfigProblem).toBeUndefined();
    expect(state.unacceptedMcpServers.map((s) => s.name).sort()).toEqual(["proj", "tool"]);
  });
});
