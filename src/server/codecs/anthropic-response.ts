import type { FinishReason, GenerateResult, InputUsage, StreamPart, Usage } from "../../protocol/index.js";
import { toolInputObject } from "../../protocol/tool-input.js";
import type { AnthropicMessageResponse, AnthropicStopReason, AnthropicUsage } from "../../wire/anthropic/index.js";
import { errorPartBody } from "../error-body.js";
import { provenanceField, type ProvenanceField } from "../provenance.js";
import { BlockSequencer } from "./block-sequencer.js";

export function anthropicStopReason(reason: FinishReason, stopSequence?: string): AnthropicStopReason {
  if (reason === "stop" && stopSequence !== undefined) return "stop_sequence";
  switch (reason) {
    case "length":
      return "max_tokens";
    case "tool-calls":
      return "tool_use";
    case "content-filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/**
 * Anthropic counts cache reads and writes apart: `input_tokens` is what was neither read from nor
 * written to the cache, and the prompt's size is the sum of the three input counts.
 */
function inputCounts(usage: InputUsage): { input_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number } {
  const read = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteInputTokens ?? 0;
  return { input_tokens: usage.inputTokens - read - written, cache_creation_input_tokens: written, cache_read_input_tokens: read };
}

export function anthropicUsage(usage: Usage): AnthropicUsage {
  const { input_tokens, ...cache } = inputCounts(usage);
  return {
    input_tokens,
    output_tokens: usage.outputTokens,
    ...cache,
    ...(usage.inputTruncated ? { wren_input_truncated: true } : {}),
  };
}

export function anthropicMessage(result: GenerateResult, id: string, model: string): AnthropicMessageResponse & ProvenanceField {
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content: result.content.map((p) => (p.type === "text" ? { type: "text" as const, text: p.text } : { type: "tool_use" as const, id: p.toolCallId, name: p.toolName, input: toolInputObject(p.input) })),
    stop_reason: anthropicStopReason(result.finishReason, result.stopSequence),
    stop_sequence: result.stopSequence ?? null,
    usage: anthropicUsage(result.usage),
    ...provenanceField(result.provenance),
  };
}

/** One server-sent event of the Messages stream. */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * Turns stream parts into Anthropic's event sequence: message_start, then for each block
 * content_block_start / content_block_delta… / content_block_stop with increasing indexes, then
 * message_delta (stop reason, usage) and message_stop.
 *
 * message_start goes out with the first part after the stream's start: its usage is the model's
 * `input-usage` when that came first (a local model's prompt, with its cache reads apart, known
 * once it has a sequence and before its first token; an Anthropic teacher's, with its cache writes
 * apart too, from its upstream's
 * message_start; a Gemini teacher's, from its upstream's first chunk), else 0; message_delta has the final counts.
 */
export class AnthropicEventer {
  #started = false;
  #next = 0;
  /** Canonical block id → Anthropic index, for open blocks. */
  readonly #open = new Map<string, number>();

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  #start(input?: Extract<StreamPart, { type: "input-usage" }>): AnthropicEvent[] {
    if (this.#started) return [];
    this.#started = true;
    const { input_tokens, ...cache } = inputCounts(input?.usage ?? { inputTokens: 0 });
    const usage = { input_tokens, output_tokens: 0, ...cache };
    return [
      {
        event: "message_start",
        data: { type: "message_start", message: { id: this.id, type: "message", role: "assistant", model: this.model, content: [], stop_reason: null, stop_sequence: null, usage } },
      },
    ];
  }

  #openBlock(key: string, block: Record<string, unknown>): AnthropicEvent {
    const index = this.#next++;
    this.#open.set(key, index);
    return { event: "content_block_start", data: { type: "content_block_start", index, content_block: block } };
  }

  #closeBlock(key: string): AnthropicEvent[] {
    const index = this.#open.get(key);
    if (index === undefined) return [];
    this.#open.delete(key);
    return [{ event: "content_block_stop", data: { type: "content_block_stop", index } }];
  }

  /** The events one part becomes; blocks come one after another, never overlapping (see {@link BlockSequencer}). */
  push(part: StreamPart): AnthropicEvent[] {
    return this.#sequencer.push(part).flatMap((p) => this.#handle(p));
  }

  readonly #sequencer = new BlockSequencer();

  #handle(part: StreamPart): AnthropicEvent[] {
    if (part.type === "stream-start") return [];
    const out = part.type === "error" ? [] : this.#start(part.type === "input-usage" ? part : undefined);
    switch (part.type) {
      case "text-start":
        out.push(this.#openBlock(`t:${part.id}`, { type: "text", text: "" }));
        break;
      case "text-delta": {
        if (!part.delta) break;
        if (!this.#open.has(`t:${part.id}`)) out.push(this.#openBlock(`t:${part.id}`, { type: "text", text: "" }));
        const index = this.#open.get(`t:${part.id}`);
        out.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text: part.delta } } });
        break;
      }
      case "text-end":
        out.push(...this.#closeBlock(`t:${part.id}`));
        break;
      case "tool-input-start":
        out.push(this.#openBlock(`u:${part.id}`, { type: "tool_use", id: part.id, name: part.toolName, input: {} }));
        break;
      case "tool-input-delta": {
        const index = this.#open.get(`u:${part.id}`);
        if (index !== undefined && part.delta) {
          out.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: part.delta } } });
        }
        break;
      }
      case "tool-input-end":
        out.push(...this.#closeBlock(`u:${part.id}`));
        break;
      case "tool-call": {
        const key = `u:${part.toolCallId}`;
        if (this.#open.has(key)) {
          out.push(...this.#closeBlock(key));
          break;
        }
        if (this.#seenTool.has(part.toolCallId)) break;
        out.push(this.#openBlock(key, { type: "tool_use", id: part.toolCallId, name: part.toolName, input: {} }));
        const index = this.#open.get(key);
        out.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: part.input } } });
        out.push(...this.#closeBlock(key));
        break;
      }
      case "finish":
        for (const key of [...this.#open.keys()]) out.push(...this.#closeBlock(key));
        out.push({
          event: "message_delta",
          data: {
            type: "message_delta",
            delta: { stop_reason: anthropicStopReason(part.finishReason, part.stopSequence), stop_sequence: part.stopSequence ?? null },
            usage: {
              input_tokens: inputCounts(part.usage).input_tokens,
              output_tokens: part.usage.outputTokens,
              ...(part.usage.cacheWriteInputTokens === undefined ? {} : { cache_creation_input_tokens: part.usage.cacheWriteInputTokens }),
              ...(part.usage.cachedInputTokens === undefined ? {} : { cache_read_input_tokens: part.usage.cachedInputTokens }),
              ...(part.usage.inputTruncated ? { wren_input_truncated: true } : {}),
            },
            ...provenanceField(part.provenance),
          },
        });
        out.push({ event: "message_stop", data: { type: "message_stop", ...provenanceField(part.provenance) } });
        break;
      case "error":
        out.push({ event: "error", data: errorPartBody(part.error, "anthropic") });
        break;
      default:
        break;
    }
    if (part.type === "tool-input-start") this.#seenTool.add(part.id);
    return out;
  }

  readonly #seenTool = new Set<string>();
}
