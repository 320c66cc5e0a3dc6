import type { TextPart, ToolCallPart } from "./messages.js";
import type { CallOptions, ChatRequest } from "./request.js";
import type { FinishReason, Provenance, StreamPart, Timings, Usage } from "./stream.js";

export interface GenerateResult {
  content: Array<TextPart | ToolCallPart>;
  finishReason: FinishReason;
  usage: Usage;
  /** The stop sequence that ended generation, when one did. */
  stopSequence?: string;
  provenance?: Provenance;
  timings?: Timings;
}

/** A model that answers canonical requests: local engine, cloud provider or the router itself. */
export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult>;
  doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart>;
  /**
   * Loads what a call needs on this machine (a provider's SDK, its connection pool), which the
   * first call would otherwise load itself. The router awaits it before it starts a call's
   * timeouts: they bound the upstream's silence, not wren loading its own code. Resolves at once
   * once loaded.
   */
  prepare?(): Promise<void>;
}

export interface EmbedResult {
  embeddings: number[][];
  usage: { inputTokens: number };
}

/** Options of {@link EmbeddingModel.doEmbed}. */
export interface EmbedOptions extends CallOptions {
  /**
   * Cut an input longer than the model's embedding context to its first tokens, instead of refusing
   * it (Ollama's `/api/embed` does so unless asked not to). Default false.
   */
  truncate?: boolean;
}

export interface EmbeddingModel {
  readonly provider: string;
  readonly modelId: string;
  doEmbed(values: string[], options?: EmbedOptions): Promise<EmbedResult>;
}

/** Models that can count the tokens of a request as they would see it. */
export interface TokenCounter {
  countTokens(request: ChatRequest): Promise<number>;
}
