import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { mcpFixtures, mcpServer } from "../helpers/mcp-fixtures.js";

interface ListJson {
  servers: Array<{ name: string; transport: string; target: string; source: string; started?: boolean; waiting?: string; ok?: boolean; tools?: Array<{ name: string }>; error?: { message: string } }>;
  failures: Array<{ server: string }>;
}

const fixture = mcpFixtures.stdio;

describe("wren mcp list | add | rm", () => {
  let root: string;
  let project: string;
  let env: Record<string, string>;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-mcp-cli-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    env = { WREN_HOME: path.join(root, "home") };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const wren = (args: string[]) => runCli(args, { env, cwd: project });
  const list = async (args: string[] = []) => {
    const r = await wren(["mcp", "list", "--json", ...args]);
    return { code: r.code, out: JSON.parse(r.stdout) as ListJson };
  };

  it("adds servers to the project's wren.toml and the user's config, keeping what the file already said", async () => {
    const toml = path.join(project, "wren.toml");
    writeFileSync(toml, "# the team's settings\n[engine]\nthreads = 2 # two is enough\n");
    const added = await wren(["mcp", "add", "fixture", "--project", "--env", "GREETING=hi", "--", process.execPath, fixture]);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain("--allow mcp__fixture");
    expect(readFileSync(toml, "utf8")).toMatch(/^# the team's settings\n\[engine\]\nthreads = 2 # two is enough\n\n\[mcp\.servers\.fixture\]\n/);
    expect((await wren(["mcp", "add", "web", "--url", "http://127.0.0.1:9/mcp", "--header", "Authorization: Bearer abc"])).code).toBe(0);
    expect(readFileSync(path.join(root, "home", "config.toml"), "utf8")).toContain("[mcp.servers.web]");

    const { code, out } = await list();
    expect(code).toBe(0);
    expect(out.servers.map((s) => [s.name, s.transport, s.source]).sort()).toEqual([
      ["fixture", "stdio", "config"],
      ["web", "http", "config"],
    ]);
  });

  it("refuses a second server of the same name, and one with no command or URL, saying what to do", async () => {
    const again = await wren(["mcp", "add", "fixture", "--project", "--", "node"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already in");
    expect(again.stderr).toContain("wren mcp rm fixture --project");
    const nothing = await wren(["mcp", "add", "empty"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("a command after --, or --url");
  });

  it("--check starts each server the user configured or accepted: its tools, or why it failed (exit 1)", async () => {
    writeFileSync(path.join(project, ".mcp.json"), JSON.stringify({ mcpServers: { fixture: { command: "not-this-one" }, shared: mcpServer([fixture]) } }));
    // The project's servers ('fixture' of its wren.toml, 'shared' of .mcp.json) start once accepted.
    const trusted = await wren(["trust", "--yes"]);
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain("mcp server fixture");
    expect(trusted.stdout).toContain("mcp server shared");
    const { code, out } = await list(["--check"]);
    expect(code).toBe(1);
    const byName = Object.fromEntries(out.servers.map((s) => [s.name, s]));
    // The config's 'fixture' wins over the .mcp.json one of the same name.
    expect(byName["fixture"]).toMatchObject({ source: "config", started: true, ok: true });
    expect(byName["fixture"]!.tools!.map((t) => t.name)).toContain("mcp__fixture__echo");
    expect(byName["shared"]).toMatchObject({ source: ".mcp.json", started: true, ok: true });
    expect(byName["web"]).toMatchObject({ started: true, ok: false });
    expect(byName["web"]!.error!.message).toContain("http://127.0.0.1:9/mcp");
  });

  it("--check does not start a project's server the user has not accepted, and says how to accept it (not a failure)", async () => {
    const clone = path.join(root, "clone");
    mkdirSync(path.join(clone, ".git"), { recursive: true });
    const marker = path.join(root, "clone-server-ran");
    writeFileSync(path.join(clone, ".mcp.json"), JSON.stringify({ mcpServers: { tool: mcpServer(["-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`]) } }));
    const fresh = { WREN_HOME: path.join(root, "clone-home") };
    const json = await runCli(["mcp", "list", "--check", "--json"], { env: fresh, cwd: clone });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as ListJson).servers).toEqual([expect.objectContaining({ name: "tool", source: ".mcp.json", started: false, waiting: "new" })]);
    const text = await runCli(["mcp", "list", "--check"], { env: fresh, cwd: clone });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("waiting for consent");
    expect(text.stdout).toContain("mcp server tool (.mcp.json) runs");
    expect(text.stdout).toContain("wren trust");
    expect(existsSync(marker)).toBe(false);
  });

  it("removes a server, keeping the rest of the file", async () => {
    rmSync(path.join(project, ".mcp.json"));
    expect((await wren(["mcp", "rm", "fixture", "--project"])).code).toBe(0);
    expect(readFileSync(path.join(project, "wren.toml"), "utf8")).toBe("# the team's settings\n[engine]\nthreads = 2 # two is enough\n\n");
    expect((await wren(["mcp", "rm", "web"])).code).toBe(0);
    expect((await list()).out.servers).toEqual([]);
    const missing = await wren(["mcp", "rm", "web"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("There is no MCP server 'web'");
  });
});
