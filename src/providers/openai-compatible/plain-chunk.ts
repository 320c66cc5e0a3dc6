import type { ChatChunk } from "../../wire/openai/chat-response.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNullishOr(value: unknown, type: "string"): boolean {
  return value === undefined || value === null || typeof value === type;
}

/**
 * Whether a streamed chunk has the everyday shape (text deltas, a finish reason, no usage, tool calls
 * or `wren_provenance`) that `chatChunkSchema` would accept unchanged. A full zod parse of every
 * chunk is a measurable share of a streamed request's CPU; anything else, including anything the
 * schema would reject, returns false and goes through the schema, so what is accepted and every
 * error message stay the schema's.
 */
export function isPlainChunk(value: unknown): value is ChatChunk {
  if (!isRecord(value) || value["usage"] != null || value["wren_provenance"] !== undefined) return false;
  const choices = value["choices"];
  if (choices === undefined || choices === null) return true;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices as unknown[]) {
    if (!isRecord(choice) || !isNullishOr(choice["finish_reason"], "string")) return false;
    const delta = choice["delta"];
    if (delta === undefined || delta === null) continue;
    if (!isRecord(delta) || !isNullishOr(delta["content"], "string") || delta["tool_calls"] != null) return false;
  }
  return true;
}
