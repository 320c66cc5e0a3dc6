import fc from "fast-check";
import { promptText } from "./strings.js";

/** How a streamed answer is framed, so the checker knows how it ends and what an error looks like. */
export type StreamFormat = "openai-sse" | "anthropic-sse" | "ollama-ndjson";

/** One HTTP request of a dialect, valid by construction: wren must answer it with 2xx. */
export interface FuzzRequest {
  /** GET and POST for valid requests; any method for the wrong-route cases. */
  method: string;
  path: string;
  /** JSON body (undefined for GET). */
  body?: unknown;
  /** Set when the request asks for a streamed answer. */
  stream?: StreamFormat;
}

/** Names the served model answers to; `auto` goes through the router to it. */
export const servedModel = { id: "fuzz", alias: "fuzz-alias" } as const;
const localName = fc.constantFrom(servedModel.id, servedModel.alias);
/** `auto` routes chat and completion; embeddings need a served model's own name. */
const modelName = fc.oneof({ arbitrary: localName, weight: 5 }, { arbitrary: fc.constant("auto"), weight: 1 });
/** The engine takes seeds in 0..2^32-1 and says so with a 400 otherwise. */
const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });

/** Tiny so that valid requests finish in milliseconds on the test model. */
const maxTokens = fc.integer({ min: 1, max: 8 });
const stopList = fc.array(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 6 }), { maxLength: 3 });

const simpleSchema = fc.constantFrom<Record<string, unknown>>(
  { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  { type: "object", properties: { n: { type: "integer" }, ok: { type: "boolean" } } },
  { type: "object", properties: {} },
);
const toolName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,20}$/);

const openaiMessage = fc.oneof(
  fc.record({ role: fc.constant("user"), content: fc.oneof(promptText, fc.array(fc.record({ type: fc.constant("text"), text: promptText }), { minLength: 1, maxLength: 2 })) }),
  fc.record({ role: fc.constantFrom("system", "developer"), content: promptText }),
  fc.record({ role: fc.constant("assistant"), content: promptText }),
);

function openaiChat(): fc.Arbitrary<FuzzRequest> {
  const tools = fc.array(fc.record({ type: fc.constant("function"), function: fc.record({ name: toolName, description: promptText, parameters: simpleSchema }, { requiredKeys: ["name"] }) }), { minLength: 1, maxLength: 2 });
  return fc
    .record(
      {
        model: modelName,
        messages: fc.array(openaiMessage, { minLength: 1, maxLength: 3 }),
        max_tokens: maxTokens,
        stream: fc.boolean(),
        stream_options: fc.record({ include_usage: fc.boolean() }),
        temperature: fc.double({ min: 0, max: 2, noNaN: true }),
        top_p: fc.double({ min: 0, max: 1, noNaN: true }),
        seed,
        stop: fc.oneof(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 6 }), stopList),
        presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
        frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
        user: promptText,
        tools,
        response_format: fc.oneof(fc.constant({ type: "text" }), fc.constant({ type: "json_object" }), simpleSchema.map((schema) => ({ type: "json_schema", json_schema: { name: "answer", schema } }))),
      },
      { requiredKeys: ["model", "messages", "max_tokens"] },
    )
    .map((body) => {
      const { stream_options, ...rest } = body;
      // stream_options is only allowed alongside stream: true.
      const withOptions = body.stream === true && stream_options ? { ...rest, stream_options } : rest;
      return { method: "POST", path: "/v1/chat/completions", body: withOptions, ...(body.stream ? { stream: "openai-sse" as const } : {}) };
    });
}

function openaiCompletion(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record(
      {
        model: modelName,
        prompt: fc.oneof(promptText, promptText.map((p) => [p])),
        max_tokens: maxTokens,
        stream: fc.boolean(),
        temperature: fc.double({ min: 0, max: 2, noNaN: true }),
        top_p: fc.double({ min: 0, max: 1, noNaN: true }),
        seed,
        stop: stopList,
      },
      { requiredKeys: ["model", "prompt", "max_tokens"] },
    )
    .map((body) => ({ method: "POST", path: "/v1/completions", body, ...(body.stream ? { stream: "openai-sse" as const } : {}) }));
}

function openaiEmbeddings(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record(
      { model: localName, input: fc.oneof(promptText, fc.array(promptText, { minLength: 1, maxLength: 3 })), encoding_format: fc.constantFrom("float", "base64"), dimensions: fc.integer({ min: 1, max: 64 }) },
      { requiredKeys: ["model", "input"] },
    )
    .map((body) => ({ method: "POST", path: "/v1/embeddings", body }));
}

