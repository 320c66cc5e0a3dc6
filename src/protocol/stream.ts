import type { SerializedError } from "../shared/errors.js";
import type { TextPart, ToolCallPart } from "./messages.js";

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "abort" | "error" | "other";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** True when the input did not fit the context and was cut. Never silent. */
  inputTruncated?: boolean;
  /**
   * Input tokens whose evaluation was reused from an earlier request instead of computed again
   * (a prompt cache hit), when the model reports it. Included in `inputTokens`.
   */
  cachedInputTokens?: number;
  /** Of `cachedInputTokens`, those restored from a saved prompt state rather than a live sequence. */
  restoredInputTokens?: number;
  /**
   * Input tokens written to the provider's prompt cache for later requests (Anthropic's
   * `cache_creation_input_tokens`), when the model reports them: computed like any input, and
   * priced above it. Included in `inputTokens`, never in `cachedInputTokens`.
   */
  cacheWriteInputTokens?: number;
}

/** A prompt's counts, known before its answer: the `input-usage` stream part's. */
export type InputUsage = Pick<Usage, "inputTokens" | "cachedInputTokens" | "cacheWriteInputTokens">;

/** Who answered, and why that one. */
export interface Provenance {
  provider: string;
  model: string;
  /** Why the router picked it: `direct`, `local`, `fallback`, `context`, ... */
  reason: string;
  route?: string;
  /** The LoRA adapter applied to a local model (`NAME:SCALE`), when one was. */
  adapter?: string;
  /** The server of a pool that answered (its API root), when the target is a pool. */
  replica?: string;
  /** The LAN peer that answered (its advertised name), when the target is a `peer:` one. */
  peer?: string;
}

export interface Timings {
  /** Milliseconds from the call to the first generated token. */
  timeToFirstTokenMs?: number;
  /** Milliseconds from the call to the finish. */
  totalMs: number;
  /** Milliseconds the request waited in line for a local model's sequence (local models only). */
  queuedMs?: number;
}

/**
 * One part of a streamed response. Blocks (text, tool input) open with `*-start`, carry deltas with
 * the same `id`, and close with `*-end`. The stream ends with exactly one `finish` or `error`.
 */
export type StreamPart =
  /** First part of every stream. `provenance` is set when the answering model is known up front (the router sets it). */
  | { type: "stream-start"; provider: string; modelId: string; provenance?: Provenance }
  /**
   * The prompt as the model took it, known before its first token (a local model's, once it has a
   * sequence; a teacher's whose upstream says it at the start, as Anthropic's `message_start` does):
   * its tokens and, of those, the ones reused from a cache and the ones written to one, as the
   * finish's usage counts them. A stream may have none; it is no token (a router does not commit to
   * a target on it).
   */
  | { type: "input-usage"; usage: InputUsage }
  | { type: "text-start"; id: string }
  | { type: "text-delta"; id: string; delta: string }
  | { type: "text-end"; id: string }
  | { type: "tool-input-start"; id: string; toolName: string }
  | { type: "tool-input-delta"; id: string; delta: string }
  | { type: "tool-input-end"; id: string }
  /** A complete tool call; `input` is the JSON text of its arguments. `toolCallId` equals the tool-input block id. */
  | { type: "tool-call"; toolCallId: string; toolName: string; input: string }
  | {
      type: "finish";
      finishReason: FinishReason;
      usage: Usage;
      /** The stop sequence that ended generation, when one did (finish reason `stop`). */
      stopSequence?: string;
      provenance?: Provenance;
      timings?: Timings;
      /**
       * The whole answer, on the finish of one that arrived whole (a non-streamed call read as
       * parts): no text or tool parts came before it, and a reader folding parts takes this instead.
       * Carried as one object from the upstream's answer to the client's, rather than cut into parts
       * that are joined again.
       */
      content?: Array<TextPart | ToolCallPart>;
    }
  | {
      type: "error";
      error: SerializedError;
      /**
       * What is known of who would have answered: the target that refused or failed last, the
       * route, and the reason (`consent` for a refusal). Set by the router; servers send it as headers.
       */
      provenance?: Provenance;
    };
