import type { Dispatcher } from "undici";
import type * as OllamaSdk from "ollama";
import type { ChatRequest as OllamaChatRequest, ChatResponse, GenerateRequest, GenerateResponse, Ollama } from "ollama";
import {
  answerChoices,
  type CallOptions,
  type ChatRequest,
  type GenerateResult,
  type LanguageModel,
  type StreamPart,
  type TextPart,
  type ToolCallPart,
  type Usage,
} from "../../protocol/index.js";
import { linkedAbortController } from "../../shared/abort.js";
import { StreamState } from "../stream-state.js";
import { loadPool, sdkFetch } from "../sdk-fetch.js";
import { silenceAgent } from "../silence-agent.js";
import { chatMessages } from "../request-messages.js";
import { fromSdkError, malformedResponse } from "../upstream-error.js";
import { emptyUsage, upstreamStream, type ChunkTranslator } from "../upstream-stream.js";
import { convertToOllamaMessages } from "./convert-messages.js";
import { enumAnswerResult, enumAnswerStream, enumFormat, OPENING_QUOTE_TOKENS } from "./enum-answer.js";
import { mapOllamaDoneReason } from "./map-finish-reason.js";
import { prepareOllamaTools } from "./prepare-tools.js";
import { strictNdjson } from "./strict-ndjson.js";

/** Where Ollama answers when no base URL is given (the SDK's own default). */
const OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434";

export interface OllamaModelOptions {
  modelId: string;
  /** Default `http://127.0.0.1:11434`. */
  baseURL?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** The most bytes one answer may take; past it the answer fails. Default 64 MiB. */
  maxAnswerBytes?: number | undefined;
}

/**
 * An Ollama server's native `/api/chat` through the official `ollama` client. A client per call
 * carries the call's AbortSignal and keeps the `retry-after` of a failed response.
 */
export class OllamaModel implements LanguageModel {
  readonly provider = "ollama";
  readonly modelId: string;

  /** One connection pool for every call (a client is made per call). */
  private agent: Promise<Dispatcher> | undefined;
  private readonly pool = (): Promise<Dispatcher> => (this.agent ??= silenceAgent(this.options.baseURL ?? OLLAMA_DEFAULT_URL));
  private sdk: Promise<typeof OllamaSdk> | undefined;
  private prepared: Promise<void> | undefined;

  constructor(private readonly options: OllamaModelOptions) {
    this.modelId = options.modelId;
  }

  /** The client loads on the first call, not at start-up: a run pays only for the providers it calls. */
  private loadSdk(): Promise<typeof OllamaSdk> {
    return (this.sdk ??= import("ollama"));
  }

  /** The client and the connection pool, loaded before the router's clock starts. */
  prepare(): Promise<void> {
    return (this.prepared ??= Promise.all([this.loadSdk(), loadPool(this.pool)]).then(() => undefined));
  }

  private client(signal: AbortSignal | undefined, stream: boolean): { ollama: () => Promise<Ollama>; retryAfter: () => string | null } {
    const { fetch, retryAfter } = sdkFetch({
      provider: this.provider,
      dispatcher: this.pool,
      maxAnswerBytes: this.options.maxAnswerBytes,
      init: (init) => ({ ...init, ...(signal ? { signal } : {}) }),
      ...(stream ? { response: strictNdjson } : {}),
    });
    const ollama = async (): Promise<Ollama> => {
      const { Ollama } = await this.loadSdk();
      return new Ollama({
        host: this.options.baseURL ?? OLLAMA_DEFAULT_URL,
        ...(this.options.headers ? { headers: this.options.headers } : {}),
        fetch,
      });
    };
    return { ollama, retryAfter };
  }

  private sampling(request: ChatRequest): NonNullable<OllamaChatRequest["options"]> {
    // The value's opening quote (see enumFormat) must not take a token the client gave the value.
    const quote = answerChoices(request.responseFormat) ? OPENING_QUOTE_TOKENS : 0;
    return {
      ...(request.maxOutputTokens === undefined ? {} : { num_predict: request.maxOutputTokens + quote }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.topK === undefined ? {} : { top_k: request.topK }),
      ...(request.minP === undefined ? {} : { min_p: request.minP }),
      ...(request.repeatPenalty === undefined ? {} : { repeat_penalty: request.repeatPenalty }),
      ...(request.presencePenalty === undefined ? {} : { presence_penalty: request.presencePenalty }),
      ...(request.frequencyPenalty === undefined ? {} : { frequency_penalty: request.frequencyPenalty }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.stopSequences?.length ? { stop: request.stopSequences } : {}),
      ...(request.contextLength === undefined ? {} : { num_ctx: request.contextLength }),
    };
  }

  /** A raw prompt is continued as it is (`/api/generate` with `raw`), not sent as a chat turn. */
  private generateBody(request: ChatRequest & { rawPrompt: string }): GenerateRequest {
    const options = this.sampling(request);
    const format = request.responseFormat;
    return {
      model: this.modelId,
      prompt: request.rawPrompt,
      raw: true,
      ...(Object.keys(options).length ? { options } : {}),
      ...(format?.type === "json" ? { format: ollamaFormat(format) } : {}),
    };
  }

