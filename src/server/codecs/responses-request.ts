import type { AssistantMessage, ChatRequest, Message, ResponseFormat, ToolChoice, ToolDefinition, ToolMessage, UserMessage } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { ResponsesStoredItem } from "../../wire/openai/responses-object.js";
import type { ResponsesContentPart, ResponsesCreateRequest, ResponsesInputItem } from "../../wire/openai/responses-request.js";
import { newId } from "../ids.js";
import { offeredFunctions } from "./responses-tools.js";

/** What the codec needs besides the body. */
export interface ResponsesRequestContext {
  /** The conversation of the response named by `previous_response_id`, when there is one. */
  previousHistory?: Message[];
  /** A stored item by id, for `item_reference` inputs, already checked as an input item. */
  findItem(id: string): ResponsesInputItem | undefined;
  /** Context length from the `x-wren-context-length` header. */
  contextLength?: number;
  /** Told about each input item or tool type that was skipped (for a debug log). */
  onIgnored?(what: string): void;
}

/** A Responses request in canonical form, with what the store keeps of it. */
export interface PreparedResponsesRequest {
  request: ChatRequest;
  /** The input items as sent, each with an id (assigned where the client gave none). */
  inputItems: ResponsesStoredItem[];
  /** The conversation before the model answers: the previous one, then this input; no instructions. */
  history: Message[];
}

const ID_PREFIX: Record<string, string> = { message: "msg_", function_call: "fc_", function_call_output: "fco_", custom_tool_call: "ctc_", custom_tool_call_output: "ctco_" };

function unsupported(message: string, hint: string, param: string): WrenError {
  return new WrenError("unsupported", message, { hint, details: { param } });
}

function refuseUnsupportedFeatures(body: ResponsesCreateRequest): void {
  if (body.background) {
    throw unsupported("Background responses (background: true) are not supported by wren.", "Leave background out and stream the response (stream: true) instead.", "background");
  }
  if (body.conversation != null) {
    throw unsupported("Conversations (the conversation parameter) are not supported by wren.", "Continue a conversation with previous_response_id, or send the whole history as input.", "conversation");
  }
  if (body.prompt != null) {
    throw unsupported("Stored prompt templates (the prompt parameter) are not supported by wren.", "Send the prompt's text as instructions and input.", "prompt");
  }
  // Asked for and silently left out, a client reading output_text.logprobs would find an empty list.
  const logprobs = body.include?.includes("message.output_text.logprobs") === true;
  if (logprobs || (body.top_logprobs != null && body.top_logprobs > 0)) {
    throw unsupported(
      "Log probabilities (top_logprobs, include message.output_text.logprobs) are not supported: wren does not return token log probabilities.",
      "Leave top_logprobs out (or 0) and message.output_text.logprobs out of include.",
      logprobs ? "include" : "top_logprobs",
    );
  }
}

/** The text of parts: text kept, images and files described for a model that only reads text. */
function partsText(content: string | ResponsesContentPart[]): string {
  if (typeof content === "string") return content;
  return content
    .map((p) => {
      switch (p.type) {
        case "input_text":
        case "output_text":
          return p.text;
        case "refusal":
          return p.refusal;
        case "input_image":
          return "[image not shown]";
        case "input_file":
          return p.filename ? `[file ${p.filename} not shown]` : "[file not shown]";
      }
    })
    .join("");
}

function userContent(content: string | ResponsesContentPart[], param: string): UserMessage["content"] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((p, i): UserMessage["content"][number] => {
    switch (p.type) {
      case "input_image":
        if (!p.image_url) {
          throw unsupported("Images by file_id are not supported: wren has no Files API.", "Send the image as image_url (an https URL or a data: URL).", `${param}.${i}.file_id`);
        }
        return { type: "image", data: p.image_url };
      case "input_file":
        throw unsupported("input_file content is not supported by wren.", "Send the file's text as input_text.", `${param}.${i}`);
      case "refusal":
        return { type: "text", text: p.refusal };
      default:
        return { type: "text", text: p.text };
    }
  });
}

function parseArguments(raw: string, name: string, param: string): unknown {
  // A call without arguments is sometimes sent back with none at all.
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new WrenError("bad_request", `The arguments of the earlier function call '${name}' are not valid JSON.`, {
      hint: "Send a function_call item's arguments as the JSON text the model produced.",
      details: { param },
    });
  }
}

