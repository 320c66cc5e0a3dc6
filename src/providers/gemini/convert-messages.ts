import type { Content, Part } from "@google/genai";
import type { ImagePart, Message } from "../../protocol/index.js";
import { toolInputObject } from "../../protocol/tool-input.js";

function imagePart(part: ImagePart): Part {
  const dataUrl = /^data:([^;]+);base64,(.*)$/s.exec(part.data);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1] ?? "image/png", data: dataUrl[2] ?? "" } };
  if (/^https?:/.test(part.data)) return { fileData: { fileUri: part.data, mimeType: part.mediaType ?? "image/png" } };
  return { inlineData: { mimeType: part.mediaType ?? "image/png", data: part.data } };
}

/**
 * Canonical messages → Gemini `systemInstruction` and `contents` (roles `user` and `model`); tool
 * results travel as `functionResponse` parts in a user turn.
 */
export function convertToGeminiContents(messages: Message[]): { systemInstruction?: string; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  const push = (role: "user" | "model", parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role && last.parts) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        system.push(message.content);
        break;
      case "user":
        push("user", message.content.map((p) => (p.type === "text" ? { text: p.text } : imagePart(p))));
        break;
      case "assistant":
        push(
          "model",
          message.content.flatMap((p): Part[] =>
            p.type === "text"
              ? p.text
                ? [{ text: p.text }]
                : []
              : [{ functionCall: { id: p.toolCallId, name: p.toolName, args: toolInputObject(p.input) } }],
          ),
        );
        break;
      case "tool":
        push(
          "user",
          message.content.map((r) => ({
            functionResponse: {
              id: r.toolCallId,
              name: r.toolName,
              response: r.isError ? { error: r.output } : { output: r.output },
            },
          })),
        );
        break;
    }
  }
  return { ...(system.length ? { systemInstruction: system.join("\n\n") } : {}), contents };
}