  private body(request: ChatRequest): OllamaChatRequest {
    const messages = chatMessages(request);
    const format = request.responseFormat;
    const options = this.sampling(request);
    return {
      model: this.modelId,
      messages: convertToOllamaMessages(messages),
      ...prepareOllamaTools(request),
      ...(Object.keys(options).length ? { options } : {}),
      ...(format?.type === "json" ? { format: ollamaFormat(format) } : {}),
      ...(request.providerOptions?.["ollama"] ?? {}),
    };
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    // A signal of the call's own (see doStream), let go when the call ends.
    const own = options.signal ? linkedAbortController(options.signal) : undefined;
    try {
      const result = await this.generate(request, own?.signal);
      const choices = answerChoices(request.responseFormat);
      return choices ? enumAnswerResult(result, choices.key) : result;
    } finally {
      own?.[Symbol.dispose]();
    }
  }

  private async generate(request: ChatRequest, signal: AbortSignal | undefined): Promise<GenerateResult> {
    const { ollama, retryAfter } = this.client(signal, false);
    if (request.rawPrompt !== undefined) {
      let generated: GenerateResponse;
      try {
        generated = await (await ollama()).generate({ ...this.generateBody({ ...request, rawPrompt: request.rawPrompt }), stream: false });
      } catch (error) {
        throw fromSdkError(this.provider, error, retryAfter());
      }
      if (typeof generated.response !== "string") throw malformedResponse(this.provider, "the answer has no `response`.");
      return {
        content: generated.response ? [{ type: "text", text: generated.response }] : [],
        finishReason: mapOllamaDoneReason(generated.done_reason, false),
        usage: mapUsage(generated),
      };
    }
    let response: ChatResponse;
    try {
      response = await (await ollama()).chat({ ...this.body(request), stream: false });
    } catch (error) {
      throw fromSdkError(this.provider, error, retryAfter());
    }
    // The client returns whatever JSON came: without a `message` it is no chat answer.
    if (typeof response.message !== "object" || response.message === null) throw malformedResponse(this.provider, "the answer has no `message`.");
    const content: Array<TextPart | ToolCallPart> = [];
    if (response.message.content) content.push({ type: "text", text: response.message.content });
    for (const [i, call] of (response.message.tool_calls ?? []).entries()) {
      content.push({ type: "tool-call", toolCallId: `call_${i}`, toolName: call.function.name, input: call.function.arguments });
    }
    const calls = response.message.tool_calls?.length ?? 0;
    return { content, finishReason: mapOllamaDoneReason(response.done_reason, calls > 0), usage: mapUsage(response) };
  }

  doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const choices = answerChoices(request.responseFormat);
    const stream = this.stream(request, options);
    return choices ? enumAnswerStream(stream, choices.key) : stream;
  }

  private stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamPart> {
    // Node's fetch takes back the listener it puts on a signal only once collected: the client
    // gets a signal of the call's own (`ownSignal`), let go when the stream ends.
    let retryAfter: () => string | null = () => null;
    const client = async (signal: AbortSignal | undefined): Promise<Ollama> => {
      const made = this.client(signal, true);
      retryAfter = made.retryAfter;
      return made.ollama();
    };
    const raw = request.rawPrompt;
    if (raw !== undefined) {
      return upstreamStream({
        provider: this.provider,
        modelId: this.modelId,
        signal: options.signal,
        ownSignal: true,
        open: async (signal) => (await client(signal)).generate({ ...this.generateBody({ ...request, rawPrompt: raw }), stream: true }),
        translator: new OllamaGenerateTranslator(),
        retryAfter: () => retryAfter(),
      });
    }
    return upstreamStream({
      provider: this.provider,
      modelId: this.modelId,
      signal: options.signal,
      ownSignal: true,
      open: async (signal) => (await client(signal)).chat({ ...this.body(request), stream: true }),
      translator: new OllamaChunkTranslator(),
      retryAfter: () => retryAfter(),
    });
  }
}

/** The `format` of a JSON response format: an enum answer's own schema, else the schema, else any JSON. */
function ollamaFormat(format: Extract<ChatRequest["responseFormat"], { type: "json" }>): string | object {
  const choices = answerChoices(format);
  return choices ? enumFormat(choices) : (format.schema ?? "json");
}

function mapUsage(response: ChatResponse | GenerateResponse): Usage {
  const input = response.prompt_eval_count ?? 0;
  const output = response.eval_count ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

class OllamaChunkTranslator implements ChunkTranslator<ChatResponse> {
  private readonly state = new StreamState();
  private reason: string | undefined;
  private usage: Usage = emptyUsage();
  private calls = 0;

  *onChunk(chunk: ChatResponse): Iterable<StreamPart> {
    if (chunk.message?.content) yield* this.state.text(chunk.message.content);
    for (const call of chunk.message?.tool_calls ?? []) {
      yield* this.state.toolWhole(`call_${this.calls++}`, call.function.name, JSON.stringify(call.function.arguments ?? {}));
    }
    if (chunk.done) {
      this.reason = chunk.done_reason;
      this.usage = mapUsage(chunk);
    }
  }

  end() {
    return { parts: this.state.closeAll(), finishReason: mapOllamaDoneReason(this.reason, this.calls > 0), usage: this.usage };
  }
}

class OllamaGenerateTranslator implements ChunkTranslator<GenerateResponse> {
  private readonly state = new StreamState();
  private reason: string | undefined;
  private usage: Usage = emptyUsage();

  *onChunk(chunk: GenerateResponse): Iterable<StreamPart> {
    if (chunk.response) yield* this.state.text(chunk.response);
    if (chunk.done) {
      this.reason = chunk.done_reason;
      this.usage = mapUsage(chunk);
    }
  }

  end() {
    return { parts: this.state.closeAll(), finishReason: mapOllamaDoneReason(this.reason, false), usage: this.usage };
  }
}
