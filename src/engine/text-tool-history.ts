import type { ChatHistoryItem } from "node-llama-cpp";

/**
 * Earlier tool calls and results, written the way a model without a function-calling format is
 * told to write them (`<tool_call>`), so the conversation never shows it node-llama-cpp's generic
 * `||call:` syntax instead. Each result becomes a user turn (`<tool_response>`), as Hermes-style
 * templates render them.
 */
export function withTextToolCalls(history: readonly ChatHistoryItem[]): ChatHistoryItem[] {
  const out: ChatHistoryItem[] = [];
  for (const item of history) {
    if (item.type !== "model" || !item.response.some((r) => typeof r === "object" && r.type === "functionCall")) {
      out.push(item);
      continue;
    }
    let text: string[] = [];
    let results: string[] = [];
    const flush = () => {
      if (results.length === 0) return;
      out.push({ type: "model", response: [text.join("")] });
      out.push({ type: "user", text: results.join("\n") });
      text = [];
      results = [];
    };
    for (const part of item.response) {
      if (typeof part === "string") {
        flush();
        text.push(part);
      } else if (part.type === "functionCall") {
        const args: unknown = part.params ?? {};
        text.push(`<tool_call>\n${JSON.stringify({ name: part.name, arguments: args })}\n</tool_call>`);
        const result = typeof part.result === "string" ? part.result : JSON.stringify(part.result ?? null);
        results.push(`<tool_response>\n${result}\n</tool_response>`);
      }
    }
    flush();
    if (text.length > 0) out.push({ type: "model", response: [text.join("")] });
  }
  return out;
}
