import type { WaitingMcpServer } from "../runtime/agent-mcp.js";
import { visibleText } from "../shared/visible-text.js";

/**
 * One MCP server waiting for acceptance: its name, what it runs or reaches, and where it is defined.
 * The project wrote the name and the command: every control, bidi and invisible character in them
 * is written out, so what the user accepts reads as what runs.
 */
export function describeWaitingServer(server: WaitingMcpServer): string {
  const target = visibleText(server.target, { oneLine: true });
  const what = server.transport === "http" ? `connects to ${target}` : `runs ${target}`;
  const from = server.source === ".mcp.json" ? ".mcp.json" : "wren.toml";
  return `mcp server ${visibleText(server.name, { oneLine: true })} (${from}) ${what}${server.changed ? "  (changed since you accepted it)" : ""}`;
}
