import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { mcpServerToml } from "../helpers/mcp-fixtures.js";
import { untilGone } from "../helpers/processes.js";
import { teacherEnv } from "../helpers/teacher-env.js";

/**
 * A hand-written MCP stdio server (for what the SDK's server would never send): it answers
 * initialize, lists `tools` as given, and answers every tools/call with `result`.
 */
const rawServer = (tools: unknown[], result: unknown): string => `import readline from "node:readline";
const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n");
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const m = JSON.parse(line);
  if (m.method === "initialize") send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "raw", version: "1" } } });
  else if (m.method === "tools/list") send({ jsonrpc: "2.0", id: m.id, result: { tools: ${JSON.stringify(tools)} } });
  else if (m.method === "tools/call") send({ jsonrpc: "2.0", id: m.id, result: ${JSON.stringify(result)} });
});
`;

/** What the model was sent as tool results in a request. */
const toolOutputs = (body: ChatBody): string[] => body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("wren -p with an MCP server that misbehaves", () => {
  let root: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-mcp-odd-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs `wren -p` with one server, `odd`, running `script`. */
  const print = async (name: string, script: string, reply: TeacherScript, args: string[]) => {
    const home = path.join(root, name);
    mkdirSync(home, { recursive: true });
    const file = path.join(root, `${name}.mjs`);
    writeFileSync(file, script);
    writeFileSync(path.join(home, "config.toml"), mcpServerToml("odd", [file]));
    const t = await startScriptedTeacher(reply);
    teachers.push(t);
    return { t, ...(await runCli(["-p", "--model", "openai:gpt-4o-mini", ...args], { env: teacherEnv(home, t.url), cwd: project })) };
  };

  it("a tool with a broken input schema is left out, named on stderr; the server's other tools are offered and the run goes on", async () => {
    const tools = [
      { name: "good", description: "Works.", inputSchema: { type: "object", properties: { q: { type: "string" } } } },
      { name: "broken", description: "Broken.", inputSchema: { type: "object", properties: { q: { type: "text" } } } },
    ];
    const { t, code, stdout, stderr } = await print("schema", rawServer(tools, { content: [{ type: "text", text: "fine" }] }), [{ text: "Done." }], ["Say hello"]);
    expect(code).toBe(0);
    expect(stdout).toBe("Done.\n");
    expect(t.requests[0]!.tools!.map((x) => x.function.name)).toContain("mcp__odd__good");
    expect(t.requests[0]!.tools!.map((x) => x.function.name)).not.toContain("mcp__odd__broken");
    expect(stderr).toMatch(/^wren: MCP server 'odd': The MCP server 'odd' offers a tool 'broken' whose input schema is not valid JSON Schema \(.*text.*\); it was left out\.\n {2}Its other tools are offered/);
  });

  it("a server that crashes mid-call: the model gets an error result saying it exited, with its last words, and the run finishes", async () => {
    const script = rawServer([{ name: "boom", inputSchema: { type: "object" } }], null).replace(
      'else if (m.method === "tools/call")',
      'else if (m.method === "tools/call") { process.stderr.write("out of memory\\n"); process.exit(9); } else if (false)',
    );
    const reply: TeacherScript = [{ toolCalls: [{ name: "mcp__odd__boom", arguments: {} }] }, { text: "It broke." }];
    const { t, code, stdout } = await print("crash", script, reply, ["--allow", "mcp__odd", "Use boom"]);
    expect(code).toBe(0);
    expect(stdout).toContain("It broke.");
    expect(toolOutputs(t.requests[1]!).join("\n")).toMatch(/^The MCP server 'odd' exited with code 9, so boom could not run\..*\nIts last output:\nout of memory$/s);
  });

  it("Ctrl+C while a call hangs: the call is cancelled, the run ends as cancelled (130), and the server is stopped", async () => {
    const home = path.join(root, "hang");
    mkdirSync(home, { recursive: true });
    const pidFile = path.join(root, "hang.pid");
    const file = path.join(root, "hang.mjs");
    // Answers the call never; writes its pid once the call has arrived.
    writeFileSync(file, rawServer([{ name: "wait", inputSchema: { type: "object" } }], null).replace(
      'else if (m.method === "tools/call")',
      `else if (m.method === "tools/call") { (await import("node:fs")).writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); } else if (false)`,
    ).replace('.on("line", (line) =>', '.on("line", async (line) =>'));
    writeFileSync(path.join(home, "config.toml"), mcpServerToml("odd", [file]));
    const t = await startScriptedTeacher([{ toolCalls: [{ name: "mcp__odd__wait", arguments: {} }] }, { text: "never asked for" }]);
    teachers.push(t);
    const child = spawnCli(["-p", "--model", "openai:gpt-4o-mini", "--output-format", "json", "--allow", "mcp__odd", "Wait"], { env: teacherEnv(home, t.url), cwd: project });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const ended = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.stdin?.end();
    try {
      while (!existsSync(pidFile) || readFileSync(pidFile, "utf8") === "") await pause(20);
      child.kill("SIGINT");
      expect(await ended).toBe(130);
    } finally {
      child.kill("SIGKILL");
    }
    expect(JSON.parse(stdout)).toMatchObject({ stop_reason: "cancelled" });
    expect(t.requests).toHaveLength(1);
    await untilGone([Number(readFileSync(pidFile, "utf8"))]);
  });
});
