/** What the terminal UI's run is opened with, which /model, /local, /mcp and /resume change. */
export interface RunChoice {
  /** `--model` or /model: auto, a route or provider:model. Undefined: the session's own. */
  model?: string | undefined;
  /** `--offline` or /local: the router never sends a request to a teacher. */
  offline: boolean;
  /** MCP servers turned off with /mcp disable. */
  disabledMcpServers: readonly string[];
  /** The session to continue; undefined for a new one (or `--continue`'s). */
  resume?: string | undefined;
}

/** One line on what the run now is, for the flash after a change. */
export function describeChoice(choice: RunChoice): string {
  const parts = [`Model: ${choice.model ?? "the session's"}`, choice.offline ? "local only (no teachers)" : "teachers allowed"];
  if (choice.disabledMcpServers.length > 0) parts.push(`MCP off: ${choice.disabledMcpServers.join(", ")}`);
  return parts.join(" · ");
}
