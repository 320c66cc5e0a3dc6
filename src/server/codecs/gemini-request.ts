import type { AssistantMessage, ChatRequest, ImagePart, Message, TextPart, ToolDefinition, ToolResultPart, UserMessage } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { GeminiContent, GeminiGenerateContentRequest, GeminiPart, GeminiTool } from "../../wire/gemini/index.js";
import { GEMINI_BUILT_IN_TOOLS } from "../../wire/gemini/index.js";
import { GEMINI_ENUM_MIME } from "./gemini-enum.js";
import { convertGeminiGenerationConfig } from "./gemini-generation-config.js";
import { geminiSchemaToJsonSchema } from "./gemini-schema.js";

const HINT = "Check the request against the Gemini API reference (generateContent).";

function invalid(message: string, param: string, hint = HINT): WrenError {
  return new WrenError("bad_request", message, { hint, details: { param } });
}

function systemText(system: GeminiGenerateContentRequest["systemInstruction"]): string {
  if (system === undefined) return "";
  if (typeof system === "string") return system;
  return (system.parts ?? []).map((p) => (p.thought ? "" : (p.text ?? ""))).join("\n");
}

/** A function's answer as text for the model: `{output}` and `{error}` (Gemini CLI's shapes) unwrapped, anything else as JSON. */
function responseOutput(response: Record<string, unknown> | null | undefined): { output: string; isError: boolean } {
  if (!response) return { output: "", isError: false };
  const keys = Object.keys(response);
  if (keys.length === 1 && typeof response["output"] === "string") return { output: response["output"], isError: false };
  if (keys.length === 1 && typeof response["error"] === "string") return { output: response["error"], isError: true };
  return { output: JSON.stringify(response), isError: keys.length === 1 && keys[0] === "error" };
}

/** Images go to the model; text files sent inline become text; other media are refused, never dropped. */
function inlinePart(data: { mimeType: string; data: string }, where: string): TextPart | ImagePart {
  const type = data.mimeType.toLowerCase();
  if (type.startsWith("image/")) return { type: "image", data: data.data, mediaType: data.mimeType };
  if (type.startsWith("text/") || type === "application/json") return { type: "text", text: Buffer.from(data.data, "base64").toString("utf8") };
  throw new WrenError("unsupported", `${where}.inlineData has type '${data.mimeType}'; wren passes images and text to its models.`, {
    hint: "Send the content as text or as an image.",
    details: { param: `${where}.inlineData` },
  });
}

