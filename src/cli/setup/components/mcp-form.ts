import { createElement as h, useState, type ReactElement } from "react";
import { MCP_SERVER_NAME_RULE, mcpServerNameSchema } from "../../../config/sections/mcp.js";
import { TextField } from "./text-field.js";

export interface McpFormProps {
  taken: readonly string[];
  onAdd: (name: string, server: Record<string, unknown>) => void;
}

/**
 * The server `[mcp.servers]` gets for what was typed: a URL is a streamable-HTTP server, anything
 * else a command line split at spaces (for arguments with spaces, edit the file).
 */
export function mcpServerFor(text: string): Record<string, unknown> {
  if (/^https?:\/\//i.test(text)) return { type: "http", url: text };
  const [command = "", ...args] = text.split(/\s+/).filter(Boolean);
  return { command, args };
}

/** Adds one MCP server: its name, then its command line or URL. */
export function McpForm({ taken, onAdd }: McpFormProps): ReactElement {
  const [name, setName] = useState<string>();
  const [error, setError] = useState<string>();
  if (name === undefined) {
    return h(TextField, {
      key: "name",
      label: "MCP server name",
      help: "Letters, digits, '_' and '-': its tools are offered as mcp__NAME__TOOL.",
      error,
      onSubmit: (value) => {
        if (!mcpServerNameSchema.safeParse(value).success) return setError(`"${value}" is not a usable name: ${MCP_SERVER_NAME_RULE}.`);
        if (taken.includes(value)) return setError(`"${value}" is taken: pick another name.`);
        setError(undefined);
        setName(value);
      },
    });
  }
  return h(TextField, {
    key: "command",
    label: `Command or URL for ${name}`,
    help: "A command line (e.g. npx -y @modelcontextprotocol/server-filesystem .) or an http(s) URL.",
    error,
    onSubmit: (value) => {
      if (!value) return setError("Type a command line or a URL.");
      onAdd(name, mcpServerFor(value));
    },
  });
}
