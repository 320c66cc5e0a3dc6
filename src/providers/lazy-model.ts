import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart } from "../protocol/index.js";

/**
 * A provider's model whose module is imported on its first call. The registry builds every target
 * a run might use (a route's fallbacks, `auto`'s teachers) before the first request, and a run
 * usually calls one: the others' code (their message conversion, stream translation) stays unloaded.
 */
export class LazyModel implements LanguageModel {
  #model: Promise<LanguageModel> | undefined;

  constructor(
    readonly provider: string,
    readonly modelId: string,
    private readonly load: () => Promise<LanguageModel>,
  ) {}

  #loaded(): Promise<LanguageModel> {
    return (this.#model ??= this.load());
  }

  async doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return (await this.#loaded()).doGenerate(request, options);
  }

  async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    yield* (await this.#loaded()).doStream(request, options);
  }
}
