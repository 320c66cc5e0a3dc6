import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import path from "node:path";
import { z } from "zod";
import { findProjectFile, type WrenConfig } from "../config/index.js";
import type { McpServerConfig } from "../config/sections/mcp.js";
import { WrenError } from "../shared/errors.js";
import { isLoopbackUrl } from "../shared/loopback.js";
import { abortedError } from "../shared/abort.js";
import { shellWord } from "../shared/shell-word.js";
import type { McpConnections, McpServerFailure, McpServerUpdate } from "../tools/mcp/connect.js";
import type { Tool } from "../tools/tool.js";
import { checkMcpServer } from "./mcp-server-problem.js";
import { mcpServerFingerprint, projectServerStanding, type ProjectMcpConsent } from "./project-mcp-consent.js";

/** The project file other coding agents keep their MCP servers in. */
export const MCP_JSON_FILE = ".mcp.json";

/** One configured server and where it was configured. */
export interface McpServerEntry {
  name: string;
  config: McpServerConfig;
  /** `config` (wren's user or project config) or `.mcp.json`. */
  source: "config" | typeof MCP_JSON_FILE;
  /**
   * The project defines it (its `wren.toml` or `.mcp.json`), not the user: a cloned repository's
   * file must not start programs on the user's machine unless the user accepted that server, as
   * defined, for this project (see project-mcp-consent.ts).
   */
  fromProject?: boolean;
}

/** The servers a session in `projectRoot` uses, and the ones that could not even be read. */
export interface McpServerSet {
  servers: McpServerEntry[];
  failures: McpServerFailure[];
}

const mcpJsonSchema = z.looseObject({ mcpServers: z.record(z.string(), z.unknown()).optional() });

/**
 * The servers from `[mcp.servers]` and, unless `mcp.projectFile = false`, the project's `.mcp.json`
 * (wren's config wins on a shared name). A broken `.mcp.json`, or one server in it that wren cannot
 * read, is a failure to report, not an error: the session goes on without it.
 */
export function configuredMcpServers(config: WrenConfig, projectRoot: string, cwd: string = projectRoot): McpServerSet {
  const byProject = projectConfigServerNames(cwd);
  const servers: McpServerEntry[] = Object.entries(config.mcp.servers).map(([name, c]) => ({
    name,
    config: c,
    source: "config",
    ...(byProject.has(name) ? { fromProject: true } : {}),
  }));
  const failures: McpServerFailure[] = [];
  if (!config.mcp.projectFile) return { servers, failures };
  const file = path.join(projectRoot, MCP_JSON_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { servers, failures };
  }
  const fileFailure = (server: string, message: string): void => {
    failures.push({ server, error: new WrenError("bad_request", `${file}: ${message}`, { hint: `Fix ${MCP_JSON_FILE}, or set mcp.projectFile = false in wren.toml to ignore it.` }) });
  };
  let parsed: z.infer<typeof mcpJsonSchema>;
  try {
    parsed = mcpJsonSchema.parse(JSON.parse(text));
  } catch (error) {
    fileFailure(MCP_JSON_FILE, `not a JSON object with an mcpServers table (${error instanceof SyntaxError ? error.message : "wrong shape"}).`);
    return { servers, failures };
  }
  const taken = new Set(servers.map((s) => s.name));
  for (const [name, raw] of Object.entries(parsed.mcpServers ?? {})) {
    if (taken.has(name)) continue;
    try {
      servers.push({ name, config: checkMcpServer(name, raw), source: MCP_JSON_FILE, fromProject: true });
    } catch (error) {
      if (!(error instanceof WrenError)) throw error;
      fileFailure(name, error.message);
    }
  }
  return { servers, failures };
}

/**
 * The servers the project's own `wren.toml` names under `[mcp.servers]` (none when it has none or
 * cannot be read): the file the config loader read, the nearest one from `cwd`, which may be in a
 * folder below the project's root.
 */
function projectConfigServerNames(cwd: string): Set<string> {
  const file = findProjectFile(cwd);
  if (!file) return new Set();
  try {
    const table = parse(readFileSync(file, "utf8")) as { mcp?: { servers?: Record<string, unknown> } };
    return new Set(Object.keys(table.mcp?.servers ?? {}));
  } catch {
    return new Set();
  }
}

/**
 * What a server runs or reaches, as the user is shown it to accept or to check: its URL, or its
 * command line with each word as a POSIX shell reads it back, so `sh -c "a b"` and `sh -c a b` (one
 * argument with a space, or two) read apart. Control characters stay as they are: a terminal prints
 * it through `visibleText`.
 */
export function mcpServerTarget(config: McpServerConfig): string {
  return "url" in config ? config.url : [config.command, ...config.args].map(shellWord).join(" ");
}

/** A server the project defines that was not started: it waits for the user to accept it (`wren trust`, `/trust`). */
export interface WaitingMcpServer {
  name: string;
  source: McpServerEntry["source"];
  /** Of its definition, as the trust file records it once accepted. */
  fingerprint: string;
  /** The command line it would run (shell-quoted), or the URL it would connect to: {@link mcpServerTarget}. */
  target: string;
  transport: "stdio" | "http";
  /** The user accepted a server of this name for the project, defined otherwise. */
  changed: boolean;
}

/**
 * The servers the project defines that `consent` does not let start, with why (new or changed).
 * Not `disabled` ones: the user turned them off.
 */
export function waitingProjectServers(servers: readonly McpServerEntry[], consent: ProjectMcpConsent): WaitingMcpServer[] {
  return servers.flatMap((s) => {
    if (!s.fromProject) return [];
    const standing = projectServerStanding(s, consent);
    if (standing === "allowed") return [];
    const http = "url" in s.config;
    return [{ name: s.name, source: s.source, fingerprint: mcpServerFingerprint(s.config), target: mcpServerTarget(s.config), transport: http ? "http" : "stdio", changed: standing === "changed" }];
  });
}

