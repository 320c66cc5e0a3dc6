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
  /** Set when one tool was left out (its name taken by another): the server itself is on. */
  tool?: string;
}

/** A server that became ready (its tools) or could not be used (its failure), after `startMcpServers` returned. */
export interface McpServerUpdate {
  server: string;
  /** The tools it added (none when it failed or all its names were taken). */
  tools: Tool[];
  /** Why it, or one of its tools, was left out. */
  failures: McpServerFailure[];
}

/**
 * The MCP servers of a session; close it (or `await using`) to stop them, those still starting
 * included. `tools`, `servers` and `failures` grow as servers started by `startMcpServers` settle.
 */
export class McpConnections implements AsyncDisposable {
  /** Every tool of every server that started, as `mcp__server__tool`. */
  readonly tools: Tool[] = [];
  /** Servers that started. */
  readonly servers: string[] = [];
  readonly failures: McpServerFailure[] = [];
  /** Resolves once every server has started or failed (never rejects). */
  readonly settled: Promise<void>;
  readonly #clients: Client[] = [];
  readonly #starting: Set<string>;
  /** Each tool name offered, and the server that offers it. */
  readonly #taken = new Map<string, string>();
  readonly #listeners = new Set<(update: McpServerUpdate) => void>();
  readonly #stop: AbortController;
  #closed = false;

  /** @internal Made by {@link startMcpServers}. */
  constructor(names: string[], stop: AbortController, settled: (connections: McpConnections) => Promise<void>) {
    this.#starting = new Set(names);
    this.#stop = stop;
    this.settled = settled(this);
  }

  /** Servers still starting, in the order they were configured. */
  get starting(): string[] {
    return [...this.#starting];
  }

  /** Calls `listener` as each server still starting settles; returns the unsubscribe. */
  subscribe(listener: (update: McpServerUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal A server settled: its client (undefined when it failed), its tools or its failure. */
  settle(server: string, outcome: { client: Client; tools: Tool[] } | { failure: McpServerFailure }): void {
    this.#starting.delete(server);
    if (this.#closed) {
      if ("client" in outcome) void outcome.client.close().catch(() => undefined);
      return;
    }
    const update: McpServerUpdate = { server, tools: [], failures: [] };
    if ("failure" in outcome) {
      update.failures.push(outcome.failure);
    } else {
      this.#clients.push(outcome.client);
      this.servers.push(server);
      for (const tool of outcome.tools) {
        const owner = this.#taken.get(tool.name);
        if (owner !== undefined) {
          const by = owner === server ? "another of its tools" : `the MCP server '${owner}'`;
          update.failures.push({ server, tool: tool.name, error: new WrenError("bad_request", `The MCP tool name '${tool.name}' is taken by ${by}; this one was left out.`) });
          continue;
        }
        this.#taken.set(tool.name, server);
        update.tools.push(tool);
      }
    }
    this.tools.push(...update.tools);
    this.failures.push(...update.failures);
    for (const listener of this.#listeners) listener(update);
  }

  /** Disconnects; stdio servers are stopped, those still starting at once. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stop.abort();
    await Promise.all(this.#clients.map((client) => client.close().catch(() => undefined)));
    await this.settled;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Starts (stdio) or reaches (HTTP) the configured MCP servers at once, in parallel, and returns
 * without waiting for them: each server's tools join `tools` when it has listed them, and one that
 * fails to start or answer is added to `failures` (`subscribe` hears of both; `settled` resolves
 * when none is left starting). Servers that settle together are taken in their configured order.
 */
export function startMcpServers(servers: McpServersConfig, options: McpConnectOptions): McpConnections {
  const names = Object.keys(servers);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  return new McpConnections(names, stop, async (connections) => {
    await Promise.all(
      names.map(async (server) => {
        try {
          connections.settle(server, await connectServer(server, servers[server]!, { ...options, signal }));
        } catch (error) {
          connections.settle(server, { failure: { server, error: error as WrenError } });
        }
      }),
    );
  });
}

/**
 * Starts (stdio) or reaches (HTTP) the configured MCP servers at once, in parallel, and lists their
 * tools, waiting for every one of them (each has `connectTimeoutMs`). A server that fails to start
 * or answer is reported in `failures`, never fatal to the others; a cancelled start
 * (`options.signal`) stops them all and rejects. The tools are in the servers' configured order.
 */
export async function connectMcpServers(servers: McpServersConfig, options: McpConnectOptions): Promise<McpConnections> {
  const names = Object.keys(servers);
  const outcomes = new Map<string, Parameters<McpConnections["settle"]>[1]>();
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Settled in the configured order once all have answered, so which of two servers keeps a tool
  // name both produce does not depend on which started first.
  const connections = new McpConnections(names, stop, async (c) => {
    await Promise.all(
      names.map(async (server) => {
        try {
          outcomes.set(server, await connectServer(server, servers[server]!, { ...options, signal }));
        } catch (error) {
          outcomes.set(server, { failure: { server, error: error as WrenError } });
        }
      }),
    );
    if (options.signal?.aborted) {
      const clients = [...outcomes.values()].flatMap((o) => ("client" in o ? [o.client] : []));
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      return;
    }
    for (const server of names) c.settle(server, outcomes.get(server)!);
  });
  await connections.settled;
  if (options.signal?.aborted) throw abortedError(options.signal);
  return connections;
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