const anthropicMessages = fc.array(
  fc.record({ role: fc.constantFrom("user", "assistant"), content: fc.oneof(promptText, fc.array(fc.record({ type: fc.constant("text"), text: promptText }), { minLength: 1, maxLength: 2 })) }),
  { minLength: 1, maxLength: 3 },
).map((messages) => [{ role: "user", content: "Hi" }, ...messages]);
const anthropicTools = fc.array(fc.record({ name: toolName, description: promptText, input_schema: simpleSchema }, { requiredKeys: ["name", "input_schema"] }), { minLength: 1, maxLength: 2 });

function anthropicMessagesRequest(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record(
      {
        model: modelName,
        messages: anthropicMessages,
        max_tokens: maxTokens,
        system: fc.oneof(promptText, fc.array(fc.record({ type: fc.constant("text"), text: promptText }), { minLength: 1, maxLength: 2 })),
        stream: fc.boolean(),
        stop_sequences: stopList,
        temperature: fc.double({ min: 0, max: 1, noNaN: true }),
        top_p: fc.double({ min: 0, max: 1, noNaN: true }),
        top_k: fc.integer({ min: 0, max: 100 }),
        metadata: fc.record({ user_id: promptText }),
        tools: anthropicTools,
      },
      { requiredKeys: ["model", "messages", "max_tokens"] },
    )
    .map((body) => ({ method: "POST", path: "/v1/messages", body, ...(body.stream ? { stream: "anthropic-sse" as const } : {}) }));
}

function anthropicCountTokens(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ model: modelName, messages: anthropicMessages, system: promptText, tools: anthropicTools }, { requiredKeys: ["model", "messages"] })
    .map((body) => ({ method: "POST", path: "/v1/messages/count_tokens", body }));
}

const ollamaOptions = fc.record({
  num_predict: maxTokens,
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  top_p: fc.double({ min: 0, max: 1, noNaN: true }),
  top_k: fc.integer({ min: 0, max: 100 }),
  seed,
  stop: stopList,
}, { requiredKeys: ["num_predict"] });

function ollamaChat(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record(
      {
        model: modelName,
        messages: fc.array(fc.record({ role: fc.constantFrom("system", "user", "assistant"), content: promptText }), { minLength: 1, maxLength: 3 }),
        options: ollamaOptions,
        stream: fc.boolean(),
        format: fc.oneof(fc.constant("json"), simpleSchema),
        keep_alive: fc.constantFrom("5m", 300),
      },
      { requiredKeys: ["model", "messages", "options"] },
    )
    .map((body) => ({ method: "POST", path: "/api/chat", body, ...(body.stream === false ? {} : { stream: "ollama-ndjson" as const }) }));
}

function ollamaGenerate(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record(
      { model: modelName, prompt: promptText, system: promptText, options: ollamaOptions, stream: fc.boolean(), raw: fc.boolean(), format: fc.constant("json") },
      { requiredKeys: ["model", "prompt", "options"] },
    )
    .map((body) => ({ method: "POST", path: "/api/generate", body, ...(body.stream === false ? {} : { stream: "ollama-ndjson" as const }) }));
}

function ollamaEmbed(): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    fc
      .record({ model: localName, input: fc.oneof(promptText, fc.array(promptText, { minLength: 1, maxLength: 3 })), truncate: fc.boolean(), dimensions: fc.integer({ min: 1, max: 64 }) }, { requiredKeys: ["model", "input"] })
      .map((body): FuzzRequest => ({ method: "POST", path: "/api/embed", body })),
    fc.record({ model: localName, prompt: promptText }).map((body): FuzzRequest => ({ method: "POST", path: "/api/embeddings", body })),
  );
}

const getRequest = fc.constantFrom<FuzzRequest>(
  ...["/health", "/ready", "/metrics", "/status", "/v1/models", `/v1/models/${servedModel.id}`, `/v1/models/${servedModel.alias}`, "/api/tags", "/api/ps", "/api/version", "/v1/router/decisions", "/v1/router/stats"].map(
    (path): FuzzRequest => ({ method: "GET", path }),
  ),
);
const ollamaShow = fc.record({ model: fc.constantFrom(servedModel.id, servedModel.alias), verbose: fc.boolean() }, { requiredKeys: ["model"] }).map((body): FuzzRequest => ({ method: "POST", path: "/api/show", body }));

/** A valid request to any endpoint of any dialect, weighted towards the generating ones. */
export const validRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: openaiChat(), weight: 4 },
  { arbitrary: openaiCompletion(), weight: 2 },
  { arbitrary: openaiEmbeddings(), weight: 1 },
  { arbitrary: anthropicMessagesRequest(), weight: 3 },
  { arbitrary: anthropicCountTokens(), weight: 1 },
  { arbitrary: ollamaChat(), weight: 3 },
  { arbitrary: ollamaGenerate(), weight: 2 },
  { arbitrary: ollamaEmbed(), weight: 1 },
  { arbitrary: ollamaShow, weight: 1 },
  { arbitrary: getRequest, weight: 2 },
);

/** A valid streamed chat request (for disconnect and WebSocket cases). */
export const validOpenAIChat = openaiChat();
