import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart, TokenCounter } from "../protocol/index.js";

/** What the router needs to know about the local model beyond answering. */
export interface LocalModelInfo {
  /** Context window in tokens. */
  contextLength: number;
  /** False while weights are still loading: the router escalates with reason `loading`. */
  isReady(): boolean;
}

/**
 * The engine's model under the registry name `local:<id>`. It answers as the engine does; only
 * the provider name and id change, so provenance reads `local` whichever engine class is behind it.
 */
export class LocalProviderModel implements LanguageModel, TokenCounter {
  readonly provider = "local";
  readonly modelId: string;

  constructor(
    private readonly inner: LanguageModel & Partial<TokenCounter>,
    modelId: string = inner.modelId,
  ) {
    this.modelId = modelId;
  }

  doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return this.inner.doGenerate(request, options);
  }

  async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    for await (const part of this.inner.doStream(request, options)) {
      yield part.type === "stream-start" ? { ...part, provider: this.provider, modelId: this.modelId } : part;
    }
  }

  /** Counts with the engine's tokenizer when it has one; otherwise about 4 characters per token. */
  async countTokens(request: ChatRequest): Promise<number> {
    if (this.inner.countTokens) return this.inner.countTokens(request);
    return estimateTokens(request);
  }
}

/** A rough token estimate (4 characters per token) for models without a tokenizer at hand. */
export function estimateTokens(request: ChatRequest): number {
  let chars = request.rawPrompt?.length ?? 0;
  for (const message of request.messages) {
    if (typeof message.content === "string") chars += message.content.length;
    else for (const part of message.content) chars += "text" in part ? part.text.length : "output" in part ? part.output.length : 16;
  }
  return Math.ceil(chars / 4);
}
