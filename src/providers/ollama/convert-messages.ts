import type { Message as OllamaMessage } from "ollama";
import type { Message } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";

function base64Of(data: string): string {
  const dataUrl = /^data:[^;]+;base64,(.*)$/s.exec(data);
  if (dataUrl) return dataUrl[1] ?? "";
  if (/^https?:/.test(data)) {
    throw new WrenError("unsupported", "Ollama takes images as base64 data, not URLs.", {
      hint: "Send the image inline (base64 or a data: URL), or route image requests to another provider.",
    });
  }
  return data;
}

/** Canonical messages → Ollama chat messages (images as base64, tool results as `tool` messages). */
export function convertToOllamaMessages(messages: Message[]): OllamaMessage[] {
  const out: OllamaMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user": {
        const images = message.content.flatMap((p) => (p.type === "image" ? [base64Of(p.data)] : []));
        const text = message.content.map((p) => (p.type === "text" ? p.text : "")).join("");
        out.push({ role: "user", content: text, ...(images.length ? { images } : {}) });
        break;
      }
      case "assistant": {
        const text = message.content.map((p) => (p.type === "text" ? p.text : "")).join("");
        const toolCalls = message.content.flatMap((p) =>
          p.type === "tool-call" ? [{ function: { name: p.toolName, arguments: (p.input ?? {}) as Record<string, unknown> } }] : [],
        );
        out.push({ role: "assistant", content: text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
        break;
      }
      case "tool":
        for (const result of message.content) out.push({ role: "tool", content: result.output, tool_name: result.toolName });
        break;
    }
  }
  return out;
}
