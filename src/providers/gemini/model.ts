import type { Dispatcher } from "undici";
import type * as GenAI from "@google/genai";
import type { GenerateContentConfig, GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { answerChoices, answerJsonContent, withAnswerJson } from "../../protocol/index.js";
import type {
  CallOptions,
  ChatRequest,
  GenerateResult,
  LanguageModel,
  StreamPart,
  TextPart,
  ToolCallPart,
  Usage,
} from "../../protocol/index.js";
import { linkedAbortController } from "../../shared/abort.js";
import type { RequestSigner } from "../../shared/peer-signature.js";
import { StreamState } from "../stream-state.js";
import { loadPool, sdkFetch } from "../sdk-fetch.js";
import { silenceAgent } from "../silence-agent.js";
import { chatMessages } from "../request-messages.js";
import { malformedResponse } from "../upstream-error.js";
import { emptyUsage, upstreamStream, type ChunkTranslator } from "../upstream-stream.js";
import { convertToGeminiContents } from "./convert-messages.js";
import { eventStreamOnly } from "./event-stream-only.js";
import { fromGeminiError } from "./map-error.js";
import { mapGeminiFinishReason } from "./map-finish-reason.js";
import { prepareGeminiTools } from "./prepare-tools.js";

/** Where the Gemini API answers when no base URL is given (the SDK's own default). */
const GEMINI_DEFAULT_URL = "https://generativelanguage.googleapis.com";

export interface GeminiModelOptions {
  /** Registry name used in errors and provenance. Default `gemini`. */
  provider?: string | undefined;
  modelId: string;
  /**
   * Omit for a server that takes none (another wren): requests then carry no key, neither a
   * placeholder nor the `GEMINI_API_KEY` Google's SDK would take from the environment.
   */
  apiKey?: string | undefined;
  /** Default: Google's endpoint. */
  baseURL?: string | undefined;
  headers?: Record<string, string> | undefined;
  /**
   * Headers made per request from its method, path and body (a LAN peer's signature), added last.
   * The SDK's requests then carry no key header, as without `apiKey`.
   */
  sign?: RequestSigner | undefined;
  /** The most bytes one answer may take; past it the answer fails. Default 64 MiB. */
  maxAnswerBytes?: number | undefined;
}

/**
 * What Google's SDK is given when the server takes no key: it sends a key on every call and, given
 * none, takes one from the environment. {@link withoutKey} takes it off each request.
 */
const NO_KEY = "none";

/** A request's init without the key header: a keyless client is `anonymous` to the server it calls. */
function withoutKey(init: RequestInit | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  headers.delete("x-goog-api-key");
  return { ...init, headers };
}

/** The path and query a request goes to, as sent. */
function targetOf(input: string | URL | Request): string {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  return `${url.pathname}${url.search}`;
}

/**
 * A request's init signed by `sign`, without the key header: a signed request holds nothing else
 * that authenticates it. Google's SDK sends JSON bodies as strings.
 */
function signedInit(sign: RequestSigner, input: string | URL | Request, init: RequestInit | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  headers.delete("x-goog-api-key");
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== "string") throw new TypeError("A signed request's body must be a string.");
  for (const [name, value] of Object.entries(sign({ method: init?.method ?? "GET", path: targetOf(input), body: body ?? undefined }))) headers.set(name, value);
  return { ...init, headers };
}

/**
 * Gemini through the official `@google/genai` SDK (`generateContent` and
 * `streamGenerateContent?alt=sse`). A client per call lets a custom fetch keep the response's
 * `retry-after`, which the SDK's errors do not carry.
 */
