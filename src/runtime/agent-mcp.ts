import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { WrenConfig } from "../config/index.js";
import { mcpServerNameSchema, mcpServerSchema, type McpServerConfig } from "../config/sections/mcp.js";
import { WrenError } from "../shared/errors.js";
import type { McpConnections, McpServerFailure } from "../tools/mcp/connect.js";
import type { Tool } from "../tools/tool.js";

/** The project file other coding agents keep their MCP servers in. */
export const MCP_JSON_FILE = ".mcp.json";

/** One configured server and where it was configured. */
export interface McpServerEntry {
  name: string;
  config: McpServerConfig;
  /** `config` (wren's user or project config) or `.mcp.json`. */
  source: "config" | typeof MCP_JSON_FILE;
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
export function configuredMcpServers(config: WrenConfig, projectRoot: string): McpServerSet {
  const servers: McpServerEntry[] = Object.entries(config.mcp.servers).map(([name, c]) => ({ name, config: c, source: "config" }));
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
    const checked = z.object({ name: mcpServerNameSchema, config: mcpServerSchema }).safeParse({ name, config: raw });
    if (checked.success) servers.push({ name, config: checked.data.config, source: MCP_JSON_FILE });
    else fileFailure(name, `the server '${name}' is not one wren can start: ${z.prettifyError(checked.error).replace(/\s*\n\s*/g, " ")}`);
  }
  return { servers, failures };
}

/** The session's MCP tools, the servers that failed, and how to stop the ones that started. */
export interface SessionMcp extends AsyncDisposable {
  tools: Tool[];
  failures: McpServerFailure[];
}

/**
 * Starts the session's MCP servers and lists their tools. With no server configured the MCP SDK is
 * never loaded. A server that fails to start is in `failures`; the session goes on without it.
 */
export async function openSessionMcp(config: WrenConfig, projectRoot: string): Promise<SessionMcp> {
  const { servers, failures } = configuredMcpServers(config, projectRoot);
  if (servers.length === 0) return { tools: [], failures, [Symbol.asyncDispose]: async () => {} };
  const { connectMcpServers } = await import("../tools/mcp/connect.js");
  const connections: McpConnections = await connectMcpServers(Object.fromEntries(servers.map((s) => [s.name, s.config])), { cwd: projectRoot });
  return { tools: connections.tools, failures: [...failures, ...connections.failures], [Symbol.asyncDispose]: () => connections.close() };
}
