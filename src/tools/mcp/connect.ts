import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { abortedError } from "../../shared/abort.js";
import { WrenError } from "../../shared/errors.js";
import type { Tool } from "../tool.js";
import type { McpServerConfig, McpServersConfig } from "./config.js";
import { mcpTool, type McpToolInfo } from "./mcp-tool.js";
import { McpStdioTransport } from "./stdio-transport.js";

/** Options of `connectMcpServers`. */
export interface McpConnectOptions {
  /** Where stdio servers start unless their config names a folder (relative ones resolve here too). */
  cwd: string;
  /** Time a server has to start and list its tools. Default 30 s. */
  connectTimeoutMs?: number;
  /** Time one tool call may take. Default 10 min. */
  callTimeoutMs?: number;
  /** How wren introduces itself to servers. */
  clientInfo?: { name: string; version: string };
  /**
   * Cancels starting: servers still starting are stopped at once (stdio ones are sent SIGTERM) and
   * `connectMcpServers` rejects with an `aborted` error, after closing the servers that had started.
   */
  signal?: AbortSignal;
}

/** A server that could not be used, and why (said for the user; the session goes on without it). */
export interface McpServerFailure {
  server: string;
  error: WrenError;
}

/** The MCP servers of a session; close it (or `await using`) to stop them. */
export class McpConnections implements AsyncDisposable {
  /** Every tool of every server that started, as `mcp__server__tool`. */
  readonly tools: Tool[];
  /** Servers that started. */
  readonly servers: string[];
  readonly failures: McpServerFailure[];
  readonly #clients: Client[];

  constructor(clients: Client[], servers: string[], tools: Tool[], failures: McpServerFailure[]) {
    this.#clients = clients;
    this.servers = servers;
    this.tools = tools;
    this.failures = failures;
  }

  /** Disconnects; stdio servers are stopped. */
  async close(): Promise<void> {
    await Promise.all(this.#clients.map((client) => client.close().catch(() => undefined)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Starts (stdio) or reaches (HTTP) the configured MCP servers at once, in parallel, and lists their
 * tools. A server that fails to start or answer is reported in `failures`, never fatal to the
 * others; a cancelled start (`options.signal`) stops them all and rejects.
 */
export async function connectMcpServers(servers: McpServersConfig, options: McpConnectOptions): Promise<McpConnections> {
  const names = Object.keys(servers);
  const settled = await Promise.allSettled(names.map((name) => connectServer(name, servers[name]!, options)));
  if (options.signal?.aborted) {
    const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.client] : []));
    await Promise.all(started.map((client) => client.close().catch(() => undefined)));
    throw abortedError(options.signal);
  }
  const clients: Client[] = [];
  const started: string[] = [];
  const tools: Tool[] = [];
  const failures: McpServerFailure[] = [];
  const taken = new Set<string>();
  settled.forEach((outcome, i) => {
    const server = names[i]!;
    if (outcome.status === "rejected") {
      failures.push({ server, error: outcome.reason as WrenError });
      return;
    }
    clients.push(outcome.value.client);
    started.push(server);
    for (const tool of outcome.value.tools) {
      if (taken.has(tool.name)) {
        failures.push({ server, error: new WrenError("bad_request", `The MCP tool name '${tool.name}' is taken by another tool; this one was left out.`) });
        continue;
      }
      taken.add(tool.name);
      tools.push(tool);
    }
  });
  return new McpConnections(clients, started, tools, failures);
}

async function connectServer(name: string, config: McpServerConfig, options: McpConnectOptions): Promise<{ client: Client; tools: Tool[] }> {
  const timeout = options.connectTimeoutMs ?? 30_000;
  const client = new Client(options.clientInfo ?? { name: "wren", version: "0.1.0" });
  const signal = options.signal;
  let transport: Transport;
  let stdio: McpStdioTransport | undefined;
  if ("command" in config) {
    stdio = new McpStdioTransport({
      command: config.command,
      args: config.args,
      env: { ...getDefaultEnvironment(), ...config.env },
      cwd: config.cwd ? path.resolve(options.cwd, config.cwd) : options.cwd,
    });
    transport = stdio;
  } else {
    transport = new StreamableHTTPClientTransport(new URL(config.url), config.headers ? { requestInit: { headers: config.headers } } : undefined);
  }
  // A cancelled or failed start stops the server now, not 2 s after its stdin closes.
  const stopNow = (): void => stdio?.kill();
  signal?.addEventListener("abort", stopNow, { once: true });
  try {
    if (signal?.aborted) throw abortedError(signal);
    await client.connect(transport, { timeout, ...(signal ? { signal } : {}) });
    const infos: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout, ...(signal ? { signal } : {}) });
      infos.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return { client, tools: infos.map((info) => mcpTool(name, client, info, options.callTimeoutMs ?? 600_000, stdio)) };
  } catch (error) {
    // Read before stopNow, whose SIGTERM would be the exit reported.
    const trouble = stdio?.trouble();
    const badOutput = stdio?.badLine !== undefined;
    stopNow();
    await client.close().catch(() => undefined);
    if (signal?.aborted) throw abortedError(signal);
    const stderr = stdio?.stderrTail ?? "";
    const reason = trouble ? `it ${trouble}` : error instanceof Error ? error.message : String(error);
    const where = "command" in config ? `'${[config.command, ...config.args].join(" ")}'` : config.url;
    const next = badOutput
      ? "An MCP stdio server must write only JSON-RPC messages to stdout; its logs belong on stderr. Is it started with the right arguments?"
      : "Check its command, arguments or URL; its tools are left out of this session.";
    throw new WrenError("upstream_error", `The MCP server '${name}' (${where}) could not be used: ${reason}.`, {
      hint: stderr ? `Its last output:\n${stderr}${badOutput ? `\n${next}` : ""}` : next,
      cause: error,
    });
  } finally {
    signal?.removeEventListener("abort", stopNow);
  }
}
