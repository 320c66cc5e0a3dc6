import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { listTrustedProjects } from "../runtime/project-trust.js";
import { runTrust } from "./trust.js";
import { useTempHome } from "../../test/helpers/temp-home.js";

const temp = useTempHome("wren-trust-cli-", { project: true });
beforeEach(() => {
  mkdirSync(path.join(temp.project, ".wren"), { recursive: true });
});

describe("wren trust in a project whose wren.toml does not load", () => {
  it("accepts the allow rules and .mcp.json servers, and says the file's servers wait until it loads", async () => {
    writeFileSync(path.join(temp.project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(npm test)"]\n');
    writeFileSync(path.join(temp.project, ".mcp.json"), JSON.stringify({ mcpServers: { tool: { command: "node", args: ["tool.js"] } } }));
    writeFileSync(path.join(temp.project, "wren.toml"), "[mcp.servers.proj\n");
    // The rest is accepted, but not all that was asked: a script must not go on as if it were.
    expect(await runTrust(temp.project, { yes: true })).toBe(2);
    expect(temp.printed.err).toContain(`${path.join(temp.project, "wren.toml")} was not loaded, so the MCP servers it defines cannot be accepted until it loads`);
    expect(temp.printed.err.trimEnd().split("\n").at(-1)).toBe(
      `wren: ${path.join(temp.project, "wren.toml")} did not load, so the MCP servers it defines were not accepted: fix it (wren config validate shows its problems) and run wren trust again.`,
    );
    expect(temp.printed.out).toContain("Accepted for");
    expect(temp.printed.out).toContain("Bash(npm test), mcp server tool.");
    const projects = await listTrustedProjects({ env: { WREN_HOME: temp.home } });
    expect(projects.map((p) => [p.allow, p.mcpServers])).toEqual([[["Bash(npm test)"], ["tool"]]]);

    temp.printed.out = "";
    temp.printed.err = "";
    expect(await runTrust(temp.project, {})).toBe(2);
    expect(temp.printed.err).toContain("was not loaded");
    expect(temp.printed.out).toContain("but for those of its wren.toml, which did not load: Bash(npm test), mcp server tool.");
  });

  it("says there is nothing else to accept when the rest is empty", async () => {
    writeFileSync(path.join(temp.project, "wren.toml"), "[mcp.servers.proj\n");
    expect(await runTrust(temp.project, { yes: true })).toBe(2);
    expect(temp.printed.err).toContain("was not loaded");
    expect(temp.printed.out).toContain("there is nothing else to accept");
  });

  it("offers no .mcp.json server when the file turns .mcp.json off, and says it is not used", async () => {
    writeFileSync(path.join(temp.project, ".mcp.json"), JSON.stringify({ mcpServers: { tool: { command: "node", args: ["tool.js"] } } }));
    writeFileSync(path.join(temp.home, "config.toml"), '[mcp.servers.github]\ncommand = "github-server"\n');
    writeFileSync(path.join(temp.project, "wren.toml"), '[mcp]\nprojectFile = false\n\n[mcp.servers.github]\ncommand = "node"\nargs = ["evil.js"]\n');
    expect(await runTrust(temp.project, { yes: true })).toBe(2);
    expect(temp.printed.err).toContain("was not loaded");
    expect(`${temp.printed.out}${temp.printed.err}`).not.toContain("mcp server tool");
    expect(temp.printed.out).toContain("holds no allow rules (the project's .mcp.json is not used: mcp.projectFile = false): there is nothing else to accept.");
    expect(await listTrustedProjects({ env: { WREN_HOME: temp.home } })).toEqual([]);
  });

  it("exits 2 when the file is refused for a setting it may not make, as any command reading it would", async () => {
    writeFileSync(path.join(temp.project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(npm test)"]\n');
    writeFileSync(path.join(temp.project, "wren.toml"), '[router]\ncloud = "allow"\n[mcp.servers.proj]\ncommand = "node"\n');
    expect(await runTrust(temp.project, { yes: true })).toBe(2);
    expect(temp.printed.err).toContain("router.cloud");
    expect(temp.printed.out).toContain("Accepted for");
    expect((await listTrustedProjects({ env: { WREN_HOME: temp.home } })).map((p) => [p.allow, p.mcpServers])).toEqual([[["Bash(npm test)"], []]]);
  });
});

describe("wren trust in a project whose wren.toml loads", () => {
  it("exits 0 once it has accepted what the project holds, and when there is nothing to accept", async () => {
    writeFileSync(path.join(temp.project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(npm test)"]\n');
    writeFileSync(path.join(temp.project, "wren.toml"), '[mcp.servers.proj]\ncommand = "node"\n');
    expect(await runTrust(temp.project, { yes: true })).toBe(0);
    expect(temp.printed.out).toContain("Bash(npm test), mcp server proj.");
    expect(temp.printed.err).toBe("");
    expect(await runTrust(temp.project, { yes: true })).toBe(0);
    expect(temp.printed.out).toContain("already");
  });
});

describe("wren trust DIR", () => {
  it("refuses a folder that does not exist (a typo), rather than saying there is nothing to accept", async () => {
    const missing = path.join(temp.root, "projcet");
    expect(await runTrust(missing, { yes: true })).toBe(2);
    expect(temp.printed.err).toContain(`${missing} does not exist`);
    expect(temp.printed.out).toBe("");
    temp.printed.out = "";
    temp.printed.err = "";
    expect(await runTrust(missing, { forget: true })).toBe(2);
    expect(temp.printed.err).toContain(`${missing} does not exist`);
  });

  it("refuses a file in place of a folder", async () => {
    const file = path.join(temp.project, "README.md");
    writeFileSync(file, "hi\n");
    expect(await runTrust(file, { yes: true })).toBe(2);
    expect(temp.printed.err).toContain(`${file} is not a folder`);
  });
});

describe("wren trust --forget", () => {
  it("names what it took back: rules only, when no MCP server was accepted", async () => {
    writeFileSync(path.join(temp.project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(npm test)"]\n');
    expect(await runTrust(temp.project, { yes: true })).toBe(0);
    temp.printed.out = "";
    temp.printed.err = "";
    expect(await runTrust(temp.project, { forget: true })).toBe(0);
    expect(temp.printed.out).toContain("Took back the allow rules you accepted for");
    expect(temp.printed.out).toContain("(Bash(npm test))");
    expect(temp.printed.out).not.toContain("MCP server");
  });

  it("names the MCP servers when only those were accepted", async () => {
    writeFileSync(path.join(temp.project, "wren.toml"), '[mcp.servers.proj]\ncommand = "node"\n');
    expect(await runTrust(temp.project, { yes: true })).toBe(0);
    temp.printed.out = "";
    temp.printed.err = "";
    expect(await runTrust(temp.project, { forget: true })).toBe(0);
    expect(temp.printed.out).toContain("Took back the MCP servers you accepted for");
    expect(temp.printed.out).toContain("(proj)");
    expect(temp.printed.out).not.toContain("allow rules");
  });
});

describe("wren trust --json", () => {
  it("is refused (exit 2) without --list, the one form it prints, and nothing is accepted or taken back", async () => {
    writeFileSync(path.join(temp.project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(npm test)"]\n');
    for (const flags of [{ json: true }, { json: true, yes: true }, { json: true, forget: true }]) {
      temp.printed.out = "";
      temp.printed.err = "";
      expect(await runTrust(temp.project, flags)).toBe(2);
      expect(temp.printed.out).toBe("");
      expect(temp.printed.err).toBe("wren: --json goes with --list only: accepting a project's rules and --forget print text. Run wren trust --list --json for the projects you accepted, as JSON, or leave out --json.\n");
    }
    expect(await listTrustedProjects({ env: { WREN_HOME: temp.home } })).toEqual([]);
    expect(await runTrust(undefined, { list: true, json: true })).toBe(0);
    expect(temp.printed.out).toBe("[]\n");
  });
});
