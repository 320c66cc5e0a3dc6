/** JSON Schema as plain data (draft 2020-12 subset that llama.cpp grammars and providers understand). */
export type JsonSchema = { [key: string]: unknown };

export interface TextPart {
  type: "text";
  text: string;
}

export interface ImagePart {
  type: "image";
  /** Base64 data, or an http(s)/data URL. */
  data: string;
  /** e.g. `image/png`; required for base64 data. */
  mediaType?: string;
}

export interface ToolCallPart {
  type: "tool-call";
  toolCallId: string;
  toolName: string;
  /** The arguments as parsed JSON. */
  input: unknown;
}

export interface ToolResultPart {
  type: "tool-result";
  toolCallId: string;
  toolName: string;
  /** What the tool returned, as text for the model. */
  output: string;
  isError?: boolean;
}

export interface SystemMessage {
  role: "system";
  content: string;
}

export interface UserMessage {
  role: "user";
  content: Array<TextPart | ImagePart>;
}

export interface AssistantMessage {
  role: "assistant";
  content: Array<TextPart | ToolCallPart>;
}

export interface ToolMessage {
  role: "tool";
  content: ToolResultPart[];
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** Shorthand for a user message of plain text. */
export function userText(text: string): UserMessage {
  return { role: "user", content: [{ type: "text", text }] };
}

/** The text parts of a message joined, ignoring tool calls and images. */
export function messageText(message: Message): string {
  if (typeof message.content === "string") return message.content;
  let out = "";
  for (const part of message.content) {
    if (part.type === "text") out += part.text;
    else if (part.type === "tool-result") out += part.output;
  }
  return out;
}
