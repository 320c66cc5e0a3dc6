import { z } from "zod";
import { toolNameSchema } from "../tool-name.js";

/**
 * Ollama API requests. Ollama ignores fields it does not know (Go's JSON decoding), so these
 * schemas do too, but the fields they name are type-checked.
 */
export const ollamaOptionsSchema = z.looseObject({
  num_ctx: z.number().int().min(16).optional(),
  num_predict: z.number().int().optional(),
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  min_p: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  repeat_penalty: z.number().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
});
export type OllamaOptions = z.infer<typeof ollamaOptionsSchema>;

const format = z.union([z.literal("json"), z.literal(""), z.record(z.string(), z.unknown())]).optional();
const keepAlive = z.union([z.string(), z.number()]).optional();

export const ollamaToolCallSchema = z.object({
  function: z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()), index: z.number().optional() }),
  id: z.string().optional(),
});

export const ollamaMessageSchema = z.looseObject({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string().default(""),
  images: z.array(z.string()).nullish(),
  tool_calls: z.array(ollamaToolCallSchema).nullish(),
  tool_name: z.string().optional(),
  thinking: z.string().optional(),
});
export type OllamaMessage = z.infer<typeof ollamaMessageSchema>;

export const ollamaToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({ name: toolNameSchema, description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});

export const ollamaChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(ollamaMessageSchema).default([]),
  tools: z.array(ollamaToolSchema).nullish(),
  format,
  options: ollamaOptionsSchema.nullish(),
  stream: z.boolean().optional(),
  keep_alive: keepAlive,
  think: z.union([z.boolean(), z.string()]).optional(),
  logprobs: z.boolean().optional(),
  top_logprobs: z.number().int().optional(),
});
export type OllamaChatRequest = z.infer<typeof ollamaChatRequestSchema>;

export const ollamaGenerateRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.string().optional(),
  suffix: z.string().optional(),
  system: z.string().optional(),
  template: z.string().optional(),
  raw: z.boolean().optional(),
  images: z.array(z.string()).optional(),
  format,
  options: ollamaOptionsSchema.nullish(),
  stream: z.boolean().optional(),
  keep_alive: keepAlive,
  context: z.array(z.number()).optional(),
  think: z.union([z.boolean(), z.string()]).optional(),
  logprobs: z.boolean().optional(),
  top_logprobs: z.number().int().optional(),
});
export type OllamaGenerateRequest = z.infer<typeof ollamaGenerateRequestSchema>;

export const ollamaEmbedRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string())]),
  truncate: z.boolean().optional(),
  options: ollamaOptionsSchema.nullish(),
  keep_alive: keepAlive,
  dimensions: z.number().int().min(1).optional(),
});

/** The older single-text embeddings endpoint. */
export const ollamaEmbeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.string(),
  options: ollamaOptionsSchema.nullish(),
  keep_alive: keepAlive,
});

export const ollamaShowRequestSchema = z.looseObject({
  model: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  verbose: z.boolean().optional(),
});
