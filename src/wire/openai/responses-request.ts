import { z } from "zod";
import { toolNameSchema } from "../tool-name.js";

/**
 * OpenAI Responses API request (`POST /v1/responses`), as clients send it (the `openai` package's
 * `ResponseCreateParams`). Lenient as OpenAI's server is with its clients: every documented
 * optional field is accepted (null included), and so are top-level fields this schema does not
 * name (the route logs them): agent CLIs send fields newer than any published type (Codex CLI's
 * `client_metadata`), and refusing them would break the client. Fields wren has no use for are
 * accepted and ignored, and input items and tools of
 * types a local model cannot use (hosted tools, their calls, reasoning) are kept as
 * {@link IgnoredEntry} so the codec can skip them by name instead of refusing the request.
 */

/** Input item types and tool types wren reads; anything else becomes an {@link IgnoredEntry}. */
const READ_ITEM_TYPES = new Set(["message", "function_call", "function_call_output", "item_reference", "custom_tool_call", "custom_tool_call_output"]);
const READ_TOOL_TYPES = new Set(["function", "namespace"]);
const READ_NAMESPACED_TYPES = new Set(["function"]);

/** An input item or tool of a type wren does not use: its type is kept for the log. */
export interface IgnoredEntry {
  type: "ignored";
  ignoredType: string;
}
const ignoredSchema = z.object({ type: z.literal("ignored"), ignoredType: z.string() });

/** Marks entries whose `type` is not one wren reads, and gives a bare message its `type`. */
function classify(read: Set<string>, defaultType?: string) {
  return (value: unknown): unknown => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const entry = value as Record<string, unknown>;
    const type = entry["type"] ?? (defaultType !== undefined && "role" in entry ? defaultType : undefined);
    if (typeof type !== "string") return value;
    if (!read.has(type)) return { type: "ignored", ignoredType: type };
    // A message's text as a string is one text part, so errors inside parts name their path.
    if (type === "message" && typeof entry["content"] === "string") {
      const text = entry["content"];
      return { ...entry, type, content: [entry["role"] === "assistant" ? { type: "output_text", text, annotations: [] } : { type: "input_text", text }] };
    }
    return { ...entry, type };
  };
}

const cacheBreakpoint = z.unknown().optional();

const inputText = z.object({ type: z.literal("input_text"), text: z.string(), prompt_cache_breakpoint: cacheBreakpoint });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["low", "high", "auto", "original"]).nullish(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const inputFile = z.object({
  type: z.literal("input_file"),
  file_id: z.string().nullish(),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
const outputText = z.object({ type: z.literal("output_text"), text: z.string(), annotations: z.array(z.unknown()).nullish(), logprobs: z.array(z.unknown()).nullish() });
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });

const contentPart = z.discriminatedUnion("type", [inputText, inputImage, inputFile, outputText, refusal], {
  error: () => "expected a content part of type input_text, input_image, input_file, output_text or refusal",
});
export type ResponsesContentPart = z.infer<typeof contentPart>;

const message = z.object({
  type: z.literal("message"),
  id: z.string().nullish(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.array(contentPart),
  status: z.string().nullish(),
  phase: z.string().nullish(),
});

const functionCall = z.object({
  type: z.literal("function_call"),
  id: z.string().nullish(),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  namespace: z.string().nullish(),
  status: z.string().nullish(),
});

/** A tool's output: text, or parts (text kept; images and files described). */
const toolOutput = z.union([z.string(), z.array(contentPart)]);

const functionCallOutput = z.object({
  type: z.literal("function_call_output"),
  id: z.string().nullish(),
  call_id: z.string(),
  output: toolOutput,
  status: z.string().nullish(),
});

const customToolCall = z.object({ type: z.literal("custom_tool_call"), id: z.string().nullish(), call_id: z.string(), name: z.string(), input: z.string() });
const customToolCallOutput = z.object({ type: z.literal("custom_tool_call_output"), id: z.string().nullish(), call_id: z.string(), output: toolOutput });
const itemReference = z.object({ type: z.literal("item_reference"), id: z.string() });

export const responsesInputItemSchema = z.preprocess(
  classify(READ_ITEM_TYPES, "message"),
  z.discriminatedUnion("type", [message, functionCall, functionCallOutput, customToolCall, customToolCallOutput, itemReference, ignoredSchema], {
    error: () => "expected an input item: a message (role and content), function_call, function_call_output or item_reference",
  }),
);
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;

const functionTool = z.object({
  type: z.literal("function"),
  name: toolNameSchema,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
  defer_loading: z.boolean().nullish(),
  allowed_callers: z.array(z.string()).nullish(),
  output_schema: z.record(z.string(), z.unknown()).nullish(),
});
export type ResponsesFunctionTool = z.infer<typeof functionTool>;

/** A group of function tools under one name (Codex CLI sends its sub-agent tools so); calls name the namespace. */
const namespaceTool = z.object({
  type: z.literal("namespace"),
  name: z.string(),
  description: z.string().nullish(),
  tools: z.array(z.preprocess(classify(READ_NAMESPACED_TYPES), z.discriminatedUnion("type", [functionTool, ignoredSchema], { error: () => "expected a tool with a type" }))),
});

const tool = z.preprocess(classify(READ_TOOL_TYPES), z.discriminatedUnion("type", [functionTool, namespaceTool, ignoredSchema], { error: () => "expected a tool with a type" }));
export type ResponsesTool = z.infer<typeof tool>;

export const responsesToolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), name: z.string() }),
  z.object({ type: z.literal("allowed_tools"), mode: z.enum(["auto", "required"]), tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })) }),
  // Hosted tools (web_search_preview, file_search, mcp, custom...): named so the codec can refuse them clearly.
  z.looseObject({ type: z.string() }),
]);
export type ResponsesToolChoice = z.infer<typeof responsesToolChoiceSchema>;

const textFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    name: z.string(),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

const metadata = z.record(z.string(), z.string()).nullish();

export const responsesCreateRequestSchema = z.looseObject({
  model: z.string().min(1),
  // A string is one user message: read as such here, so errors inside items name their path.
  input: z.preprocess((v) => (typeof v === "string" ? [{ type: "message", role: "user", content: [{ type: "input_text", text: v }] }] : v), z.array(responsesInputItemSchema, { error: (issue) => (issue.code === "invalid_type" ? "expected a string or an array of input items" : undefined) }).optional()),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_obfuscation: z.boolean().nullish() }).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: responsesToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tool_calls: z.number().int().min(1).nullish(),
  text: z.object({ format: textFormat.nullish(), verbosity: z.enum(["low", "medium", "high"]).nullish() }).nullish(),
  max_output_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  previous_response_id: z.string().min(1).nullish(),
  store: z.boolean().nullish(),
  background: z.boolean().nullish(),
  conversation: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  prompt: z.looseObject({ id: z.string() }).nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish(), generate_summary: z.string().nullish() }).nullish(),
  include: z.array(z.string()).nullish(),
  metadata,
  truncation: z.enum(["auto", "disabled"]).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.string().nullish(),
  prompt_cache_options: z.looseObject({}).nullish(),
  context_management: z.array(z.looseObject({ type: z.string() })).nullish(),
  moderation: z.looseObject({}).nullish(),
  client_metadata: z.record(z.string(), z.string()).nullish(),
});
export type ResponsesCreateRequest = z.infer<typeof responsesCreateRequestSchema>;

/** Query of `GET /v1/responses/{id}/input_items`. */
export const responsesInputItemsQuerySchema = z.object({
  after: z.string().optional(),
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});
