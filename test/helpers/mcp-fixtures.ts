import path from "node:path";
import { projectRoot } from "./shared-models.js";

const helpers = path.join(projectRoot, "test", "helpers");

/** The MCP servers tests start over stdio: scripts next to this file, run by this Node. */
export const mcpFixtures = {
  /** Tools echo, add, fail and wait, written with the official SDK's server side. */
  stdio: path.join(helpers, "mcp-stdio-server.mjs"),
  /** The stdio one, ready after WREN_TEST_DELAY_MS (never without it); writes its pid to WREN_TEST_PID_FILE. */
  slow: path.join(helpers, "mcp-slow-server.mjs"),
  /** The stdio one, ignoring its stdin closing and SIGTERM, with a child that ignores SIGTERM; writes both pids to WREN_TEST_PIDS. */
  stubborn: path.join(helpers, "mcp-stubborn-server.mjs"),
} as const;

/** An `mcp.servers` entry that runs `args` (a fixture's path first, or `-e` and a script) with this Node, with `env`. */
export function mcpServer(args: readonly string[], env?: Record<string, string>): { command: string; args: string[]; env?: Record<string, string> } {
  return { command: process.execPath, args: [...args], ...(env ? { env } : {}) };
}

/** The same entry as a `[mcp.servers.NAME]` table of a config.toml. */
export function mcpServerToml(name: string, args: readonly string[], env?: Record<string, string>): string {
  // TOML's basic strings take JSON's escapes, so a Windows path survives.
  const toml = (value: string): string => JSON.stringify(value);
  const lines = [`[mcp.servers.${name}]`, `command = ${toml(process.execPath)}`, `args = [${args.map(toml).join(", ")}]`];
  if (env) lines.push(`env = { ${Object.entries(env).map(([key, value]) => `${key} = ${toml(value)}`).join(", ")} }`);
  return `${lines.join("\n")}\n`;
}
