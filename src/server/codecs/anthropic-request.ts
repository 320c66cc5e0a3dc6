import type { AssistantMessage, ChatRequest, ImagePart, Message, TextPart, ToolResultPart, UserMessage } from "../../protocol/index.js";
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
  /**
   * Documents the model got only a note about, as it cannot read them (a PDF, a URL, a file), each
   * as one label (`document "report.pdf" (application/pdf, 12 KB)`): worth a warning, not a debug line.
   */
  unread: string[];
}

type SystemContent = AnthropicMessagesRequest["system"];

/** Labels kept for the log: a body of thousands of unknown fields must not make a log line of them all. */
const MAX_IGNORED_LABELS = 32;

/** Collects what was left out, once per label, the first {@link MAX_IGNORED_LABELS} of them by name. */
class Ignored {
  readonly #labels = new Set<string>();
  readonly #unread = new Set<string>();
  #more = 0;
  add(label: string): void {
    if (this.#labels.has(label)) return;
    if (this.#labels.size < MAX_IGNORED_LABELS) this.#labels.add(label);
    else this.#more++;
  }
  block(type: string): void {
    this.add(`block ${type}`);
  }
  unread(label: string): void {
    if (this.#unread.size < MAX_IGNORED_LABELS) this.#unread.add(label);
  }
  get unreadList(): string[] {
    return [...this.#unread];
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

type DocumentBlock = Extract<AnthropicContentBlock, { type: "document" }>;

/** "12 KB" for the note about a document the model cannot read. */
function sizeLabel(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * What the model gets of a document: its text (a plain-text source, a base64 one of a `text/`
 * type, or the text and images of a content source), after its title and context; or, for a
 * source a local text model cannot read (a PDF, a URL, an uploaded file), a note in its place that
 * says what was attached and that it could not be read, so the model tells the user rather than
 * answering as if the document were not there. Each such document is named in `unread`.
 */
function documentParts(block: DocumentBlock, ignored: Ignored): Array<TextPart | ImagePart> {
  const source = block.source;
  const head = [block.title ? `Document: ${block.title}` : undefined, block.context ?? undefined].filter((l) => l !== undefined);
  const withHead = (text: string): TextPart => ({ type: "text", text: [...head, text].join("\n") });
  if (source.type === "text") return [withHead(source.data)];
  if (source.type === "base64" && source.media_type?.startsWith("text/")) return [withHead(Buffer.from(source.data, "base64").toString("utf8"))];
  if (source.type === "content") {
    if (typeof source.content === "string") return [withHead(source.content)];
    const parts: Array<TextPart | ImagePart> = head.length > 0 ? [{ type: "text", text: head.join("\n") }] : [];
    for (const b of source.content) {
      if (b.type === "text") parts.push({ type: "text", text: b.text });
      else if (b.type === "image" && b.source.type === "base64") parts.push({ type: "image", data: b.source.data, mediaType: b.source.media_type });
      else if (b.type === "image" && b.source.type === "url") parts.push({ type: "image", data: b.source.url });
      else ignored.block(b.type === "ignored" ? `document/content/${b.originalType}` : "document/content/image/file");
    }
    return parts;
  }
  const named = block.title ? `'${block.title}' ` : "";
  const what =
    source.type === "base64"
      ? `${named}(${source.media_type ?? "binary"}, ${sizeLabel(source.data)})`
      : source.type === "url"
        ? `${named}at ${source.url}`
        : `${named}(${source.type === "file" ? `uploaded file ${source.file_id}` : `source type ${source.originalType}`})`;
  ignored.unread(`document ${what}`);
  return [
    {
      type: "text",
      text: `[A document ${what} was attached here, but this model cannot read it: wren passes only text documents to a local model. Say that you could not read it, and ask for its text if it is needed.]`,
    },
  ];
}

/** The text of a document's parts (tool results carry text only). */
function documentText(block: DocumentBlock, ignored: Ignored): string {
  const texts: string[] = [];
  for (const part of documentParts(block, ignored)) {
    if (part.type === "text") texts.push(part.text);
    else ignored.block("tool_result/document/image");
  }
  return texts.join("\n");
}

function toolResultText(content: string | AnthropicToolResultContent[] | null | undefined, ignored: Ignored): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  const texts: string[] = [];
  for (const b of content) {
    if (b.type === "text") texts.push(b.text);
    else if (b.type === "document") texts.push(documentText(b, ignored));
    else ignored.block(b.type === "ignored" ? b.originalType : `tool_result/${b.type}`);
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
      case "document":
        user.content.push(...documentParts(b, ignored));
        break;
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
  for (const [i, m] of messages.entries()) {
    if (m.content.length === 0 && !(m.role === "assistant" && i === messages.length - 1)) {
      // Left out, the conversation would go on without it (or be none at all), as Anthropic's API refuses it.
      throw new WrenError("bad_request", `messages.${i}: all messages must have non-empty content except for the optional final assistant message.`, {
        hint: `Give messages.${i} its text or blocks, or leave the message out.`,
        details: { param: `messages.${i}.content` },
      });
    }
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
  } else if (choice.type === "any" && tools.length === 0) {
    // Answered with text, a client that demanded a tool_use block would find none.
    const server = body.tools?.some((t) => t.kind === "server");
    throw new WrenError("bad_request", `tool_choice is {"type": "any"}, but no tools${server ? " a local model can call (only server tools)" : ""} were sent: there is no tool to use.`, {
      hint: 'Send the tools, or leave tool_choice out (or send {"type": "auto"} or {"type": "none"}).',
      details: { param: "tool_choice" },
    });
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
  const final = request.messages.at(-1);
  if (final?.role === "assistant") {
    // The Messages API continues a final assistant message instead of answering after it, and
    // refuses one that ends in whitespace (no model continues well from there).
    const text = final.content.at(-1);
    if (text?.type === "text" && /\s$/.test(text.text)) {
      throw new WrenError("bad_request", "messages: final assistant content cannot end with trailing whitespace.", {
        hint: "Trim the end of the final assistant message.",
        details: { param: "messages" },
      });
    }
    request.continueFinalMessage = true;
  }
  applyTools(body, request, ignored);
  const format = body.output_config?.format ?? body.output_format;
  if (format) request.responseFormat = { type: "json", schema: format.schema };
  if (body.thinking && body.thinking.type !== "disabled") ignored.add(`thinking ${body.thinking.type}`);
  if (contextLength !== undefined) request.contextLength = contextLength;
  return { request, ignored: ignored.list, unread: ignored.unreadList };
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
