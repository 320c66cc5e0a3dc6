import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { mcpFixtures, mcpServer } from "../../../test/helpers/mcp-fixtures.js";
import { killAndAwaitGone, untilGone } from "../../../test/helpers/processes.js";
import { projectRoot } from "../../../test/helpers/shared-models.js";
import { tempDir, toolContext } from "../../../test/helpers/tool-context.js";
import { runTool } from "../run-tool.js";
import { toolDefinition } from "../tool-definition.js";
import { mcpServersSchema } from "./config.js";
import { connectMcpServers, type McpConnections } from "./connect.js";

/** Waits until a file holds the text; the test's own timeout bounds the wait. */
async function fileWith(file: string, text: string): Promise<void> {
  while ((await fs.readFile(file, "utf8").catch(() => "")) !== text) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("MCP servers over stdio", () => {
  let mcp: McpConnections;

  beforeAll(async () => {
    const servers = mcpServersSchema.parse({
      fixture: mcpServer([mcpFixtures.stdio]),
      missing: { command: "wren-no-such-mcp-server" },
      crashing: mcpServer(["-e", "process.stderr.write('bad token in config\\n'); process.exit(1)"]),
    });
    mcp = await connectMcpServers(servers, { cwd: projectRoot });
  });

  afterAll(async () => {
    await mcp.close();
  });

  it("lists a server's tools as mcp__server__tool, with the server's own JSON Schema", () => {
    expect(mcp.servers).toEqual(["fixture"]);
    expect(mcp.tools.map((t) => t.name)).toEqual(["mcp__fixture__echo", "mcp__fixture__add", "mcp__fixture__fail", "mcp__fixture__wait"]);
    const echo = toolDefinition(mcp.tools[0]!);
    expect(echo.description).toBe("Says the text back. (from the MCP server 'fixture')");
    expect(echo.inputSchema).toMatchObject({ type: "object", properties: { text: { type: "string" } }, required: ["text"] });
  });

  it("asks before every call, even of a tool the server marks read-only", () => {
    const add = mcp.tools.find((t) => t.name === "mcp__fixture__add")!;
    expect(add.readOnly).toBe(false);
    expect(add.permission({ a: 1, b: 2 }, toolContext(projectRoot))).toEqual({ tool: "mcp__fixture__add", effect: "execute" });
  });

  it("reports servers that did not start, with what they said, and keeps the others", () => {
    expect(mcp.failures.map((f) => f.server).sort()).toEqual(["crashing", "missing"]);
    const crashing = mcp.failures.find((f) => f.server === "crashing")!.error;
    expect(crashing.code).toBe("upstream_error");
    expect(crashing.message).toContain("The MCP server 'crashing'");
    expect(crashing.hint).toContain("bad token in config");
    expect(mcp.failures.find((f) => f.server === "missing")!.error.message).toContain("wren-no-such-mcp-server");
  });

  it("says a server that exits before answering exited, with its code", () => {
    expect(mcp.failures.find((f) => f.server === "crashing")!.error.message).toContain("could not be used: it exited with code 1.");
  });

  it("calls tools; a tool's own failure is an error result for the model", async () => {
    const byName = (n: string) => mcp.tools.find((t) => t.name === `mcp__fixture__${n}`)!;
    expect(await runTool(byName("echo"), { text: "hi" }, toolContext(projectRoot))).toMatchObject({ isError: false, llmContent: "echo: hi" });
    expect((await runTool(byName("add"), { a: 2, b: 3 }, toolContext(projectRoot))).llmContent).toBe("5");
    expect(await runTool(byName("fail"), {}, toolContext(projectRoot))).toMatchObject({ isError: true, llmContent: "it failed on purpose" });
    const bad = await runTool(byName("add"), { a: "two" }, toolContext(projectRoot));
    expect(bad.isError).toBe(true);
  });

  it("cancels a running call on the server when the turn is cancelled", async () => {
    await using dir = await tempDir();
    const marker = path.join(dir.path, "cancelled");
    const controller = new AbortController();
    const wait = mcp.tools.find((t) => t.name === "mcp__fixture__wait")!;
    const running = runTool(wait, { marker }, toolContext(projectRoot, { signal: controller.signal }));
    // Abort once the server is running the call; then the server must hear of the cancellation.
    await fileWith(`${marker}.started`, "started\n");
    controller.abort();
    expect(await running).toMatchObject({ isError: true, llmContent: "Cancelled by the user." });
    await fileWith(marker, "cancelled\n");
  });
});

describe("MCP servers that misbehave", () => {
  it("quotes the first stdout line of a server that prints something other than JSON-RPC", async () => {
    // Answers every message with a log line; its second line is JSON, but not JSON-RPC.
    const noisy = `process.stdin.on("data", () => process.stdout.write("Listening on port 8080\\n{\\"hello\\":1}\\n" + "x".repeat(500) + "\\n"));`;
    const servers = mcpServersSchema.parse({ noisy: mcpServer(["-e", noisy]) });
    await using mcp = await connectMcpServers(servers, { cwd: projectRoot, connectTimeoutMs: 1_000 });
    const error = mcp.failures[0]!.error;
    expect(error.message).toContain(`could not be used: it printed something on stdout that is not JSON-RPC: "Listening on port 8080".`);
    expect(error.hint).toContain("only JSON-RPC messages to stdout");
  });

  it("says a server that crashed mid-session exited, with its code and last output, on the next calls", async () => {
    const crashy = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
      import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
      const server = new McpServer({ name: "crashy", version: "1.0.0" });
      server.registerTool("crash", { description: "Crashes." }, async () => { process.stderr.write("out of memory, giving up\\n"); process.exit(3); });
      server.registerTool("hello", { description: "Greets." }, async () => ({ content: [{ type: "text", text: "hello" }] }));
      await server.connect(new StdioServerTransport());`;
    const servers = mcpServersSchema.parse({ crashy: mcpServer(["--input-type=module", "-e", crashy]) });
    await using mcp = await connectMcpServers(servers, { cwd: projectRoot });
    expect(mcp.failures).toEqual([]);
    const byName = (n: string) => mcp.tools.find((t) => t.name === `mcp__crashy__${n}`)!;
    const crashed = await runTool(byName("crash"), {}, toolContext(projectRoot));
    expect(crashed.isError).toBe(true);
    expect(crashed.llmContent).toContain("The MCP server 'crashy' exited with code 3, so crash could not run.");
    expect(crashed.llmContent).toContain("out of memory, giving up");
    const next = await runTool(byName("hello"), {}, toolContext(projectRoot));
    expect(next.llmContent).toContain("The MCP server 'crashy' exited with code 3, so hello could not run.");
    expect(next.llmContent).not.toContain("Not connected");
  });
});

describe("cancelling the start of MCP servers", () => {
  it("stops a server that never answers at once, not after the connect timeout, and ends its process", async () => {
    await using dir = await tempDir();
    const pidFile = path.join(dir.path, "pid");
    // Never answers and ignores stdin closing; only a signal ends it.
    const hang = `require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
    const servers = mcpServersSchema.parse({ hang: mcpServer(["-e", hang]), fixture: mcpServer([mcpFixtures.stdio]) });
    const controller = new AbortController();
    const connecting = connectMcpServers(servers, { cwd: projectRoot, connectTimeoutMs: 60_000, signal: controller.signal });
    while (!(await fs.readFile(pidFile, "utf8").catch(() => ""))) await new Promise((resolve) => setTimeout(resolve, 20));
    const pid = Number(await fs.readFile(pidFile, "utf8"));
    const started = Date.now();
    controller.abort();
    await expect(connecting).rejects.toMatchObject({ code: "aborted" });
    expect(Date.now() - started).toBeLessThan(10_000);
    await untilGone([pid]);
  }, 30_000);

  it("leaves no server behind when wren itself is killed: the server's stdin closes, the stdio convention for stop", async () => {
    await using dir = await tempDir();
    const pidFile = path.join(dir.path, "pid");
    // A server that never answers but, as the convention asks, exits when its stdin closes.
    const server = `require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`;
    const connectTs = path.join(projectRoot, "src", "tools", "mcp", "connect.ts");
    const wren = `const { connectMcpServers } = await import(${JSON.stringify(pathToFileURL(connectTs).href)});
      await connectMcpServers({ s: ${JSON.stringify(mcpServer(["-e", server], {}))} }, { cwd: process.cwd(), connectTimeoutMs: 60_000 });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", wren], { cwd: projectRoot, stdio: "ignore" });
    try {
      while (!(await fs.readFile(pidFile, "utf8").catch(() => ""))) await new Promise((resolve) => setTimeout(resolve, 20));
      const pid = Number(await fs.readFile(pidFile, "utf8"));
      await killAndAwaitGone(child, [pid]);
    } finally {
      child.kill("SIGKILL");
    }
  }, 30_000);

  it.runIf(process.platform !== "win32")("leaves no server behind when wren is killed, even one that ignores its stdin closing and SIGTERM, nor what it started", async () => {
    await using dir = await tempDir();
    const pidFile = path.join(dir.path, "pids");
    const connectTs = path.join(projectRoot, "src", "tools", "mcp", "connect.ts");
    const wren = `const { connectMcpServers } = await import(${JSON.stringify(pathToFileURL(connectTs).href)});
      await connectMcpServers({ s: ${JSON.stringify(mcpServer([mcpFixtures.stubborn], { WREN_TEST_PIDS: pidFile }))} }, { cwd: process.cwd() });
      setInterval(() => {}, 60_000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", wren], { cwd: projectRoot, stdio: "ignore" });
    let pids: number[] = [];
    try {
      while (pids.length < 2) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        pids = (await fs.readFile(pidFile, "utf8").catch(() => "")).trim().split(" ").filter(Boolean).map(Number);
      }
      // The watchdog's SIGTERM is ignored; its SIGKILL follows 2 s later.
      await killAndAwaitGone(child, pids);
    } finally {
      child.kill("SIGKILL");
    }
  }, 30_000);

  it.runIf(process.platform !== "win32")("closing the connections stops a stubborn server and what it started", async () => {
    await using dir = await tempDir();
    const pidFile = path.join(dir.path, "pids");
    const servers = mcpServersSchema.parse({ s: mcpServer([mcpFixtures.stubborn], { WREN_TEST_PIDS: pidFile }) });
    const mcp = await connectMcpServers(servers, { cwd: projectRoot });
    expect(mcp.servers).toEqual(["s"]);
    while (!(await fs.readFile(pidFile, "utf8").catch(() => ""))) await new Promise((resolve) => setTimeout(resolve, 20));
    const pids = (await fs.readFile(pidFile, "utf8")).trim().split(" ").map(Number);
    try {
      await mcp.close();
    } finally {
      await untilGone(pids);
    }
  }, 30_000);

  it("rejects before starting anything when already cancelled", async () => {
    const servers = mcpServersSchema.parse({ fixture: mcpServer([mcpFixtures.stdio]) });
    await expect(connectMcpServers(servers, { cwd: projectRoot, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "aborted" });
  });
});

describe("MCP servers over streamable HTTP", () => {
  let httpServer: http.Server;
  let url: string;

  beforeAll(async () => {
    httpServer = http.createServer((req, res) => {
      // Stateless: a fresh server and transport per request, as the SDK's stateless example does.
      const server = new McpServer({ name: "web", version: "1.0.0" });
      server.registerTool("shout", { description: "Upper-cases text.", inputSchema: { text: z.string() } }, async ({ text }) => ({
        content: [{ type: "text", text: text.toUpperCase() }],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      void server.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
  });

  afterAll(async () => {
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
  });

  it("lists and calls a remote server's tools; an unreachable one is reported", async () => {
    const servers = mcpServersSchema.parse({ web: { type: "http", url }, gone: { type: "http", url: "http://127.0.0.1:9/mcp" } });
    await using mcp = await connectMcpServers(servers, { cwd: projectRoot, connectTimeoutMs: 20_000 });
    expect(mcp.tools.map((t) => t.name)).toEqual(["mcp__web__shout"]);
    expect((await runTool(mcp.tools[0]!, { text: "quiet" }, toolContext(projectRoot))).llmContent).toBe("QUIET");
    expect(mcp.failures.map((f) => f.server)).toEqual(["gone"]);
  });

  it("refuses a server config that names no command or URL, saying what is wrong", () => {
    const result = mcpServersSchema.safeParse({ odd: { args: ["x"] }, "bad name": { command: "x" } });
    expect(result.success).toBe(false);
    expect(z.prettifyError(result.error!)).toMatch(/bad name|letters/);
  });
});
