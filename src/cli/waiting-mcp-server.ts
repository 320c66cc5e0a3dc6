import type { WaitingMcpServer } from "../runtime/agent-mcp.js";

/** One MCP server waiting for acceptance: its name, what it runs or reaches, and where it is defined. */
export function describeWaitingServer(server: WaitingMcpServer): string {
  const what = server.transport === "http" ? `connects to ${server.target}` : `runs ${server.target}`;
  const from = server.source === ".mcp.json" ? ".mcp.json" : "wren.toml";
  return `mcp server ${server.name} (${from}) ${what}${server.changed ? "  (changed since you accepted it)" : ""}`;
}
