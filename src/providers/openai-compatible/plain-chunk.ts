import type { ChatChunk, ChatCompletion } from "../../wire/openai/chat-response.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNullishOr(value: unknown, type: "string" | "number"): boolean {
  return value === undefined || value === null || typeof value === type;
}

/** `prompt_tokens_details` the schema keeps unchanged: absent, null, or a record whose cache counts are numbers if any. */
function isPlainDetails(details: unknown): boolean {
  return details === undefined || details === null || (isRecord(details) && isNullishOr(details["cached_tokens"], "number") && isNullishOr(details["cache_write_tokens"], "number"));
}

/** A `usage` the schema accepts unchanged: absent, null, or its token counts as numbers. */
function isPlainUsage(usage: unknown): boolean {
  if (usage === undefined || usage === null) return true;
  return (
    isRecord(usage) &&
    typeof usage["prompt_tokens"] === "number" &&
    typeof usage["completion_tokens"] === "number" &&
    isNullishOr(usage["total_tokens"], "number") &&
    isNullishOr(usage["prompt_cache_hit_tokens"], "number") &&
    isPlainDetails(usage["prompt_tokens_details"])
  );
}

/**
 * Every choice a record whose `field` (`delta` or `message`) holds at most text, with a string
 * finish reason if any. A chunk may come without choices (a usage chunk); a whole answer may not.
 */
function hasPlainChoices(value: Record<string, unknown>, field: "delta" | "message"): boolean {
  const choices = value["choices"];
  if (choices === undefined || choices === null) return field === "delta";
  if (!Array.isArray(choices)) return false;
  for (const choice of choices as unknown[]) {
    if (!isRecord(choice) || !isNullishOr(choice["finish_reason"], "string")) return false;
    const content = choice[field];
    if (content === undefined || content === null) continue;
    if (!isRecord(content) || !isNullishOr(content["content"], "string") || content["tool_calls"] != null) return false;
  }
  return true;
}

/**
 * Whether a streamed chunk has the everyday shape (text deltas, a finish reason, token usage; no
 * tool calls or `wren_provenance`) that `chatChunkSchema` would accept unchanged. A full zod parse
 * of every chunk is a measurable share of a streamed request's CPU; anything else, including
 * anything the schema would reject, returns false and goes through the schema, so what is accepted
 * and every error message stay the schema's.
 */
export function isPlainChunk(value: unknown): value is ChatChunk {
  return isRecord(value) && value["wren_provenance"] === undefined && isPlainUsage(value["usage"]) && hasPlainChoices(value, "delta");
}

/**
 * {@link isPlainChunk} for a non-streamed answer (`chatCompletionSchema`): text messages, finish
 * reasons and token usage are accepted as they are; tool calls, `wren_provenance` and anything
 * unusual go through the schema.
 */
export function isPlainCompletion(value: unknown): value is ChatCompletion {
  return isRecord(value) && value["wren_provenance"] === undefined && isPlainUsage(value["usage"]) && hasPlainChoices(value, "message");
}
