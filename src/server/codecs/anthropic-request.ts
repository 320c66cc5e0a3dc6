import type { AssistantMessage, ChatRequest, Message, ToolResultPart, UserMessage } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { AnthropicCountTokensRequest, AnthropicMessage, AnthropicMessagesRequest } from "../../wire/anthropic/index.js";

function blockText(content: string | Array<{ type: string; text?: string }> | undefined): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((b) => (b.type === "text" ? (b.text ?? "") : "")).join("");
}

/** Anthropic messages (+ system) → canonical messages. Tool results become tool messages. */
export function convertAnthropicMessages(system: AnthropicMessagesRequest["system"], messages: AnthropicMessage[]): Message[] {
  const out: Message[] = [];
  const sys = typeof system === "string" ? system : (system ?? []).map((b) => b.text).join("\n");
  if (sys) out.push({ role: "system", content: sys });
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    if (typeof m.content === "string") {
      out.push(m.role === "user" ? { role: "user", content: [{ type: "text", text: m.content }] } : { role: "assistant", content: [{ type: "text", text: m.content }] });
      continue;
    }
    if (m.role === "assistant") {
      const msg: AssistantMessage = { role: "assistant", content: [] };
      for (const b of m.content) {
        if (b.type === "text") msg.content.push({ type: "text", text: b.text });
        else if (b.type === "tool_use") {
          toolNames.set(b.id, b.name);
          msg.content.push({ type: "tool-call", toolCallId: b.id, toolName: b.name, input: b.input });
        }
      }
      out.push(msg);
      continue;
    }
    const results: ToolResultPart[] = [];
    const user: UserMessage = { role: "user", content: [] };
    for (const b of m.content) {
      if (b.type === "tool_result") {
        results.push({
          type: "tool-result",
          toolCallId: b.tool_use_id,
          toolName: toolNames.get(b.tool_use_id) ?? "",
          output: blockText(b.content),
          ...(b.is_error ? { isError: true } : {}),
        });
      } else if (b.type === "text") user.content.push({ type: "text", text: b.text });
      else if (b.type === "image") {
        user.content.push(b.source.type === "base64" ? { type: "image", data: b.source.data, mediaType: b.source.media_type } : { type: "image", data: b.source.url });
      }
    }
    if (results.length > 0) out.push({ role: "tool", content: results });
    if (user.content.length > 0) out.push(user);
  }
  return out;
}

/** The parts of a Messages request that both /v1/messages and count_tokens use. */
export function anthropicToRequest(body: AnthropicMessagesRequest | AnthropicCountTokensRequest, contextLength: number | undefined): ChatRequest {
  const request: ChatRequest = { messages: convertAnthropicMessages(body.system, body.messages) };
  if ("max_tokens" in body) {
    request.maxOutputTokens = body.max_tokens;
    if (body.temperature !== undefined) request.temperature = body.temperature;
    if (body.top_p !== undefined) request.topP = body.top_p;
    if (body.top_k !== undefined) request.topK = body.top_k;
    if (body.stop_sequences && body.stop_sequences.length > 0) request.stopSequences = body.stop_sequences;
  }
  if (body.tools && body.tools.length > 0) {
    request.tools = body.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: t.input_schema }));
  }
  const choice = body.tool_choice;
  if (choice) {
    if (choice.type === "tool") {
      if (!request.tools?.some((t) => t.name === choice.name)) {
        throw new WrenError("bad_request", `tool_choice names '${choice.name}', which is not among the tools.`, { hint: "Name one of the tools you send." });
      }
      request.toolChoice = { type: "tool", toolName: choice.name };
    } else request.toolChoice = choice.type === "any" ? "required" : choice.type;
  }
  if (contextLength !== undefined) request.contextLength = contextLength;
  return request;
}
