import type { JsonSchema, Message } from "./messages.js";

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the tool's arguments (an object schema). */
  inputSchema: JsonSchema;
  /**
   * The client asked for the arguments to follow the schema exactly (OpenAI's `strict`): passed on
   * to a teacher that takes it. A local model's arguments always follow the schema (by grammar).
   */
  strict?: boolean;
}

/** `auto`: the model decides; `none`: never call a tool; `required`: call some tool; or one named tool. */
export type ToolChoice = "auto" | "none" | "required" | { type: "tool"; toolName: string };

export type ResponseFormat =
  | { type: "text" }
  /** JSON output; with a schema, output is constrained to it (by grammar locally). */
  | {
      type: "json";
      schema?: JsonSchema;
      name?: string;
      /** What the output is for, as the client described it to the model (OpenAI's `json_schema.description`). */
      description?: string;
      /** The client asked for output that follows the schema exactly (OpenAI's `strict`): passed on to a teacher that takes it; local output always does. */
      strict?: boolean;
      /**
       * The client's answer is this property's value, one of its string `enum`; the object around it
       * is a wrapper, there because some teachers' structured outputs take only an object root. The
       * answer is still that object's JSON, but `maxOutputTokens` and the usage are the value's: a
       * model that can be held to the value alone (by grammar locally, Gemini's `text/x.enum`) is
       * asked for it alone and the wrapper written around it (see `withAnswerJson`).
       */
      answerKey?: string;
    };

/**
 * The canonical request every layer speaks. Edges (HTTP dialects, CLI, agent) translate into it;
 * providers translate out of it.
 */
export interface ChatRequest {
  /** The conversation. Empty when `rawPrompt` is used. */
  messages: Message[];
  /**
   * The last message is an assistant message the model continues (Anthropic's prefill, where the
   * Messages API documents that the answer continues a final assistant message; Ollama's
   * `/api/chat` does the same), rather than a finished turn after which it starts a new one
   * (OpenAI's reading). The answer is only the text
   * after it. Local models honour it when that message holds only text; upstreams whose API reads
   * a final assistant message this way do so natively.
   */
  continueFinalMessage?: boolean;
  /**
   * Text completion: the model continues this text verbatim, with no chat template.
   * Only local models and completion-capable upstreams accept it.
   */
  rawPrompt?: string;
  /** Maximum tokens to generate. Default: until the model stops or the context is full. */
  maxOutputTokens?: number;
  /** 0 means greedy. */
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  /** Penalty for repeated tokens (llama.cpp style, 1 = off). */
  repeatPenalty?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  /** Generation ends before any of these strings; they are not part of the output. */
  stopSequences?: string[];
  responseFormat?: ResponseFormat;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Context window wanted for this request, in tokens (local models). */
  contextLength?: number;
  /**
   * The client's own id for its end user or conversation (OpenAI's `user`). A pool keeps the
   * requests that carry one on one replica, instead of keying them by their first messages.
   */
  user?: string;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** Who sent a request, as the server authenticated it. Never the secret itself. */
export interface ClientIdentity {
  /**
   * The client's key id: the name of a configured key (`server.keys`), `peer` for a LAN peer's
   * key, `key-` and a short hash of any other key, or `anonymous` when none was sent.
   */
  keyId: string;
}

/** The key id of a client that sent no key (where the server needs none). */
export const ANONYMOUS_KEY_ID = "anonymous";

export interface CallOptions {
  /** Aborting stops generation (locally within a token) and ends the stream with finish reason `abort`. */
  signal?: AbortSignal;
  /** The authenticated client the call is made for; the router counts per-key budgets against it. Default: none (no per-key budget applies). */
  client?: ClientIdentity | undefined;
}