/** Builds the conversation, merging consecutive calls into one assistant turn and outputs into one tool turn. */
class Conversation {
  readonly messages: Message[];
  readonly #toolNames = new Map<string, string>();
  /** Whether an item was skipped: its call (a hosted tool's, Codex's local_shell_call) may be what a later output answers. */
  skipped = false;

  constructor(history: Message[]) {
    this.messages = [...history];
    for (const m of history) {
      if (m.role !== "assistant") continue;
      for (const p of m.content) if (p.type === "tool-call") this.#toolNames.set(p.toolCallId, p.toolName);
    }
  }

  #last<R extends Message["role"]>(role: R): Extract<Message, { role: R }> | undefined {
    const last = this.messages.at(-1);
    return last?.role === role ? (last as Extract<Message, { role: R }>) : undefined;
  }

  assistant(part: AssistantMessage["content"][number]): void {
    if (part.type === "tool-call") this.#toolNames.set(part.toolCallId, part.toolName);
    const last = this.#last("assistant");
    if (last && part.type === "tool-call") this.messages[this.messages.length - 1] = { role: "assistant", content: [...last.content, part] };
    else this.messages.push({ role: "assistant", content: [part] });
  }

  /**
   * A tool's output, answering a call of this input or of the previous response, as OpenAI
   * requires; unless an item was skipped, whose call it may answer.
   */
  toolResult(callId: string, output: string, param: string, kind: "function" | "custom tool"): void {
    if (!this.#toolNames.has(callId) && !this.skipped) {
      throw new WrenError("bad_request", `No tool call found for ${kind} call output with call_id ${printableId(callId)}.`, {
        hint: "Send the call's item before its output, or continue from the response that made the call with previous_response_id.",
        details: { param: `${param}.call_id` },
      });
    }
    const part: ToolMessage["content"][number] = { type: "tool-result", toolCallId: callId, toolName: this.#toolNames.get(callId) ?? "", output };
    const last = this.#last("tool");
    if (last) this.messages[this.messages.length - 1] = { role: "tool", content: [...last.content, part] };
    else this.messages.push({ role: "tool", content: [part] });
  }
}

function addItem(conversation: Conversation, item: ResponsesInputItem, param: string, ctx: ResponsesRequestContext): void {
  switch (item.type) {
    case "message":
      if (item.role === "user") conversation.messages.push({ role: "user", content: userContent(item.content, `${param}.content`) });
      else if (item.role === "assistant") conversation.assistant({ type: "text", text: partsText(item.content) });
      else conversation.messages.push({ role: "system", content: partsText(item.content) });
      break;
    case "function_call":
      conversation.assistant({ type: "tool-call", toolCallId: item.call_id, toolName: item.name, input: parseArguments(item.arguments, item.name, `${param}.arguments`) });
      break;
    case "custom_tool_call":
      conversation.assistant({ type: "tool-call", toolCallId: item.call_id, toolName: item.name, input: item.input });
      break;
    case "function_call_output":
    case "custom_tool_call_output":
      conversation.toolResult(item.call_id, partsText(item.output), param, item.type === "function_call_output" ? "function" : "custom tool");
      break;
    case "item_reference": {
      const found = ctx.findItem(item.id);
      if (!found || found.type === "item_reference") {
        throw new WrenError("not_found", `Item with id '${printableId(item.id)}' not found.`, {
          hint: "Reference items of responses this server still keeps (stored with store: true), or send the item itself.",
          details: { param },
        });
      }
      addItem(conversation, found, param, ctx);
      break;
    }
    case "ignored":
      conversation.skipped = true;
      ctx.onIgnored?.(`input item of type '${item.ignoredType}'`);
      break;
  }
}

/** An id as it may appear in a message: ids of wren's own shape as they are, anything else not echoed. */
export function printableId(id: string): string {
  return /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : "(not a valid id)";
}

function storedItems(input: ResponsesInputItem[]): ResponsesStoredItem[] {
  const out: ResponsesStoredItem[] = [];
  for (const item of input) {
    if (item.type === "ignored" || item.type === "item_reference") continue;
    out.push({ ...item, id: item.id ? item.id : newId(ID_PREFIX[item.type] ?? "item_") });
  }
  return out;
}

