import { existsSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JsonSchemaType } from "@modelcontextprotocol/sdk/validation/types.js";
import { ToolSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { abortedError } from "../../shared/abort.js";
import { formatWait } from "../../shared/wait-text.js";
import { WrenError } from "../../shared/errors.js";
import type { Tool } from "../tool.js";
import type { McpServerConfig, McpServersConfig } from "./config.js";
import { boundedFetch } from "./http-fetch.js";
import { isTimeout, mcpTool, withOwnSignal, type McpToolInfo } from "./mcp-tool.js";
import { McpStdioTransport } from "./stdio-transport.js";

/** Options of `connectMcpServers`. */
export interface McpConnectOptions {
  /** Where stdio servers start unless their config names a folder (relative ones resolve here too). */
  cwd: string;
  /** Time a server has to start and list its tools. Default 30 s. */
  connectTimeoutMs?: number;
  /** Time one tool call may take. Default 10 min. */
  callTimeoutMs?: number;
  /**
   * Time a stdio server may take none of the bytes wren holds for it before it is taken to have
   * stopped reading its input: the calls that could not reach it fail then, not at their time
   * limit, and wren writes it nothing more. Default 30 s.
   */
  stalledInputMs?: number;
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
  /** Set when one tool was left out (its name taken by another, or its description broken): the server itself is on. */
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
  settle(server: string, outcome: { client: Client; tools: Tool[]; failures?: McpServerFailure[] } | { failure: McpServerFailure }): void {
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
      update.failures.push(...(outcome.failures ?? []));
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

/**
 * Why a stdio server's process could not be started, in words, for Node's "spawn X ENOENT" (which
 * it also says when the folder to start in is missing); undefined for other errors.
 */
function spawnFailure(error: unknown, command: string, cwd: string): { reason: string; hint: string } | undefined {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof syscall !== "string" || !syscall.startsWith("spawn")) return undefined;
  if (code === "ENOENT" && !existsSync(cwd)) {
    return { reason: `the folder it is to start in, ${cwd}, does not exist`, hint: "Fix its cwd in the config (a relative one is taken from the project's folder)." };
  }
  if (code === "ENOENT") {
    const relative = command.includes("/") || command.includes("\\") ? ` (taken from ${cwd})` : " on PATH";
    return { reason: `its command '${command}' was not found`, hint: `Install it, or give its full path: it was looked for${relative}.` };
  }
  if (code === "EACCES" || code === "EPERM") {
    return { reason: `its command '${command}' cannot be run: permission denied`, hint: "Is it a program, and may your user run it (chmod +x)?" };
  }
  return undefined;
}

/** Characters of an HTTP error's body, or of what is wrong with a tool, quoted at most. */
const BODY_HEAD = 120;
/** Characters of a tool's name, as the server gave it, quoted at most. */
const NAME_HEAD = 64;

/** The text, cut at `max` characters, marked "…" when it was. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Why an HTTP server refused, in words: its status, the start of its body (not a whole web page),
 * and what that status usually means; undefined for other errors.
 */
function httpFailure(error: unknown): { reason: string; hint: string } | undefined {
  if (!(error instanceof StreamableHTTPError)) return undefined;
  const status = error.code;
  if (typeof status !== "number" || status < 400) {
    const type = /Unexpected content type: (.*)$/.exec(error.message)?.[1];
    return type?.startsWith("text/html")
      ? { reason: `it answered with a web page (${type}), not MCP`, hint: "Check the URL: it should be the server's MCP endpoint (often ending in /mcp), not a web page such as a sign-in page." }
      : undefined;
  }
  const body = error.message.replace(/^Streamable HTTP error: (Error POSTing to endpoint: )?/, "").split("\n")[0]!.trim();
  const quoted = body === "" ? "" : `: "${clip(body, BODY_HEAD)}"`;
  const hint =
    status === 401 || status === 403
      ? "The server wants authorization: give it in the server's headers (headers = { authorization = \"Bearer …\" }), or check the token there."
      : status === 404 || status === 405
        ? "Nothing answers MCP at that URL: check the URL's path (servers often serve MCP at /mcp)."
        : "Check its URL and headers.";
  return { reason: `it answered HTTP ${status}${quoted}`, hint };
}

/** Pages of `tools/list` read at most: real servers list theirs in one or a few. */
const MAX_TOOL_PAGES = 100;

/**
 * Bytes of a tool's input schema offered at most: every request carries every tool's schema (its
 * property descriptions too, which the cut of a tool's description does not reach), so one of
 * hundreds of KB would fill a local model's context, or pass a provider's limit, on every turn.
 * Real tools' schemas are a few KB.
 */
const MAX_SCHEMA_BYTES = 64_000;
/** Levels of objects and arrays in a tool's input schema at most: deeper ones break providers' and grammars' converters, and the stack. */
const MAX_SCHEMA_DEPTH = 64;

/** Whether the JSON value nests objects and arrays more than `limit` levels deep (walked without recursion). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** One page of `tools/list`, its tools unchecked (see `checkTool`). */
const toolPageSchema = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });

