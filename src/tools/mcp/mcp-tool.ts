import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { errorResult, okResult } from "../result.js";
import type { Tool, ToolResult } from "../tool.js";
import type { McpStdioTransport } from "./stdio-transport.js";

/** Characters of a tool's result passed on at most. */
const MAX_RESULT_CHARS = 50_000;

/** What an MCP server says about one of its tools (`tools/list`). */
export interface McpToolInfo {
  name: string;
  description?: string | undefined;
  inputSchema: { type: "object"; [key: string]: unknown };
  annotations?: { readOnlyHint?: boolean | undefined; title?: string | undefined } | undefined;
}

/** `mcp__server__tool`, in the characters every provider accepts, at most 64 of them. */
export function mcpToolName(server: string, tool: string): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, "_");
  return `mcp__${clean(server)}__${clean(tool)}`.slice(0, 64);
}

/**
 * An MCP server's tool as a wren Tool. Every call asks for consent as an `execute` effect, even
 * when the server marks the tool read-only: the hint is the server's claim, not something wren can
 * check, and an MCP tool can reach anything the server can.
 */
export function mcpTool(server: string, client: Client, info: McpToolInfo, timeoutMs: number, stdio?: McpStdioTransport): Tool<Record<string, unknown>> {
  const name = mcpToolName(server, info.name);
  return {
    name,
    description: `${info.description ?? info.annotations?.title ?? info.name} (from the MCP server '${server}')`,
    parameters: z.record(z.string(), z.unknown()),
    inputSchema: info.inputSchema,
    readOnly: false,
    permission: () => ({ tool: name, effect: "execute" }),
    async execute(input, ctx) {
      let result;
      try {
        result = await client.callTool({ name: info.name, arguments: input }, undefined, { signal: ctx.signal, timeout: timeoutMs });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return errorResult(describeFailure(server, info.name, error, stdio));
      }
      return toToolResult(result);
    },
  };
}

/**
 * Why a call failed: a stdio server that exited or printed something other than JSON-RPC is named
 * as such, with its last stderr lines, instead of the SDK's "Not connected" or "Request timed out".
 */
function describeFailure(server: string, tool: string, error: unknown, stdio: McpStdioTransport | undefined): string {
  const timedOut = error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number);
  const trouble = stdio && (stdio.exit || (timedOut && stdio.badLine !== undefined)) ? stdio.trouble() : undefined;
  if (!trouble) return `The MCP server '${server}' failed to run ${tool}: ${error instanceof Error ? error.message : String(error)}.`;
  const output = stdio?.lastLines() ?? "";
  const restart = stdio?.exit ? " Its tools stay unavailable until the session is started again." : "";
  return `The MCP server '${server}' ${trouble}, so ${tool} could not run.${restart}${output ? `\nIts last output:\n${output}` : ""}`;
}

type Content = { type: string; text?: string; mimeType?: string; data?: string; uri?: string; resource?: { uri?: string; text?: string; mimeType?: string } };

function toToolResult(result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown }): ToolResult {
  const parts: string[] = [];
  const content = Array.isArray(result.content) ? (result.content as Content[]) : [];
  for (const item of content) parts.push(describeContent(item));
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  let text = parts.join("\n") || "(no output)";
  if (text.length > MAX_RESULT_CHARS) text = `${text.slice(0, MAX_RESULT_CHARS)}\n[Result cut: ${text.length} characters, the first ${MAX_RESULT_CHARS} shown.]`;
  const data = { kind: "mcp", content, structuredContent: result.structuredContent };
  return result.isError === true ? { llmContent: text, display: text, isError: true, data } : okResult(text, { data });
}

function describeContent(item: Content): string {
  switch (item.type) {
    case "text":
      return item.text ?? "";
    case "image":
    case "audio":
      return `[${item.type}: ${item.mimeType ?? "unknown type"}, ${Math.floor(((item.data?.length ?? 0) * 3) / 4)} bytes]`;
    case "resource":
      return item.resource?.text ?? `[resource ${item.resource?.uri ?? ""}${item.resource?.mimeType ? ` (${item.resource.mimeType})` : ""}]`;
    case "resource_link":
      return `[resource link: ${item.uri ?? ""}]`;
    default:
      return `[${item.type} content]`;
  }
}
