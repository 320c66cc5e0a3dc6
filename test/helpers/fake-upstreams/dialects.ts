import { readFileSync } from "node:fs";

/** The wire formats the fakes speak. */
export type DialectName = "openai" | "anthropic" | "gemini" | "ollama";

/** One recorded exchange: the non-streamed body and the streamed events, in the provider's own shapes. */
export interface Recording {
  body: unknown;
  stream: unknown[];
}

export interface Recordings {
  text: Recording;
  tool: Recording;
}

export interface Dialect {
  name: DialectName;
  /** Whether this POST path is the dialect's chat endpoint. */
  isChatPath(pathname: string): boolean;
  isStream(url: URL, body: Record<string, unknown>): boolean;
  contentType(stream: boolean): string;
  /** One event framed as it travels on the wire. */
  frame(event: unknown): string;
  /** Bytes after the last event (OpenAI's `[DONE]`). */
  trailer: string;
  /** A frame that is not valid in this dialect. */
  malformed: string;
  errorBody(status: number, message: string): unknown;
  /** An overload reported inside a 200 answer that has started, as this provider reports one mid-stream. */
  overloadEvent(message: string): string;
  /** A keep-alive as this provider sends one inside a stream: no content (an SSE comment, Anthropic's `ping` event, a blank line). */
  ping: string;
}

const sse = (event: unknown): string => `data: ${JSON.stringify(event)}\n\n`;

const dialects: Record<DialectName, Dialect> = {
  openai: {
    name: "openai",
    isChatPath: (p) => p.endsWith("/chat/completions"),
    isStream: (_url, body) => body["stream"] === true,
    contentType: (stream) => (stream ? "text/event-stream" : "application/json"),
    frame: sse,
    trailer: "data: [DONE]\n\n",
    malformed: 'data: {"id":"chatcmpl-broken","choices":[{"delta":\n\n',
    errorBody: (status, message) => ({
      error: { message, type: status === 429 ? "rate_limit_exceeded" : "server_error", param: null, code: null },
    }),
    overloadEvent: (message) => sse({ error: { message, type: "server_error", param: null, code: null } }),
    ping: ": ping\n\n",
  },
  anthropic: {
    name: "anthropic",
    isChatPath: (p) => p.endsWith("/v1/messages"),
    isStream: (_url, body) => body["stream"] === true,
    contentType: (stream) => (stream ? "text/event-stream" : "application/json"),
    frame: (event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`,
    trailer: "",
    malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
    errorBody: (status, message) => ({
      type: "error",
      error: { type: status === 429 ? "rate_limit_error" : status === 529 ? "overloaded_error" : "api_error", message },
    }),
    overloadEvent: (message) => `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message } })}\n\n`,
    ping: 'event: ping\ndata: {"type": "ping"}\n\n',
  },
  gemini: {
    name: "gemini",
    isChatPath: (p) => /:(stream)?[gG]enerateContent$/.test(p),
    isStream: (url) => url.pathname.endsWith(":streamGenerateContent"),
    contentType: (stream) => (stream ? "text/event-stream" : "application/json"),
    frame: sse,
    trailer: "",
    malformed: 'data: {"candidates":[{"content":{"parts":[{"text":\n\n',
    errorBody: (status, message) => ({
      error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" },
    }),
    overloadEvent: (message) => sse({ error: { code: 503, message, status: "UNAVAILABLE" } }),
    ping: ": ping\n\n",
  },
  ollama: {
    name: "ollama",
    isChatPath: (p) => p === "/api/chat",
    isStream: (_url, body) => body["stream"] !== false,
    contentType: (stream) => (stream ? "application/x-ndjson" : "application/json; charset=utf-8"),
    frame: (event) => `${JSON.stringify(event)}\n`,
    trailer: "",
    malformed: '{"model":"llama3.2","message":{"role":"assistant","content":\n',
    errorBody: (_status, message) => ({ error: message }),
    overloadEvent: (message) => `${JSON.stringify({ error: message })}\n`,
    ping: "\n",
  },
};

export function dialect(name: DialectName): Dialect {
  return dialects[name];
}

/** The recorded responses shipped with the fakes (see recordings/). */
export function loadRecordings(name: DialectName): Recordings {
  return JSON.parse(readFileSync(new URL(`./recordings/${name}.json`, import.meta.url), "utf8")) as Recordings;
}