/**
 * A tool as a server listed it, checked: its description must follow MCP's schema and its input
 * schema must be one a JSON Schema validator can compile (a provider, or the local engine, refuses
 * a request whose tool schema is broken: one bad tool would fail every turn). A broken tool is a
 * failure naming it and what is wrong; the server's other tools stay.
 */
async function checkTool(server: string, raw: unknown, index: number): Promise<{ info: McpToolInfo } | { failure: McpServerFailure }> {
  const rawName = (raw as { name?: unknown } | null)?.name;
  // The server's words, cut: they reach the terminal in the failure, and may be of any length.
  const tool = typeof rawName === "string" && rawName !== "" ? clip(rawName, NAME_HEAD) : `#${index + 1}`;
  const leftOut = (what: string): { failure: McpServerFailure } => ({
    failure: {
      server,
      tool,
      error: new WrenError("bad_request", `The MCP server '${server}' offers a tool '${tool}' ${what}; it was left out.`, {
        hint: "Its other tools are offered. The server's authors can fix the tool's description; a newer version of the server may have.",
      }),
    },
  });
  const checked = ToolSchema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return leftOut(`that is not a valid MCP tool (${issue ? clip(`${issue.path.join(".") || "(root)"}: ${issue.message}`, BODY_HEAD) : "unreadable"})`);
  }
  const schema = checked.data.inputSchema;
  if (deeperThan(schema, MAX_SCHEMA_DEPTH)) return leftOut(`whose input schema is nested more than ${MAX_SCHEMA_DEPTH} levels deep`);
  const bytes = Buffer.byteLength(JSON.stringify(schema));
  if (bytes > MAX_SCHEMA_BYTES) return leftOut(`whose input schema is ${Math.round(bytes / 1000)} KB, more than the ${MAX_SCHEMA_BYTES / 1000} KB wren offers a model (every request carries it)`);
  const problem = await schemaFault(schema);
  if (problem !== undefined) return leftOut(`whose input schema is not valid JSON Schema (${clip(problem, BODY_HEAD)})`);
  return { info: checked.data };
}

/**
 * Why a JSON Schema cannot be compiled (a type that is no JSON type, an empty enum, a reference to
 * nothing, a bad pattern), by the validator the MCP SDK itself uses; undefined when it compiles.
 * `format` is left out of the check: an unknown one does not break a schema, and the validator
 * would print a warning for it.
 */
async function schemaFault(schema: Record<string, unknown>): Promise<string | undefined> {
  const { AjvJsonSchemaValidator } = await import("@modelcontextprotocol/sdk/validation/ajv");
  try {
    new AjvJsonSchemaValidator().getValidator(withoutFormats(schema) as JsonSchemaType);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function withoutFormats(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutFormats);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === "format" && typeof value === "string")).map(([key, value]) => [key, withoutFormats(value)]));
}

