import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart, TokenCounter } from "../protocol/index.js";
import type { OpenedLocalModel } from "./local.js";

/**
 * A local model opened on first use: the router holds it as its `local` target, and a request
 * sent straight to a teacher never pays for loading it. `dispose()` frees the engine if it opened.
 */
export class LazyLocalModel implements LanguageModel, TokenCounter, AsyncDisposable {
  readonly provider = "local";
  #opened: Promise<OpenedLocalModel> | undefined;
  #contextSize: number | undefined;

  constructor(
    readonly modelId: string,
    private readonly open: () => Promise<OpenedLocalModel>,
  ) {}

  /** True once a call has asked for the model. */
  get opened(): boolean {
    return this.#opened !== undefined;
  }

  /** Tokens per sequence of the loaded model; `undefined` until it loaded. */
  get contextSize(): number | undefined {
    return this.#contextSize;
  }

  #model(): Promise<OpenedLocalModel> {
    return (this.#opened ??= this.open().then((opened) => {
      this.#contextSize = opened.model.info.contextSize;
      return opened;
    }));
  }

  /** Opens the model now (if no call has yet) and says its context in tokens. */
  async load(): Promise<number> {
    return (await this.#model()).model.info.contextSize;
  }

  async doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return (await this.#model()).model.doGenerate(request, options);
  }

  async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    yield* (await this.#model()).model.doStream(request, options);
  }

  async countTokens(request: ChatRequest): Promise<number> {
    return (await this.#model()).model.countTokens(request);
  }

  async dispose(): Promise<void> {
    const opened = await this.#opened?.catch(() => undefined);
    await opened?.[Symbol.asyncDispose]();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
