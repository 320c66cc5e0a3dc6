import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { linkedAbortController } from "../../shared/abort.js";
import { formatWait } from "../../shared/wait-text.js";
import { errorResult, okResult } from "../result.js";
import type { Tool, ToolResult } from "../tool.js";
import { abandonedInput, describeExit, oversizedAnswer, type McpStdioTransport } from "./stdio-transport.js";

/** Characters of a tool's result passed on at most. */
const MAX_RESULT_CHARS = 50_000;

/**
 * Characters of a tool's description offered at most: every request carries every tool's
 * description, so one of hundreds of KB would fill a local model's context on each turn.
 */
const MAX_DESCRIPTION_CHARS = 2_000;

function cutDescription(text: string): string {
  return text.length > MAX_DESCRIPTION_CHARS ? `${text.slice(0, MAX_DESCRIPTION_CHARS)}… [description cut: ${text.length} characters]` : text;
}

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
    description: `${cutDescription(info.description ?? info.annotations?.title ?? info.name)} (from the MCP server '${server}')`,
    parameters: z.record(z.string(), z.unknown()),
    inputSchema: info.inputSchema,
    readOnly: false,
    permission: () => ({ tool: name, effect: "execute" }),
    async execute(input, ctx) {
      let result;
      // What the server prints from now on is this call's to explain (see `describeFailure`).
      const since = stdio?.linesRead ?? 0;
      try {
        // Read loosely, not with the SDK's callTool, whose schema refuses a whole result for one
        // item it does not know (a newer content type, an image that is not base64): each item
        // is described on its own instead (`describeContent`).
        result = await withOwnSignal(ctx.signal, (signal) => client.request({ method: "tools/call", params: { name: info.name, arguments: input } }, callResultSchema, { signal, timeout: timeoutMs }));
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        // Its time ran out with input left unread: the server stopped reading, and wren lets go.
        if (isTimeout(error)) stdio?.abandonUnreadInput();
        return errorResult(describeFailure(server, info.name, error, stdio, timeoutMs, since));
      }
      return toToolResult(result);
    },
  };
}

/**
 * Why a call failed: a stdio server that exited or printed something other than JSON-RPC is named
 * as such, with its last output (stderr, and what it printed on stdout after its last message),
 * instead of the SDK's "Not connected" or "Request timed out". Only what it printed on stdout from
 * `since` (the call's start) on is blamed for a call that timed out: a banner printed at start did
 * not fail this call. Such a line does not fail the call early: a server that logs on stdout and
 * then answers works (the SDK passes over the line), and wren cannot tell it from one that will
 * never answer but by waiting; the call's time limit bounds that wait, and cancelling the turn ends
 * it. An answer longer than wren reads fails only its call.
 */
function describeFailure(server: string, tool: string, error: unknown, stdio: McpStdioTransport | undefined, timeoutMs: number, since: number): string {
  const limit = oversizedAnswer(error);
  if (limit !== undefined) {
    return `The MCP server '${server}' answered ${tool} with a message longer than ${Math.round(limit / 1024 / 1024)} MB, the most wren reads of one message, so the answer was skipped. The server goes on: its other calls work, and asking for less (a smaller page, range or file) may work.`;
  }
  const restart = " Its tools stay unavailable until the session is started again.";
  const refused = abandonedInput(error);
  if (refused !== undefined) return `The MCP server '${server}' stopped reading its input, so ${tool} could not run. ${stoppedReading(refused)}${restart}`;
  const timedOut = isTimeout(error);
  if (timedOut && stdio && !stdio.exit && !stdio.overlong) {
    const dropped = stdio.abandonedInput;
    const stray = stdio.strayOutputSince(since);
    const printed = dropped !== undefined
      ? ` ${stoppedReading(dropped)}${restart}`
      : stray !== undefined
        ? ` While it ran, the server ${stray} (an MCP stdio server must write only JSON-RPC messages there; its logs belong on stderr).`
        : " Its other calls may still work.";
    return `The MCP server '${server}' did not answer within ${formatWait(timeoutMs)}, so ${tool} was cancelled.${printed}`;
  }
  // Whenever the call was made, before or after the server stopped, its last words say why.
  if (stdio?.exit) {
    const output = stdio.lastOutput();
    return `The MCP server '${server}' ${describeExit(stdio.exit)}, so ${tool} could not run.${restart}${output ? `\n${output}` : ""}`;
  }
  if (stdio?.overlong) {
    const output = stdio.lastLines();
    return `The MCP server '${server}' ${stdio.trouble(since)}, so ${tool} could not run.${restart}${output ? `\nIts last output:\n${output}` : ""}`;
  }
  if (timedOut) return `The MCP server '${server}' did not answer within ${formatWait(timeoutMs)}, so ${tool} was cancelled. Its other calls may still work.`;
  return `The MCP server '${server}' failed to run ${tool}: ${error instanceof Error ? error.message : String(error)}.`;
}