export class GeminiModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;

  /** One connection pool for every call (a client is made per call). */
  private agent: Promise<Dispatcher> | undefined;
  private readonly pool = (): Promise<Dispatcher> => (this.agent ??= silenceAgent(this.options.baseURL ?? GEMINI_DEFAULT_URL));
  private sdk: Promise<typeof GenAI> | undefined;
  private prepared: Promise<void> | undefined;

  constructor(private readonly options: GeminiModelOptions) {
    this.provider = options.provider ?? "gemini";
    this.modelId = options.modelId;
  }

  /** The SDK loads on the first call, not at start-up: a run pays only for the providers it calls. */
  private loadSdk(): Promise<typeof GenAI> {
    return (this.sdk ??= import("@google/genai"));
  }

  /** The SDK and the connection pool, loaded before the router's clock starts. */
  prepare(): Promise<void> {
    return (this.prepared ??= Promise.all([this.loadSdk(), loadPool(this.pool)]).then(() => undefined));
  }

  private client(stream: boolean): { ai: () => Promise<GoogleGenAI>; retryAfter: () => string | null } {
    const sign = this.options.sign;
    const { fetch: send, retryAfter } = sdkFetch({
      provider: this.provider,
      dispatcher: this.pool,
      maxAnswerBytes: this.options.maxAnswerBytes,
      ...(stream ? { response: eventStreamOnly(this.provider) } : {}),
      ...(this.options.apiKey === undefined && !sign ? { init: withoutKey } : {}),
    });
    const fetch: typeof send = sign ? (input, init) => send(input, signedInit(sign, input, init)) : send;
    const ai = async (): Promise<GoogleGenAI> => {
      const { GoogleGenAI } = await this.loadSdk();
      return new GoogleGenAI({
        apiKey: this.options.apiKey ?? NO_KEY,
        httpOptions: {
          ...(this.options.baseURL ? { baseUrl: this.options.baseURL } : {}),
          ...(this.options.headers ? { headers: this.options.headers } : {}),
          retryOptions: { attempts: 1 }, // the router owns retries
          fetch,
        },
      });
    };
    return { ai, retryAfter };
  }

  private params(request: ChatRequest, signal: AbortSignal | undefined) {
    const messages = chatMessages(request);
    const { systemInstruction, contents } = convertToGeminiContents(messages);
    const format = request.responseFormat;
    const config: GenerateContentConfig = {
      ...(systemInstruction ? { systemInstruction } : {}),
      ...prepareGeminiTools(request),
      ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { topP: request.topP }),
      ...(request.topK === undefined ? {} : { topK: request.topK }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.stopSequences?.length ? { stopSequences: request.stopSequences } : {}),
      ...responseFormat(format),
      ...(signal ? { abortSignal: signal } : {}),
      ...(request.providerOptions?.["gemini"] ?? {}),
    };
    return { model: this.modelId, contents, config };
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const { ai, retryAfter } = this.client(false);
    // The SDK never takes back the listener it puts on the signal it is given: it gets one of this call's own.
    const own = options.signal ? linkedAbortController(options.signal) : undefined;
    let response: GenerateContentResponse;
    try {
      response = await (await ai()).models.generateContent(this.params(request, own?.signal));
    } catch (error) {
      throw fromGeminiError(error, retryAfter(), this.provider);
    } finally {
      own?.[Symbol.dispose]();
    }
    if (!isAnswer(response)) throw malformedResponse(this.provider, "the answer has no `candidates` (nor `promptFeedback`).");
    const candidate = response.candidates?.[0];
    const content: Array<TextPart | ToolCallPart> = [];
    let calls = 0;
    for (const part of candidate?.content?.parts ?? []) {
      if (part.text && !part.thought) content.push({ type: "text", text: part.text });
      if (part.functionCall) {
        content.push({
          type: "tool-call",
          toolCallId: part.functionCall.id ?? `call_${calls}`,
          toolName: part.functionCall.name ?? "",
          input: part.functionCall.args ?? {},
        });
        calls++;
      }
    }
    // A prompt blocked before any answer has no candidate, only its reason.
    const finishReason = response.promptFeedback?.blockReason && !candidate ? "content-filter" : mapGeminiFinishReason(candidate?.finishReason, calls > 0);
    const choices = answerChoices(request.responseFormat);
    return {
      content: choices && finishReason !== "content-filter" ? answerJsonContent(choices.key, content, finishReason === "stop") : content,
      finishReason,
      usage: mapUsage(response),
    };
  }

  doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const { ai, retryAfter } = this.client(true);
    const choices = answerChoices(request.responseFormat);
    const stream = upstreamStream({
      provider: this.provider,
      modelId: this.modelId,
      signal: options.signal,
      ownSignal: true,
      open: async (signal) => (await ai()).models.generateContentStream(this.params(request, signal)),
      translator: new GeminiChunkTranslator(this.provider),
      retryAfter,
      mapError: (error, after) => fromGeminiError(error, after, this.provider),
    });
    return choices ? withAnswerJson(stream, choices.key) : stream;
  }
}

