import { z } from "zod";
import { toolNameSchema } from "../tool-name.js";

/**
 * OpenAI Chat Completions request, as clients send it. Strict at the top level: like OpenAI, wren
 * rejects parameters it does not know instead of silently ignoring them.
 */
const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() }),
});
const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });
/** Audio and file parts: read only to be refused by name (see convertOpenAIMessages). */
const audioPart = z.object({ type: z.literal("input_audio"), input_audio: z.looseObject({}) });
const filePart = z.object({ type: z.literal("file"), file: z.looseObject({ filename: z.string().optional() }) });

const toolCall = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const textContent = z.union([z.string(), z.array(textPart)]);

export const openaiMessageSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal("developer"), content: textContent, name: z.string().optional() }),
  z.object({
    role: z.literal("user"),
    content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textPart, imagePart, audioPart, filePart]))]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal("assistant"),
    content: z.union([z.string(), z.array(z.union([textPart, refusalPart]))]).nullish(),
    name: z.string().optional(),
    refusal: z.string().nullish(),
    tool_calls: z.array(toolCall).optional(),
  }),
  z.object({ role: z.literal("tool"), content: textContent, tool_call_id: z.string() }),
]);
export type OpenAIMessage = z.infer<typeof openaiMessageSchema>;

const functionTool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: toolNameSchema,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

/** Function tools; custom (free-form input) tools are read only to be refused by name. */
export const openaiToolSchema = z.discriminatedUnion("type", [functionTool, z.looseObject({ type: z.literal("custom"), custom: z.looseObject({ name: z.string() }) })]);

/** A tool as `allowed_tools` lists it: `{type: "function", function: {name}}` (or a custom one). */
const allowedTool = z.looseObject({ type: z.string(), function: z.object({ name: z.string() }).optional() });

export const openaiToolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
  z.object({ type: z.literal("custom"), custom: z.object({ name: z.string() }) }),
  z.object({ type: z.literal("allowed_tools"), allowed_tools: z.object({ mode: z.enum(["auto", "required"]), tools: z.array(allowedTool) }) }),
]);

export const openaiResponseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const stop = z.union([z.string(), z.array(z.string()).max(16)]).nullish();

export const openaiChatRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(openaiMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).nullish(),
  stop,
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  tools: z.array(openaiToolSchema).nullish(),
  tool_choice: openaiToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: openaiResponseFormatSchema.nullish(),
  user: z.string().nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  service_tier: z.string().nullish(),
  reasoning_effort: z.string().nullish(),
  // Hints about caching, abuse tracking and style that leave the answer's meaning as it is: accepted.
  safety_identifier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.string().nullish(),
  prompt_cache_options: z.looseObject({}).nullish(),
  verbosity: z.enum(["low", "medium", "high"]).nullish(),
  prediction: z.object({ type: z.literal("content"), content: textContent }).nullish(),
  // vLLM's extensions: continue the final assistant message instead of starting a new turn (see openaiChatToRequest).
  continue_final_message: z.boolean().nullish(),
  add_generation_prompt: z.boolean().nullish(),
  // Features wren has no part for: read only to be refused by name (see openaiChatToRequest).
  modalities: z.array(z.string()).nullish(),
  audio: z.unknown().optional(),
  web_search_options: z.unknown().optional(),
  moderation: z.unknown().optional(),
  functions: z.unknown().optional(),
  function_call: z.unknown().optional(),
});
export type OpenAIChatRequest = z.infer<typeof openaiChatRequestSchema>;

/** `GET /v1/chat/completions` and `GET /v1/chat/completions/{id}/messages` paging; `metadata[KEY]` filters are read apart. */
export const openaiStoredListQuerySchema = z.looseObject({
  after: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  model: z.string().optional(),
});
export type OpenAIStoredListQuery = z.infer<typeof openaiStoredListQuerySchema>;

/** `POST /v1/chat/completions/{id}`: only the metadata of a stored completion can change. */
export const openaiStoredUpdateSchema = z.strictObject({ metadata: z.record(z.string(), z.string()).nullable() });

/** Legacy text completion request. */
export const openaiCompletionRequestSchema = z.strictObject({
  model: z.string().min(1),
  // Several prompts and token ids are read only to be refused by name (see openaiCompletionToRequest).
  prompt: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()), z.array(z.array(z.number()))]),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).nullish(),
  stop,
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  echo: z.boolean().nullish(),
  suffix: z.string().nullish(),
  logprobs: z.number().int().nullish(),
  best_of: z.number().int().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  user: z.string().nullish(),
});
export type OpenAICompletionRequest = z.infer<typeof openaiCompletionRequestSchema>;

export const openaiEmbeddingRequestSchema = z.strictObject({
  model: z.string().min(1),
  // Token ids are read only to be refused by name (see the embeddings route).
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()).min(1), z.array(z.array(z.number())).min(1)]),
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().nullish(),
});
export type OpenAIEmbeddingRequest = z.infer<typeof openaiEmbeddingRequestSchema>;
