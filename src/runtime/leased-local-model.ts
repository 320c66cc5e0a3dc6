import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart, TokenCounter } from "../protocol/index.js";
import { estimateTokens } from "../providers/local.js";
import type { ModelHost } from "../server/model-host.js";

/**
 * A model served by the local host, as a LanguageModel the router can hold: every call takes a
 * lease from the host (loading the model if it was unloaded) and gives it back when the call ends,
 * so lazy loading, idle unload and the least-recently-used eviction keep working behind the router.
 */
export class LeasedLocalModel implements LanguageModel, TokenCounter {
  readonly provider = "local";

  constructor(
    private readonly host: ModelHost,
    readonly modelId: string,
  ) {}

  async doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    const lease = await this.host.acquire(this.modelId, options?.signal);
    try {
      return await lease.model.language.doGenerate(request, options);
    } finally {
      lease.release();
    }
  }

  async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    const lease = await this.host.acquire(this.modelId, options?.signal);
    try {
      yield* lease.model.language.doStream(request, options);
    } finally {
      lease.release();
    }
  }

  /** Counts with the loaded model's tokenizer; the estimate when it has none. */
  async countTokens(request: ChatRequest): Promise<number> {
    const lease = await this.host.acquire(this.modelId);
    try {
      return lease.model.tokens ? await lease.model.tokens.countTokens(request) : estimateTokens(request);
    } finally {
      lease.release();
    }
  }
}
