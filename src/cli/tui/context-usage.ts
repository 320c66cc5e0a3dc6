import type { ChatRequest, Message } from "../../protocol/index.js";

/**
 * Characters per token of the rough count: the agent's compaction meter counts the same way, so
 * /context and /compact agree with when compaction starts. A model's own count is in the status line.
 */
const CHARS_PER_TOKEN = 4;

const tokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/** What fills the context window, in estimated tokens, by part of the request. */
export interface ContextUsage {
  system: number;
  tools: { total: number; count: number; mcp: number; mcpCount: number };
  messages: { total: number; count: number; user: number; assistant: number; toolResults: number };
  total: number;
}

const messageTokens = (m: Message): number => tokens(typeof m.content === "string" ? m.content : JSON.stringify(m.content));

/** Splits the request the agent would send now into system prompt, tool definitions and messages. */
export function contextUsage(request: ChatRequest): ContextUsage {
  let system = 0;
  const messages = { total: 0, count: 0, user: 0, assistant: 0, toolResults: 0 };
  for (const m of request.messages) {
    const n = messageTokens(m);
    if (m.role === "system") {
      system += n;
      continue;
    }
    messages.total += n;
    messages.count++;
    if (m.role === "user") messages.user += n;
    else if (m.role === "assistant") messages.assistant += n;
    else messages.toolResults += n;
  }
  const tools = { total: 0, count: 0, mcp: 0, mcpCount: 0 };
  for (const t of request.tools ?? []) {
    const n = tokens(JSON.stringify(t));
    tools.total += n;
    tools.count++;
    if (t.name.startsWith("mcp__")) {
      tools.mcp += n;
      tools.mcpCount++;
    }
  }
  return { system, tools, messages, total: system + tools.total + messages.total };
}

const share = (part: number, whole: number): string => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : "0%");

/**
 * /context's lines: each part with its share, and the window when it is known; `loading`: the local
 * model still loading, whose window is known only once it has.
 */
export function contextReport(usage: ContextUsage, window: number | undefined, loading?: string): string[] {
  const { system, tools, messages, total } = usage;
  const row = (label: string, n: number, detail = ""): string => `  ${label.padEnd(22)} ≈${String(n).padStart(7)}  ${share(n, total).padStart(4)}${detail ? `  ${detail}` : ""}`;
  const of = window ? ` of ${window} (${share(total, window)} of the window)` : loading ? ` (the window is known once ${loading} has loaded)` : "";
  return [
    `Context: ≈${total} tokens${of}`,
    row("system prompt", system),
    row(`tools (${tools.count})`, tools.total, tools.mcpCount > 0 ? `${tools.mcpCount} MCP tools ≈${tools.mcp}` : ""),
    row(`messages (${messages.count})`, messages.total, `you ≈${messages.user} · answers ≈${messages.assistant} · tool results ≈${messages.toolResults}`),
  ];
}