/** Why wren no longer writes to a server (see `McpStdioTransport.abandonUnreadInput`), for a message. */
function stoppedReading(dropped: number): string {
  return `The server has stopped reading its input: wren dropped the ${dropped} bytes it had sent it that were still unread, and writes it nothing more.`;
}

/**
 * Runs an SDK request with a signal of its own that follows `signal`: the SDK adds a listener to
 * the signal of every request and never removes it, so requests made with one long-lived signal
 * (a run's, which may make hundreds of calls) would pile them up, and past ten Node prints a
 * MaxListenersExceededWarning on wren's stderr, over the terminal UI.
 */
export async function withOwnSignal<T>(signal: AbortSignal | undefined, request: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (signal === undefined) return await request(undefined);
  using own = linkedAbortController(signal);
  return await request(own.signal);
}

/** Whether a request failed because its time was up (the SDK's own timeout). */
export function isTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number);
}

/** A tools/call result, its content items unchecked. */
const callResultSchema = z.looseObject({
  content: z.array(z.unknown()).optional(),
  structuredContent: z.unknown().optional(),
  isError: z.unknown().optional(),
  toolResult: z.unknown().optional(),
});

/** A content item as servers send them; only `type` is checked (see `describeContent`). */
type Content = { type: string; text?: unknown; mimeType?: string; data?: string; uri?: string; resource?: { uri?: string; text?: unknown; mimeType?: string } };

function toToolResult(result: { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown }): ToolResult {
  const parts: string[] = [];
  const content: unknown[] = Array.isArray(result.content) ? result.content : [];
  for (const item of content) parts.push(describeContent(item));
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  let text = parts.join("\n") || "(no output)";
  if (text.length > MAX_RESULT_CHARS) text = `${text.slice(0, MAX_RESULT_CHARS)}\n[Result cut: ${text.length} characters, the first ${MAX_RESULT_CHARS} shown.]`;
  const data = { kind: "mcp", content, structuredContent: result.structuredContent };
  return result.isError === true ? { llmContent: text, display: text, isError: true, data } : okResult(text, { data });
}

function describeContent(value: unknown): string {
  if (typeof value !== "object" || value === null || typeof (value as { type?: unknown }).type !== "string") return "[content that is not an MCP content item]";
  const item = value as Content;
  switch (item.type) {
    case "text":
      return typeof item.text === "string" ? item.text : "";
    case "image":
    case "audio":
      return `[${item.type}: ${item.mimeType ?? "unknown type"}, ${Math.floor(((item.data?.length ?? 0) * 3) / 4)} bytes]`;
    case "resource":
      return typeof item.resource?.text === "string" ? item.resource.text : `[resource ${item.resource?.uri ?? ""}${item.resource?.mimeType ? ` (${item.resource.mimeType})` : ""}]`;
    case "resource_link":
      return `[resource link: ${item.uri ?? ""}]`;
    default:
      return `[${item.type} content]`;
  }
}
