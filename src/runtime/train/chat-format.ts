import type { Message } from "../../protocol/index.js";

/** One message of the dataset, in the OpenAI chat format most trainers (TRL, MLX) read. */
export type DatasetMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }> }
  | { role: "tool"; tool_call_id: string; name: string; content: string };

/** Canonical messages to chat-format ones; tool calls kept as calls, their results as tool messages. */
export function toChatFormat(system: string, messages: readonly Message[]): DatasetMessage[] {
  const out: DatasetMessage[] = system ? [{ role: "system", content: system }] : [];
  for (const m of messages) {
    if (m.role === "system") out.push({ role: "system", content: m.content });
    else if (m.role === "user") out.push({ role: "user", content: m.content.map((p) => (p.type === "text" ? p.text : "[image]")).join("") });
    else if (m.role === "assistant") {
      const text = m.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
      const calls = m.content.flatMap((p) =>
        p.type === "tool-call" ? [{ id: p.toolCallId, type: "function" as const, function: { name: p.toolName, arguments: JSON.stringify(p.input ?? {}) } }] : [],
      );
      out.push({ role: "assistant", content: text, ...(calls.length ? { tool_calls: calls } : {}) });
    } else {
      for (const r of m.content) out.push({ role: "tool", tool_call_id: r.toolCallId, name: r.toolName, content: r.output });
    }
  }
  return out;
}
