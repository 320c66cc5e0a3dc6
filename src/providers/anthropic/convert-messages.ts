import type { ContentBlockParam, ImageBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import type { ImagePart, Message } from "../../protocol/index.js";
import { toolInputObject } from "../../protocol/tool-input.js";

type MediaType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

function imageBlock(part: ImagePart): ImageBlockParam {
  if (/^https?:/.test(part.data)) return { type: "image", source: { type: "url", url: part.data } };
  const dataUrl = /^data:([^;]+);base64,(.*)$/s.exec(part.data);
  const mediaType = (dataUrl?.[1] ?? part.mediaType ?? "image/png") as MediaType;
  return { type: "image", source: { type: "base64", media_type: mediaType, data: dataUrl?.[2] ?? part.data } };
}

/**
 * Canonical messages → Anthropic's `system` string and alternating messages. Tool results travel as
 * `tool_result` blocks in a user turn; consecutive turns of one role are merged.
 */
export function convertToAnthropicMessages(messages: Message[]): { system?: string; messages: MessageParam[] } {
  const system: string[] = [];
  const out: MessageParam[] = [];
  const push = (role: "user" | "assistant", blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        system.push(message.content);
        break;
      case "user":
        push(
          "user",
          message.content.map((p) => (p.type === "text" ? { type: "text", text: p.text } : imageBlock(p))),
        );
        break;
      case "assistant":
        push(
          "assistant",
          message.content.flatMap((p): ContentBlockParam[] =>
            p.type === "text"
              ? p.text
                ? [{ type: "text", text: p.text }]
                : []
              : [{ type: "tool_use", id: p.toolCallId, name: p.toolName, input: toolInputObject(p.input) }],
          ),
        );
        break;
      case "tool":
        push(
          "user",
          message.content.map((r) => ({
            type: "tool_result" as const,
            tool_use_id: r.toolCallId,
            content: r.output,
            ...(r.isError ? { is_error: true } : {}),
          })),
        );
        break;
    }
  }
  return { ...(system.length ? { system: system.join("\n\n") } : {}), messages: out };
}
