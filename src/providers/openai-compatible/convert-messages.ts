import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ImagePart, Message } from "../../protocol/index.js";

/** An image part as a URL an upstream accepts (http(s) or a data URL). */
export function imageUrl(part: ImagePart): string {
  if (/^(https?|data):/.test(part.data)) return part.data;
  return `data:${part.mediaType ?? "image/png"};base64,${part.data}`;
}

/** Canonical messages → OpenAI chat messages (one `tool` message per tool result). */
export function convertToOpenAIMessages(messages: Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user": {
        const onlyText = message.content.every((p) => p.type === "text");
        if (onlyText) {
          out.push({ role: "user", content: message.content.map((p) => (p.type === "text" ? p.text : "")).join("") });
          break;
        }
        const content: ChatCompletionContentPart[] = message.content.map((p) =>
          p.type === "text" ? { type: "text", text: p.text } : { type: "image_url", image_url: { url: imageUrl(p) } },
        );
        out.push({ role: "user", content });
        break;
      }
      case "assistant": {
        const text = message.content.map((p) => (p.type === "text" ? p.text : "")).join("");
        const toolCalls = message.content.flatMap((p) =>
          p.type === "tool-call"
            ? [{ id: p.toolCallId, type: "function" as const, function: { name: p.toolName, arguments: argumentsText(p.input) } }]
            : [],
        );
        out.push({
          role: "assistant",
          content: text || (toolCalls.length ? null : ""),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        });
        break;
      }
      case "tool":
        for (const result of message.content) {
          out.push({ role: "tool", tool_call_id: result.toolCallId, content: result.output });
        }
        break;
    }
  }
  return out;
}

/** A call's arguments as OpenAI sends them: JSON text, or the text a call was kept with (cut off by an output limit) as it is, never encoded twice. */
function argumentsText(input: unknown): string {
  return typeof input === "string" ? input : JSON.stringify(input ?? {});
}