function filePart(data: { mimeType?: string | undefined; fileUri: string }, where: string): ImagePart {
  const image = data.mimeType === undefined || data.mimeType.toLowerCase().startsWith("image/");
  if (image && /^https?:\/\//i.test(data.fileUri)) return { type: "image", data: data.fileUri, ...(data.mimeType ? { mediaType: data.mimeType } : {}) };
  throw new WrenError("unsupported", `${where}.fileData refers to '${data.fileUri}'${data.mimeType ? ` (${data.mimeType})` : ""}, which wren cannot read.`, {
    hint: "Send images inline (inlineData) or as an http(s) URL; files uploaded to Google are not reachable from wren.",
    details: { param: `${where}.fileData` },
  });
}

/** Matches function responses to the calls they answer, by id or else by name in order. */
class CallIds {
  #next = 0;
  readonly #open = new Map<string, string[]>();

  call(name: string, id: string | undefined): string {
    const callId = id ?? `call_${this.#next++}`;
    const open = this.#open.get(name) ?? [];
    open.push(callId);
    this.#open.set(name, open);
    return callId;
  }

  response(name: string, id: string | undefined): string {
    const open = this.#open.get(name) ?? [];
    if (id !== undefined) {
      const i = open.indexOf(id);
      if (i >= 0) open.splice(i, 1);
      return id;
    }
    return open.shift() ?? `call_${this.#next++}`;
  }
}

function modelTurn(parts: GeminiPart[], where: string, ids: CallIds): AssistantMessage {
  const msg: AssistantMessage = { role: "assistant", content: [] };
  parts.forEach((p, j) => {
    if (p.thought) return;
    if (p.functionCall) {
      const { name, id, args } = p.functionCall;
      msg.content.push({ type: "tool-call", toolCallId: ids.call(name, id), toolName: name, input: args ?? {} });
    } else if (p.text !== undefined) msg.content.push({ type: "text", text: p.text });
    else if (p.inlineData || p.fileData || p.functionResponse) {
      throw invalid(`${where}.parts[${j}]: a model turn carries text and function calls only.`, `${where}.parts[${j}]`);
    }
  });
  return msg;
}

function userTurn(parts: GeminiPart[], where: string, ids: CallIds): Message[] {
  const results: ToolResultPart[] = [];
  const user: UserMessage = { role: "user", content: [] };
  parts.forEach((p, j) => {
    const at = `${where}.parts[${j}]`;
    if (p.thought) return;
    if (p.functionResponse) {
      const { name, id, response } = p.functionResponse;
      const { output, isError } = responseOutput(response);
      results.push({ type: "tool-result", toolCallId: ids.response(name, id), toolName: name, output, ...(isError ? { isError: true } : {}) });
    } else if (p.text !== undefined) user.content.push({ type: "text", text: p.text });
    else if (p.inlineData) user.content.push(inlinePart(p.inlineData, at));
    else if (p.fileData) user.content.push(filePart(p.fileData, at));
    else if (p.functionCall) throw invalid(`${at}: a functionCall belongs in a turn of role 'model'.`, at);
  });
  const out: Message[] = [];
  if (results.length > 0) out.push({ role: "tool", content: results });
  if (user.content.length > 0) out.push(user);
  return out;
}

/** `systemInstruction` and `contents` (roles `user` and `model`) → canonical messages. */
export function convertGeminiContents(system: GeminiGenerateContentRequest["systemInstruction"], contents: GeminiContent[]): Message[] {
  const out: Message[] = [];
  const sys = systemText(system);
  if (sys) out.push({ role: "system", content: sys });
  const ids = new CallIds();
  contents.forEach((content, i) => {
    const parts = content.parts ?? [];
    const where = `contents[${i}]`;
    if (content.role === "model") {
      const msg = modelTurn(parts, where, ids);
      if (msg.content.length > 0) out.push(msg);
    } else out.push(...userTurn(parts, where, ids));
  });
  return out;
}

/** Function declarations → canonical tools; the names of built-in tools (search, code execution) that were left out. */
export function convertGeminiTools(tools: GeminiTool[]): { tools: ToolDefinition[]; ignored: string[] } {
  const out: ToolDefinition[] = [];
  const ignored: string[] = [];
  tools.forEach((tool, i) => {
    for (const decl of tool.functionDeclarations ?? []) {
      const schema = decl.parametersJsonSchema ?? (decl.parameters ? geminiSchemaToJsonSchema(decl.parameters) : { type: "object", properties: {} });
      out.push({ name: decl.name, ...(decl.description ? { description: decl.description } : {}), inputSchema: schema });
    }
    for (const key of GEMINI_BUILT_IN_TOOLS) if ((tool as Record<string, unknown>)[key] !== undefined) ignored.push(`tools[${i}].${key}`);
  });
  return { tools: out, ignored };
}

/** `toolConfig.functionCallingConfig` → canonical tool choice, with the tools narrowed to `allowedFunctionNames`. */
function applyToolConfig(request: ChatRequest, body: GeminiGenerateContentRequest): void {
  const config = body.toolConfig?.functionCallingConfig;
  if (!config) return;
  const param = "toolConfig.functionCallingConfig";
  const names = config.allowedFunctionNames ?? [];
  const tools = request.tools ?? [];
  for (const name of names) {
    if (!tools.some((t) => t.name === name)) {
      throw invalid(`${param}.allowedFunctionNames names '${name}', which is not among the function declarations.`, `${param}.allowedFunctionNames`, "Name functions you declare in tools[].functionDeclarations.");
    }
  }
  if (config.mode === "NONE") {
    request.toolChoice = "none";
    return;
  }
  if (names.length > 0) request.tools = tools.filter((t) => names.includes(t.name));
  if (config.mode !== "ANY") return;
  if (tools.length === 0) throw invalid(`${param}.mode is ANY, but the request declares no functions.`, `${param}.mode`, "Declare functions in tools[].functionDeclarations, or use mode AUTO.");
  const only = names.length === 1 ? names[0] : undefined;
  request.toolChoice = only === undefined ? "required" : { type: "tool", toolName: only };
}

/**
 * What a Gemini request asks, as a canonical request; what of it wren left out (for the debug log);
 * and whether the answer is one enum value as plain text (`text/x.enum`, unwrapped by the response codec).
 */
export function geminiToRequest(body: GeminiGenerateContentRequest, contextLength: number | undefined, forCounting = false): { request: ChatRequest; ignored: string[]; enumAnswer: boolean } {
  const contents = body.contents ?? [];
  if (contents.length === 0 && !forCounting) throw invalid("contents is not specified: a request needs at least one turn.", "contents", "Send contents: [{role: 'user', parts: [{text: '...'}]}].");
  if (body.cachedContent !== undefined) {
    throw new WrenError("unsupported", `cachedContent '${body.cachedContent}' cannot be used: wren keeps no cached contents.`, {
      hint: "Send the whole conversation in contents instead.",
      details: { param: "cachedContent" },
    });
  }
  const request: ChatRequest = { messages: convertGeminiContents(body.systemInstruction, contents) };
  // Turns with no parts, or parts with nothing in them, would reach the model as an empty conversation.
  if (!forCounting && !request.messages.some((m) => m.role !== "system")) {
    throw invalid(
      "contents has nothing to answer: every turn is empty (no parts, or parts with no text, data, function call or function response).",
      "contents",
      "Send at least one part with text, inlineData, fileData, functionCall or functionResponse.",
    );
  }
  const { tools, ignored } = convertGeminiTools(body.tools ?? []);
  if (tools.length > 0) request.tools = tools;
  applyToolConfig(request, body);
  if (body.generationConfig) Object.assign(request, convertGeminiGenerationConfig(body.generationConfig));
  if (contextLength !== undefined) request.contextLength = contextLength;
  return { request, ignored, enumAnswer: body.generationConfig?.responseMimeType?.toLowerCase() === GEMINI_ENUM_MIME };
}