function tools(body: ResponsesCreateRequest, ctx: ResponsesRequestContext): ToolDefinition[] {
  return offeredFunctions(body, (what) => ctx.onIgnored?.(what)).map(({ tool: t }) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    inputSchema: t.parameters ?? { type: "object", properties: {} },
    ...(t.strict != null ? { strict: t.strict } : {}),
  }));
}

function toolChoice(body: ResponsesCreateRequest, declared: ToolDefinition[]): { choice?: ToolChoice; tools: ToolDefinition[] } {
  const c = body.tool_choice;
  if (c == null) return { tools: declared };
  if (typeof c === "string") return { choice: c, tools: declared };
  const named = (name: unknown): string => {
    if (typeof name !== "string" || !declared.some((t) => t.name === name)) {
      throw new WrenError("bad_request", `tool_choice names ${typeof name === "string" ? `'${name}'` : "no function"}, which is not among the function tools.`, {
        hint: "Name one of the functions listed in tools.",
        details: { param: "tool_choice" },
      });
    }
    return name;
  };
  if (c.type === "function") return { choice: { type: "tool", toolName: named(c["name"]) }, tools: declared };
  if (c.type === "allowed_tools") {
    if (!Array.isArray(c["tools"]) || (c["mode"] !== "auto" && c["mode"] !== "required")) {
      throw new WrenError("bad_request", "tool_choice of type 'allowed_tools' needs mode ('auto' or 'required') and a list of tools.", {
        hint: 'Send {"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"..."}]}.',
        details: { param: "tool_choice" },
      });
    }
    const listed = c["tools"] as Array<Record<string, unknown>>;
    const allowed = new Set(listed.filter((t) => t["type"] === "function").map((t) => named(t["name"])));
    return { choice: c["mode"] === "required" ? "required" : "auto", tools: declared.filter((t) => allowed.has(t.name)) };
  }
  throw unsupported(`tool_choice of type '${c.type}' names a hosted tool, which wren does not run.`, "Use 'auto', 'required', 'none', or a function tool.", "tool_choice");
}

function responseFormat(body: ResponsesCreateRequest): ResponseFormat | undefined {
  const f = body.text?.format;
  if (!f || f.type === "text") return undefined;
  if (f.type === "json_object") return { type: "json" };
  return { type: "json", name: f.name, schema: f.schema, ...(f.description ? { description: f.description } : {}), ...(f.strict != null ? { strict: f.strict } : {}) };
}

/**
 * A Responses request → the canonical request: instructions first (as a system message, never
 * carried over from a previous response), then the previous response's conversation, then the
 * input items. Reasoning items and hosted tools are skipped; function tools, tool choice,
 * `text.format`, sampling and the output bound map as for chat completions.
 */
export function responsesToRequest(body: ResponsesCreateRequest, ctx: ResponsesRequestContext): PreparedResponsesRequest {
  refuseUnsupportedFeatures(body);
  const input: ResponsesInputItem[] = body.input ?? [];
  const conversation = new Conversation(ctx.previousHistory ?? []);
  input.forEach((item, i) => addItem(conversation, item, `input.${i}`, ctx));
  if (conversation.messages.length === 0 && !body.instructions) {
    throw new WrenError("bad_request", "The request has no input: input is empty and there is no previous response or instructions.", {
      hint: "Send input as a string or a list of items.",
      details: { param: "input" },
    });
  }
  const history = conversation.messages;
  const messages: Message[] = body.instructions ? [{ role: "system", content: body.instructions }, ...history] : [...history];
  const request: ChatRequest = { messages };
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.max_output_tokens != null) request.maxOutputTokens = body.max_output_tokens;
  const format = responseFormat(body);
  if (format) request.responseFormat = format;
  const { choice, tools: offered } = toolChoice(body, tools(body, ctx));
  if (offered.length > 0) request.tools = offered;
  if (choice) request.toolChoice = choice;
  if (ctx.contextLength !== undefined) request.contextLength = ctx.contextLength;
  return { request, inputItems: storedItems(input), history };
}
