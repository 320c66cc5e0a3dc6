import { z } from "zod";

/**
 * What an OpenAI-compatible server sends back, checked loosely: only the fields wren reads, each
 * allowed to be missing or null (servers differ), unknown fields kept.
 */
const usageSchema = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number().nullish(),
  /**
   * `cached_tokens`: the prompt's tokens read from the server's prompt cache, within
   * `prompt_tokens`; `cache_write_tokens` (OpenRouter's): those written to it, within
   * `prompt_tokens` too. Unreadable details are left out rather than failing an otherwise fine answer.
   */
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish().catch(undefined) }).nullish().catch(undefined),
  /** DeepSeek's prompt-cache hits, within `prompt_tokens`; an unreadable count is left out. */
  prompt_cache_hit_tokens: z.number().nullish().catch(undefined),
});

/** Who answered, as another wren server reports it (`wren_provenance`); other servers send none. */
const provenanceSchema = z.object({ provider: z.string(), model: z.string(), reason: z.string(), route: z.string().optional() });

/** An unreadable `wren_provenance` is left out rather than failing an answer that is otherwise fine. */
const optionalProvenance = provenanceSchema.optional().catch(undefined);

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

/** A whole answer: unlike a chunk, one without `choices` carries no answer at all, and is malformed. */
export const chatCompletionSchema = z.looseObject({
  choices: z.array(
    z.looseObject({
      message: z.looseObject({ content: z.string().nullish(), tool_calls: z.array(toolCallSchema).nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
  wren_provenance: optionalProvenance,
});

const toolCallDeltaSchema = z.looseObject({
  // Left out by some servers (Gemini's and older Ollama's OpenAI endpoints): each delta is then one call, or goes on with the last.
  index: z.number().nullish(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const chatChunkSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        delta: z.looseObject({ content: z.string().nullish(), tool_calls: z.array(toolCallDeltaSchema).nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema.nullish(),
  wren_provenance: optionalProvenance,
});

/** An error object inside a 200 stream or an error response body (`{"error": {"message": …}}`). */
export const errorBodySchema = z.looseObject({
  error: z.union([z.looseObject({ message: z.string().nullish(), type: z.string().nullish() }), z.string()]),
});

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
export type ChatChunk = z.infer<typeof chatChunkSchema>;
export type WireUsage = z.infer<typeof usageSchema>;
