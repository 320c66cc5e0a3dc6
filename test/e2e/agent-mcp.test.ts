import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServer, mcpServerToml } from "../helpers/mcp-fixtures.js";
import { teacherEnv } from "../helpers/teacher-env.js";

interface ResultJson {
  result: string;
  stop_reason: string;
  turns: number;
  tool_calls: Array<{ name: string; decision: "allow" | "deny"; reason: string; is_error: boolean }>;
  mcp_failures?: Array<{ server: string; error: { code: string; message: string; hint?: string } }>;
}

/** The tool results the model was sent in a request. */
const toolOutputs = (body: ChatBody): string[] => body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));

describe("wren -p with MCP servers from wren.toml and .mcp.json", () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-mcp-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    // The user's own servers: one that works, one that cannot start (the run must go on without it).
    mkdirSync(home, { recursive: true });
    const server = (name: string) => mcpServerToml(name, [mcpFixtures.stdio]);
    writeFileSync(path.join(home, "config.toml"), `${server("fixture")}\n[mcp.servers.broken]\ncommand = "wren-no-such-mcp-server"\nargs = []\n`);
    // Servers the project defines (its wren.toml, and the other coding agents' .mcp.json): a cloned
    // repository's files must not start programs unless the user allows that server.
    writeFileSync(path.join(project, "wren.toml"), server("repo"));
    writeFileSync(path.join(project, ".mcp.json"), JSON.stringify({ mcpServers: { jsonsrv: mcpServer([mcpFixtures.stdio]) } }));
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const print = async (script: TeacherScript, args: string[]): Promise<{ t: ScriptedTeacher; code: number | null; stdout: string; stderr: string }> => {
    const t = await startScriptedTeacher(script);
    teachers.push(t);
    const env = teacherEnv(home, t.url);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", ...args], { env, cwd: project });
    return { t, ...r };
  };
  const callEcho: TeacherScript = [{ toolCalls: [{ name: "mcp__fixture__echo", arguments: { text: "hi wren" } }] }, { text: "Finished." }];

  it("offers the server's tools, refuses a call no rule allows, and reports the server that did not start", async () => {
    const { t, code, stdout, stderr } = await print(callEcho, ["--output-format", "json", "Echo something"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as ResultJson;
    const offered = t.requests[0]!.tools!.map((x) => x.function.name);
    expect(offered).toEqual(expect.arrayContaining(["Read", "mcp__fixture__echo", "mcp__fixture__add"]));
    expect(offered.filter((n) => n.startsWith("mcp__repo__") || n.startsWith("mcp__jsonsrv__"))).toEqual([]);
    expect(out.tool_calls).toHaveLength(1);
    expect(out.tool_calls[0]).toMatchObject({ name: "mcp__fixture__echo", decision: "deny" });
    expect(out.tool_calls[0]!.reason).toMatch(/no one can be asked.*To allow it, run with --allow mcp__fixture__echo\.$/i);
    expect(toolOutputs(t.requests[1]!).join("\n")).not.toContain("echo: hi wren");
    expect(out.stop_reason).toBe("done");
    expect(out.result).toBe("Finished.");
    const failures = new Map(out.mcp_failures?.map((f) => [f.server, f.error.message]));
    expect([...failures.keys()].sort()).toEqual(["broken", "jsonsrv", "repo"]);
    expect(failures.get("broken")).toContain("wren-no-such-mcp-server");
    expect(failures.get("repo")).toMatch(/comes from the project's wren\.toml, so it was not started: you have not accepted it for this project \(it would run /);
    expect(failures.get("jsonsrv")).toMatch(/comes from \.mcp\.json, so it was not started/);
  });

  it("runs the tool with --allow mcp__server__tool and gives its answer to the model", async () => {
    const { t, code, stdout } = await print(callEcho, ["--output-format", "json", "--allow", "mcp__fixture__echo", "Echo something"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as ResultJson;
    expect(out.tool_calls[0]).toMatchObject({ name: "mcp__fixture__echo", decision: "allow", is_error: false });
    expect(toolOutputs(t.requests[1]!)).toEqual(["echo: hi wren"]);
    expect(out.result).toBe("Finished.");
  });

  it("says in the text output's stderr which server was left out, its hint indented on the line below", async () => {
    const { code, stdout, stderr } = await print([{ text: "Nothing to do." }], ["Say hello"]);
    expect(code).toBe(0);
    expect(stdout).toBe("Nothing to do.\n");
    const lines = stderr.split("\n").filter(Boolean);
    expect(lines.filter((l) => l.startsWith("wren: "))).toHaveLength(3);
    expect(lines).toContainEqual(expect.stringMatching(/^wren: MCP server 'broken' left out: .*wren-no-such-mcp-server/));
    const repo = lines.findIndex((l) => /^wren: MCP server 'repo' left out: /.test(l));
    expect(lines[repo + 1]).toMatch(/^ {2}\S.*--allow mcp__repo/);
  });

  it("starts the project's servers the user allows by flag", async () => {
    const { t, code, stdout } = await print([{ text: "Done." }], ["--output-format", "json", "--allow", "mcp__repo", "--allow", "mcp__jsonsrv__echo", "Say hello"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as ResultJson;
    expect(t.requests[0]!.tools!.map((x) => x.function.name)).toEqual(expect.arrayContaining(["mcp__repo__echo", "mcp__jsonsrv__echo"]));
    expect(out.mcp_failures?.map((f) => f.server)).toEqual(["broken"]);
  });
});
