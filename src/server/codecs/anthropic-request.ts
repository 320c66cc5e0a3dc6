import type { AssistantMessage, ChatRequest, Message, ToolResultPart, UserMessage } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import {
  ANTHROPIC_READ_FIELDS,
  type AnthropicContentBlock,
  type AnthropicCountTokensRequest,
  type AnthropicMessage,
  type AnthropicMessagesRequest,
  type AnthropicToolResultContent,
} from "../../wire/anthropic/index.js";

/** A request in canonical form, and what of the client's request wren left unread (for a debug log). */
export interface ConvertedAnthropicRequest {
  request: ChatRequest;
  /** Top-level fields, block types and tools left out, each as one short label (`field context_management`). */
  ignored: string[];
}

type SystemContent = AnthropicMessagesRequest["system"];

/** Labels kept for the log: a body of thousands of unknown fields must not make a log line of them all. */
const MAX_IGNORED_LABELS = 32;

/** Collects what was left out, once per label, the first {@link MAX_IGNORED_LABELS} of them by name. */
class Ignored {
  readonly #labels = new Set<string>();
  #more = 0;
  add(label: string): void {
    if (this.#labels.has(label)) return;
    if (this.#labels.size < MAX_IGNORED_LABELS) this.#labels.add(label);
    else this.#more++;
  }
  block(type: string): void {
    this.add(`block ${type}`);
  }
  get list(): string[] {
    return this.#more > 0 ? [...this.#labels, `and ${this.#more} more`] : [...this.#labels];
  }
}

function systemText(content: SystemContent, ignored: Ignored): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  const texts: string[] = [];
  for (const b of content) {
    if (b.type === "text") texts.push(b.text);
    else ignored.block(b.originalType);
  }
  return texts.join("\n");
}

/** A document's text, when its source is plain text (PDFs and files are not read). */
function documentText(block: Extract<AnthropicContentBlock, { type: "document" }>, ignored: Ignored): string | undefined {
  if (block.source.type === "text" && typeof block.source.data === "string") {
    return block.title ? `${block.title}\n${block.source.data}` : block.source.data;
  }
  ignored.block(`document/${block.source.type}`);
  return undefined;
}

function toolResultText(content: string | AnthropicToolResultContent[] | null | undefined, ignored: Ignored): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  const texts: string[] = [];
  for (const b of content) {
    if (b.type === "text") texts.push(b.text);
    else if (b.type === "document") {
      const text = documentText(b, ignored);
      if (text !== undefined) texts.push(text);
    } else ignored.block(b.type === "ignored" ? b.originalType : `tool_result/${b.type}`);
  }
  return texts.join("");
}

function convertAssistant(blocks: AnthropicContentBlock[], toolNames: Map<string, string>, ignored: Ignored): AssistantMessage {
  const msg: AssistantMessage = { role: "assistant", content: [] };
  for (const b of blocks) {
    if (b.type === "text") msg.content.push({ type: "text", text: b.text });
    else if (b.type === "tool_use") {
      toolNames.set(b.id, b.name);
      msg.content.push({ type: "tool-call", toolCallId: b.id, toolName: b.name, input: b.input });
    } else if (b.type === "ignored") ignored.block(b.originalType);
    // Earlier thinking is not replayed: a local model neither made it nor can check its signature.
  }
  return msg;
}

function convertUser(blocks: AnthropicContentBlock[], toolNames: Map<string, string>, ignored: Ignored, out: Message[]): void {
  const results: ToolResultPart[] = [];
  const user: UserMessage = { role: "user", content: [] };
  for (const b of blocks) {
    switch (b.type) {
      case "tool_result":
        results.push({
          type: "tool-result",
          toolCallId: b.tool_use_id,
          toolName: toolNames.get(b.tool_use_id) ?? "",
          output: toolResultText(b.content, ignored),
          ...(b.is_error ? { isError: true } : {}),
        });
        break;
      case "text":
        user.content.push({ type: "text", text: b.text });
        break;
      case "image":
        if (b.source.type === "base64") user.content.push({ type: "image", data: b.source.data, mediaType: b.source.media_type });
        else if (b.source.type === "url") user.content.push({ type: "image", data: b.source.url });
        else ignored.block("image/file");
        break;
      case "document": {
        const text = documentText(b, ignored);
        if (text !== undefined) user.content.push({ type: "text", text });
        break;
      }
      case "ignored":
        ignored.block(b.originalType);
        break;
      default:
        ignored.block(`user/${b.type}`);
    }
  }
  if (results.length > 0) out.push({ role: "tool", content: results });
  if (user.content.length > 0) out.push(user);
}

