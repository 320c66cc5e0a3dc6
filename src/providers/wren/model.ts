import { answerChoices, type CallOptions, type ChatRequest, type GenerateResult, type LanguageModel, type StreamPart } from "../../protocol/index.js";
import type { RequestSigner } from "../../shared/peer-signature.js";
import { LazyModel } from "../lazy-model.js";
import { OpenAICompatibleModel } from "../openai-compatible/model.js";

export interface WrenModelOptions {
  /** Name in errors and provenance, as the user wrote it: `wren`, `peer:<name>`. */
  provider: string;
  modelId: string;
  /** The other server's OpenAI API root, `http://host:11435/v1`; its Gemini API is at the same root without `/v1`. */
  baseURL: string;
  /** Omit for a server that takes none. */
  apiKey?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** Signs each request (a LAN peer: shared/peer-signature.ts), on both APIs. */
  sign?: RequestSigner | undefined;
}

/**
 * A model served by another wren (the `wren` preset, a LAN peer): its OpenAI API, except an answer
 * that is one of a string enum (a format with `answerKey`), which goes to its Gemini API as
 * `text/x.enum`. A wren server holds its model to the bare value there, so the client's max tokens
 * and the usage are the value's; its OpenAI API takes only the object around it, which its grammar
 * lets the model write with whitespace (`{\n\t"answer":`), spending the client's tokens before the value.
 */
export class WrenModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  private readonly chat: OpenAICompatibleModel;
  /** Google's SDK loads on the first enum answer. */
  private readonly enumAnswers: LanguageModel;

  constructor(options: WrenModelOptions) {
    const { provider, modelId, baseURL, apiKey, headers, sign } = options;
    this.provider = provider;
    this.modelId = modelId;
    // A wren server continues a final assistant message on its OpenAI API when asked as vLLM is.
    this.chat = new OpenAICompatibleModel({ provider, modelId, baseURL, apiKey, headers, sign, continuesFinalMessage: true });
    const gemini = { provider, modelId, baseURL: baseURL.replace(/\/v1\/?$/, ""), apiKey, headers, sign };
    this.enumAnswers = new LazyModel(provider, modelId, async () => new (await import("../gemini/model.js")).GeminiModel(gemini));
  }

  private api(request: ChatRequest): LanguageModel {
    return answerChoices(request.responseFormat) ? this.enumAnswers : this.chat;
  }

  prepare(): Promise<void> {
    return this.chat.prepare();
  }

  doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return this.api(request).doGenerate(request, options);
  }

  doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    return this.api(request).doStream(request, options);
  }
}
