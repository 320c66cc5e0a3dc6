import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart } from "../protocol/index.js";

/**
 * A provider's model whose module is imported on its first call. The registry builds every target
 * a run might use (a route's fallbacks, `auto`'s teachers) before the first request, and a run
 * usually calls one: the others' code (their message conversion, stream translation) stays unloaded.
 */
export class LazyModel implements LanguageModel {
  #model: Promise<LanguageModel> | undefined;
  #prepared: Promise<void> | undefined;

  constructor(
    readonly provider: string,
    readonly modelId: string,
    private readonly load: () => Promise<LanguageModel>,
  ) {}

  #loaded(): Promise<LanguageModel> {
    return (this.#model ??= this.load());
  }

  /** Loads the module, then what the model loads itself (its SDK); once. */
  prepare(): Promise<void> {
    return (this.#prepared ??= this.#loaded().then((model) => model.prepare?.()));
  }

  async doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return (await this.#loaded()).doGenerate(request, options);
  }

  async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    yield* (await this.#loaded()).doStream(request, options);
  }
}