function convertMessages(system: SystemContent, messages: AnthropicMessage[], ignored: Ignored): Message[] {
  const out: Message[] = [];
  const sys = systemText(system, ignored);
  if (sys) out.push({ role: "system", content: sys });
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    if (m.role === "system") {
      const text = systemText(m.content, ignored);
      if (text) out.push({ role: "system", content: text });
    } else if (typeof m.content === "string") {
      out.push(m.role === "user" ? { role: "user", content: [{ type: "text", text: m.content }] } : { role: "assistant", content: [{ type: "text", text: m.content }] });
    } else if (m.role === "assistant") out.push(convertAssistant(m.content, toolNames, ignored));
    else convertUser(m.content, toolNames, ignored, out);
  }
  return out;
}

function applyTools(body: AnthropicCountTokensRequest, request: ChatRequest, ignored: Ignored): void {
  const tools = [];
  for (const t of body.tools ?? []) {
    if (t.kind === "client") tools.push({ name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: t.inputSchema });
    else ignored.add(`tool ${t.type} (${t.name})`);
  }
  if (tools.length > 0) request.tools = tools;
  const choice = body.tool_choice;
  if (!choice) return;
  if (choice.type === "tool") {
    if (!tools.some((t) => t.name === choice.name)) {
      const server = body.tools?.some((t) => t.kind === "server" && t.name === choice.name);
      throw new WrenError("bad_request", `tool_choice names '${choice.name}', which is not among the tools${server ? " a local model can call (it is a server tool)" : ""}.`, {
        hint: "Name one of the custom tools you send.",
        details: { param: "tool_choice" },
      });
    }
    request.toolChoice = { type: "tool", toolName: choice.name };
  } else request.toolChoice = choice.type === "any" ? "required" : choice.type;
}

/**
 * The canonical request of a count_tokens body (the part every Messages body shares). `thinking`
 * and `output_config.effort` are read and dropped (a local model without reasoning does not think);
 * `output_config.format` (or the beta `output_format`) becomes the JSON schema the answer must follow.
 */
export function anthropicToRequest(body: AnthropicCountTokensRequest, contextLength: number | undefined): ConvertedAnthropicRequest {
  const ignored = new Ignored();
  for (const key of Object.keys(body)) if (!ANTHROPIC_READ_FIELDS.has(key)) ignored.add(`field ${key}`);
  const request: ChatRequest = { messages: convertMessages(body.system, body.messages, ignored) };
  applyTools(body, request, ignored);
  const format = body.output_config?.format ?? body.output_format;
  if (format) request.responseFormat = { type: "json", schema: format.schema };
  if (body.thinking && body.thinking.type !== "disabled") ignored.add(`thinking ${body.thinking.type}`);
  if (contextLength !== undefined) request.contextLength = contextLength;
  return { request, ignored: ignored.list };
}

/** The canonical request of a Messages body: the shared part, plus output length, sampling and stops. */
export function anthropicMessagesToRequest(body: AnthropicMessagesRequest, contextLength: number | undefined): ConvertedAnthropicRequest {
  const converted = anthropicToRequest(body, contextLength);
  const request = converted.request;
  request.maxOutputTokens = body.max_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.top_k != null) request.topK = body.top_k;
  if (body.stop_sequences && body.stop_sequences.length > 0) request.stopSequences = body.stop_sequences;
  return converted;
}