/** The session's MCP tools, the servers that failed, and how to stop the ones that started. */
export interface SessionMcp extends AsyncDisposable {
  /** The tools of the servers ready when it opened. */
  tools: Tool[];
  /** Servers that could not be used; servers that fail after it opened are added as they do. */
  failures: McpServerFailure[];
  /** The project's servers left out until the user accepts them (each is in `failures` too). */
  waiting: WaitingMcpServer[];
  /** Servers still starting (only when opened with `waitMs`). */
  starting(): string[];
  /** Hears of each server still starting as it becomes ready (its tools) or fails; returns the unsubscribe. */
  subscribe(listener: (update: McpServerUpdate) => void): () => void;
}

/** Options of {@link openSessionMcp}. */
export interface SessionMcpOptions {
  /** MCP servers not to start (the user turned them off): left out without a word. Default: none. */
  disabled?: readonly string[];
  /** Cancels the start: the servers are stopped and it rejects with an `aborted` error. */
  signal?: AbortSignal;
  /** Where the config was loaded from (its `wren.toml` is the nearest from here). Default: the project root. */
  cwd?: string;
  /**
   * Waits this long at most for the servers, then opens with those that are ready; the others go
   * on starting and join through `subscribe`. Default: waits for every server (each has 30 s), so
   * the tool list is whole from the first request (`wren -p`).
   */
  waitMs?: number;
  /** `--offline`: a server reached over HTTP beyond this machine is not started (said in `failures`). */
  offline?: boolean;
}

/**
 * Starts the session's MCP servers and lists their tools. With no server configured the MCP SDK is
 * never loaded. A server that fails to start is in `failures`; the session goes on without it. A
 * server the project defines starts only with `consent` (accepted for this project as defined, or
 * allowed for this run); the others are in `failures` and `waiting`. Servers named in `disabled`
 * are left out without a word (the user turned them off). `signal` cancels the start: the servers
 * are stopped and it rejects with an `aborted` error.
 */
export async function openSessionMcp(config: WrenConfig, projectRoot: string, consent: ProjectMcpConsent, options: SessionMcpOptions = {}): Promise<SessionMcp> {
  const { disabled = [], signal } = options;
  const configured = configuredMcpServers(config, projectRoot, options.cwd);
  configured.servers = configured.servers.filter((s) => !disabled.includes(s.name));
  const failures = [...configured.failures];
  if (options.offline) {
    const remote = configured.servers.filter((s) => "url" in s.config && !isLoopbackUrl(s.config.url));
    for (const server of remote) {
      failures.push({ server: server.name, error: new WrenError("bad_request", `The MCP server '${server.name}' was not started: wren is offline (--offline), and it is reached over the network.`, { hint: "Run without --offline to use it." }) });
    }
    configured.servers = configured.servers.filter((s) => !remote.includes(s));
  }
  const waiting = waitingProjectServers(configured.servers, consent);
  const servers = configured.servers.filter((s) => !waiting.some((w) => w.name === s.name));
  for (const server of waiting) failures.push({ server: server.name, error: waitingError(server) });
  if (servers.length === 0) return { tools: [], failures, waiting, starting: () => [], subscribe: () => () => {}, [Symbol.asyncDispose]: async () => {} };
  const { connectMcpServers, startMcpServers } = await import("../tools/mcp/connect.js");
  const table = Object.fromEntries(servers.map((s) => [s.name, s.config]));
  const connectOptions = { cwd: projectRoot, ...(signal ? { signal } : {}) };
  if (options.waitMs === undefined) {
    const connections = await connectMcpServers(table, connectOptions);
    return { tools: connections.tools, failures: [...failures, ...connections.failures], waiting, starting: () => [], subscribe: () => () => {}, [Symbol.asyncDispose]: () => connections.close() };
  }
  const connections = startMcpServers(table, connectOptions);
  try {
    await waitForServers(connections, options.waitMs, signal);
  } catch (error) {
    await connections.close();
    throw error;
  }
  const opened: SessionMcp = {
    tools: [...connections.tools],
    failures: [...failures, ...connections.failures],
    waiting,
    starting: () => connections.starting,
    subscribe: (listener) => connections.subscribe(listener),
    [Symbol.asyncDispose]: () => connections.close(),
  };
  // Later failures join the list callers hold (the terminal UI's /mcp list reads it).
  connections.subscribe((update) => opened.failures.push(...update.failures));
  return opened;
}

/** Resolves when every server has settled or `ms` has passed; rejects with `aborted` when `signal` fires first. */
async function waitForServers(connections: McpConnections, ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      connections.settled,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(abortedError(signal));
        if (signal?.aborted) onAbort();
        else signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/** Why a project's server was left out, and how to start it. */
function waitingError(server: WaitingMcpServer): WrenError {
  const where = server.source === MCP_JSON_FILE ? MCP_JSON_FILE : "the project's wren.toml";
  const what = server.transport === "http" ? `it would connect to ${server.target}` : `it would run ${server.target}`;
  const text = server.changed
    ? `The MCP server '${server.name}' of ${where} changed since you accepted it, so it was not started until you accept it again (${what.replace("would", "would now")}).`
    : `The MCP server '${server.name}' comes from ${where}, so it was not started: you have not accepted it for this project (${what}).`;
  return new WrenError("forbidden", text, {
    hint: `Accept it for this project with wren trust (or /trust in the terminal UI), or start it for this run only with --allow mcp__${server.name} (--trust-project starts all of the project's servers).`,
  });
}