async function connectServer(name: string, config: McpServerConfig, options: McpConnectOptions): Promise<{ client: Client; tools: Tool[]; failures: McpServerFailure[] }> {
  const timeout = options.connectTimeoutMs ?? 30_000;
  // The time is for the whole start, not for each request: a server answering each page of its
  // tools just in time would otherwise hold wren's start for as many times the limit as it has pages.
  const deadline = Date.now() + timeout;
  const left = (): number => Math.max(1, deadline - Date.now());
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
    }, options.stalledInputMs === undefined ? {} : { stalledInputMs: options.stalledInputMs });
    transport = stdio;
  } else {
    transport = new StreamableHTTPClientTransport(new URL(config.url), { fetch: boundedFetch(), ...(config.headers ? { requestInit: { headers: config.headers } } : {}) });
  }
  // A cancelled or failed start stops the server now, not 2 s after its stdin closes.
  const stopNow = (): void => stdio?.kill();
  signal?.addEventListener("abort", stopNow, { once: true });
  try {
    if (signal?.aborted) throw abortedError(signal);
    await withOwnSignal(signal, (own) => client.connect(transport, { timeout, ...(own ? { signal: own } : {}) }));
    // Listed without the SDK's check of the whole list, which refuses every tool when one is
    // broken: each tool is checked on its own, and only the broken ones are left out.
    const offered: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      // A server that always names a next page would hold the start (and grow the list) forever.
      if (++pages > MAX_TOOL_PAGES) throw new WrenError("upstream_error", `it listed its tools in more than ${MAX_TOOL_PAGES} pages without coming to an end`);
      const params = cursor === undefined ? {} : { params: { cursor } };
      const page = await withOwnSignal(signal, (own) => client.request({ method: "tools/list", ...params }, toolPageSchema, { timeout: left(), ...(own ? { signal: own } : {}) }));
      offered.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const tools: Tool[] = [];
    const failures: McpServerFailure[] = [];
    for (const [index, raw] of offered.entries()) {
      const checked = await checkTool(name, raw, index);
      if ("failure" in checked) failures.push(checked.failure);
      else tools.push(mcpTool(name, client, checked.info, options.callTimeoutMs ?? 600_000, stdio));
    }
    return { client, tools, failures };
  } catch (error) {
    // Read before stopNow, whose SIGTERM would be the exit reported.
    const trouble = stdio?.trouble();
    const badOutput = stdio?.strayOutputSince(0) !== undefined || stdio?.overlong === true;
    stopNow();
    await client.close().catch(() => undefined);
    if (signal?.aborted) throw abortedError(signal);
    const stderr = stdio?.stderrTail ?? "";
    const timedOut = !trouble && isTimeout(error);
    const inWords = "command" in config
      ? trouble ? undefined : spawnFailure(error, config.command, config.cwd ? path.resolve(options.cwd, config.cwd) : options.cwd)
      : httpFailure(error);
    const reason = trouble ? `it ${trouble}` : timedOut ? `it did not answer within ${formatWait(timeout)}` : (inWords?.reason ?? (error instanceof Error ? error.message : String(error)));
    const where = "command" in config ? `'${[config.command, ...config.args].join(" ")}'` : config.url;
    const next = badOutput
      ? "An MCP stdio server must write only JSON-RPC messages to stdout; its logs belong on stderr. Is it started with the right arguments?"
      : inWords
        ? `${inWords.hint} Its tools are left out of this session.`
        : timedOut && stdio
        ? "Run its command by hand: an MCP stdio server waits for JSON-RPC on stdin and answers at once. One that asks for something first (a login, a confirmation) or downloads itself on first use (npx) may need that done once by hand. Its tools are left out of this session."
        : "Check its command, arguments or URL; its tools are left out of this session.";
    throw new WrenError("upstream_error", `The MCP server '${name}' (${where}) could not be used: ${reason}.`, {
      // Both: what it said, and what to do (run its command by hand, fix its command, …).
      hint: stderr ? `Its last output:\n${stderr}\n${next}` : next,
      cause: error,
    });
  } finally {
    signal?.removeEventListener("abort", stopNow);
  }
}
