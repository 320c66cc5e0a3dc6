import type { DraftProvider, SetupDraft } from "../draft.js";

/** A provider's line in lists: its teacher model and the state of its key, never the key. */
export function providerLine(p: DraftProvider): string {
  const key = p.hasKey ? (p.keyNote ?? "key stored") : "no key in the file (read from the environment)";
  return `${p.name}: ${p.model || "(no teacher model)"} · ${key}`;
}

/** An MCP server's line: its command line or URL. */
export function mcpLine(name: string, server: Record<string, unknown>): string {
  if (typeof server["url"] === "string") return `${name}: ${server["url"]}`;
  const args = Array.isArray(server["args"]) ? server["args"].join(" ") : "";
  const command = typeof server["command"] === "string" ? server["command"] : "?";
  return `${name}: ${command} ${args}`.trimEnd();
}

/** What the review step shows before writing. */
export function summaryLines(draft: SetupDraft): string[] {
  return [
    `Local model:     ${draft.local ? (draft.model ?? "wren's pick for this machine, pulled on first use") : "none (proxy-only: every request goes to the cloud providers)"}`,
    `Cloud providers: ${draft.providers.length === 0 ? "none" : draft.providers.map(providerLine).join("; ")}`,
    `Cloud policy:    ${draft.cloud}`,
    `MCP servers:     ${Object.keys(draft.mcp).length === 0 ? "none" : Object.keys(draft.mcp).join(", ")}`,
  ];
}