/**
 * The response format in Gemini's terms. An answer that is one of an enum is asked for as Gemini's
 * `text/x.enum`, the value alone, so `maxOutputTokens` and the usage count its tokens and not those
 * of the JSON around it; that JSON is written around the value here.
 */
function responseFormat(format: ChatRequest["responseFormat"]): GenerateContentConfig {
  const choices = answerChoices(format);
  if (choices) return { responseMimeType: "text/x.enum", responseSchema: { type: "STRING" as GenAI.Type, enum: choices.values } };
  if (format?.type !== "json") return {};
  return { responseMimeType: "application/json", ...(format.schema ? { responseJsonSchema: format.schema } : {}) };
}

/** A response with candidates, or a prompt blocked (`promptFeedback`, no candidates): anything else is no Gemini answer. */
function isAnswer(response: GenerateContentResponse): boolean {
  return Array.isArray(response.candidates) || response.promptFeedback != null;
}

function mapUsage(response: GenerateContentResponse): Usage {
  const u = response.usageMetadata;
  if (!u) return emptyUsage();
  const input = u.promptTokenCount ?? 0;
  // A thinking model's thoughts are counted apart from the answer, and billed as output.
  const output = (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0);
  return { inputTokens: input, ...cachedOf(u), outputTokens: output, totalTokens: u.totalTokenCount ?? input + output };
}

/**
 * The prompt's tokens Gemini read from a context cache (`cachedContentTokenCount`, counted within
 * `promptTokenCount`); an answer without the count (one that used no cache, or another server's)
 * claims none.
 */
function cachedOf(u: { cachedContentTokenCount?: number | null }): Pick<Usage, "cachedInputTokens"> {
  return typeof u.cachedContentTokenCount === "number" ? { cachedInputTokens: u.cachedContentTokenCount } : {};
}

class GeminiChunkTranslator implements ChunkTranslator<GenerateContentResponse> {
  private readonly state = new StreamState();
  private reason: string | undefined;
  private usage: Usage = emptyUsage();
  private calls = 0;
  private answered = false;
  /** Whether a chunk came before this one. */
  private seen = false;
  /** A prompt blocked before any answer: its `promptFeedback` is the whole answer. */
  private blocked = false;

  constructor(private readonly provider: string) {}

  *onChunk(chunk: GenerateContentResponse): Iterable<StreamPart> {
    const first = !this.seen;
    this.seen = true;
    if (!this.answered) this.answered = isAnswer(chunk);
    if (chunk.promptFeedback?.blockReason) this.blocked = true;
    if (chunk.usageMetadata) this.usage = mapUsage(chunk);
    // Gemini states the prompt's count in every chunk's usage, the first one's included: said once,
    // before the first token, as the finish counts it. Said later, it would come after the text.
    const prompt = chunk.usageMetadata?.promptTokenCount;
    if (first && this.answered && typeof prompt === "number") yield { type: "input-usage", usage: { inputTokens: prompt, ...cachedOf(chunk.usageMetadata ?? {}) } };
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.text && !part.thought) yield* this.state.text(part.text);
      if (part.functionCall) {
        const id = part.functionCall.id ?? `call_${this.calls}`;
        this.calls++;
        yield* this.state.toolWhole(id, part.functionCall.name ?? "", JSON.stringify(part.functionCall.args ?? {}));
      }
    }
    if (candidate?.finishReason) this.reason = candidate.finishReason;
  }

  end(cancelled = false) {
    if (!this.answered && !cancelled) throw malformedResponse(this.provider, "no chunk of the stream had `candidates` (nor `promptFeedback`).");
    // Gemini's last chunk carries the finish reason: a stream closed before it is a cut answer.
    if (this.reason === undefined && !this.blocked && !cancelled) throw malformedResponse(this.provider, "the event stream ended before the answer finished (no `finishReason`).");
    return {
      parts: this.state.closeAll(),
      finishReason: this.blocked && this.reason === undefined ? "content-filter" : mapGeminiFinishReason(this.reason, this.calls > 0),
      usage: this.usage,
    };
  }
}
