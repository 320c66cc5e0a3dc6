import type { Dispatcher } from "undici";
import type Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsBase, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import type {
  CallOptions,
  ChatRequest,
  FinishReason,
  GenerateResult,
  InputUsage,
  LanguageModel,
  StreamPart,
  TextPart,
  ToolCallPart,
  Usage,
} from "../../protocol/index.js";
import { sdkLogger, type ProviderLog } from "../provider-log.js";
import { loadPool, sdkFetch } from "../sdk-fetch.js";
import { SILENCE_MS, silenceAgent } from "../silence-agent.js";
import { StreamState } from "../stream-state.js";
import { chatMessages } from "../request-messages.js";
import { malformedResponse } from "../upstream-error.js";
import { emptyUsage, upstreamStream, type ChunkTranslator } from "../upstream-stream.js";
import { convertToAnthropicMessages } from "./convert-messages.js";
import { fromAnthropicError } from "./map-error.js";
import { mapAnthropicStopReason } from "./map-finish-reason.js";
import { prepareAnthropicTools } from "./prepare-tools.js";

/** Where the Anthropic API answers when no base URL is given (the SDK's own default). */
const ANTHROPIC_DEFAULT_URL = "https://api.anthropic.com";

export interface AnthropicModelOptions {
  modelId: string;
  apiKey: string;
  /** Default `https://api.anthropic.com`. */
  baseURL?: string | undefined;
  /** Anthropic requires a limit; used when the request sets none. Default 4096. */
  defaultMaxTokens?: number;
  headers?: Record<string, string> | undefined;
  /** The most bytes one answer may take; past it the answer fails. Default 64 MiB. */
  maxAnswerBytes?: number | undefined;
  /** Where the SDK's warnings go (a model it knows as deprecated, say). Default: nowhere; never the console. */
  log?: ProviderLog | undefined;
}

/** Anthropic's Messages API through the official `@anthropic-ai/sdk`. */
export class AnthropicModel implements LanguageModel {
  readonly provider = "anthropic";
  readonly modelId: string;
  private readonly defaultMaxTokens: number;
  private sdkClient: Promise<Anthropic> | undefined;
  private agent: Promise<Dispatcher> | undefined;
  private readonly pool = (): Promise<Dispatcher> => (this.agent ??= silenceAgent(this.options.baseURL ?? ANTHROPIC_DEFAULT_URL));
  private prepared: Promise<void> | undefined;

  constructor(private readonly options: AnthropicModelOptions) {
    this.modelId = options.modelId;
    this.defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  }

  /** The SDK loads on the first call, not at start-up: a run pays only for the providers it calls. */
  private client(): Promise<Anthropic> {
    const { apiKey, baseURL, headers, maxAnswerBytes, log } = this.options;
    return (this.sdkClient ??= import("@anthropic-ai/sdk").then(
      ({ default: Anthropic }) =>
        new Anthropic({
          apiKey,
          maxRetries: 0, // the router owns retries
          // The router's timeouts are the limits; the SDK's own (10 minutes) would overrule longer ones.
          timeout: SILENCE_MS,
          fetch: sdkFetch({ provider: this.provider, maxAnswerBytes, dispatcher: this.pool }).fetch,
          ...(baseURL ? { baseURL } : {}),
          ...(headers ? { defaultHeaders: headers } : {}),
          // The SDK logs to the console by default, under the terminal UI; its warnings are wren's to log.
          ...(log ? { logger: sdkLogger(this.provider, log), logLevel: "warn" as const } : { logLevel: "off" as const }),
        }),
    ));
  }

  /** The SDK and the connection pool, loaded before the router's clock starts. */
  prepare(): Promise<void> {
    return (this.prepared ??= Promise.all([this.client(), loadPool(this.pool)]).then(() => undefined));
  }

  private body(request: ChatRequest): MessageCreateParamsBase {
    const messages = chatMessages(request);
    return {
      model: this.modelId,
      ...convertToAnthropicMessages(messages),
      max_tokens: request.maxOutputTokens ?? this.defaultMaxTokens,
      ...prepareAnthropicTools(request),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.topK === undefined ? {} : { top_k: request.topK }),
      ...(request.stopSequences?.length ? { stop_sequences: request.stopSequences } : {}),
      ...(request.providerOptions?.["anthropic"] ?? {}),
    };
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    let message: Anthropic.Message;
    try {
      const client = await this.client();
      const body = this.body(request);
      // Given no timeout, the SDK refuses unsent a non-streamed request whose max_tokens could take
      // over 10 minutes (more than 21,333); clients send 32,000 as a ceiling. The wait it would
      // expect instead: 10 minutes, or an hour per 128,000 tokens asked for, which the failsafe
      // covers. (The router's nonStreamedMs or totalMs is the limit users set.)
      const timeout = Math.max(SILENCE_MS, (3_600_000 * body.max_tokens) / 128_000);
      message = await client.messages.create({ ...body, stream: false }, options.signal ? { signal: options.signal, timeout } : { timeout });
    } catch (error) {
      throw fromAnthropicError(error);
    }
    // The SDK returns whatever JSON came: a body without content blocks and usage is no message.
    if (!Array.isArray(message.content) || typeof message.usage !== "object" || message.usage === null) {
      throw malformedResponse(this.provider, "the answer has no `content` blocks or `usage`.");
    }
    const content: Array<TextPart | ToolCallPart> = [];
    for (const block of message.content) {
      if (block.type === "text") content.push({ type: "text", text: block.text });
      else if (block.type === "tool_use") content.push({ type: "tool-call", toolCallId: block.id, toolName: block.name, input: block.input });
    }
    const input = inputUsageOf(message.usage);
    const output = message.usage.output_tokens;
    return {
      content,
      finishReason: mapAnthropicStopReason(message.stop_reason),
      usage: { ...input, outputTokens: output, totalTokens: input.inputTokens + output },
    };
  }

  doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    return upstreamStream({
      provider: this.provider,
      modelId: this.modelId,
      signal: options.signal,
      open: async () => (await this.client()).messages.create({ ...this.body(request), stream: true }, options.signal ? { signal: options.signal } : {}),
      translator: new AnthropicEventTranslator(),
      mapError: fromAnthropicError,
    });
  }
}

/** Anthropic's three input counts; a stream's `message_delta` has them too, cumulative, or null. */
interface AnthropicInputCounts {
  input_tokens: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * The prompt's tokens, and of those the ones read from and written to Anthropic's prompt cache:
 * Anthropic's `input_tokens` leaves out those read from or written to its cache, which a client
 * such as Claude Code, caching its long prompt, has nearly all of. Cache writes are computed like
 * any input (and priced above it), so only the reads count as cached; an answer without a count (an
 * Anthropic-compatible server's) claims none of that kind.
 */
function inputUsageOf(usage: AnthropicInputCounts): InputUsage {
  const read = usage.cache_read_input_tokens;
  const written = usage.cache_creation_input_tokens;
  return {
    inputTokens: (usage.input_tokens ?? 0) + (written ?? 0) + (read ?? 0),
    ...(typeof read === "number" ? { cachedInputTokens: read } : {}),
    ...(typeof written === "number" ? { cacheWriteInputTokens: written } : {}),
  };
}

/** `counts` with each count `later` states (a number) in place of the earlier one. */
function updatedCounts(counts: AnthropicInputCounts, later: Partial<AnthropicInputCounts>): AnthropicInputCounts {
  const pick = (now: number | null | undefined, before: number | null | undefined) => (typeof now === "number" ? now : before);
  return {
    input_tokens: pick(later.input_tokens, counts.input_tokens) ?? null,
    cache_creation_input_tokens: pick(later.cache_creation_input_tokens, counts.cache_creation_input_tokens),
    cache_read_input_tokens: pick(later.cache_read_input_tokens, counts.cache_read_input_tokens),
  };
}

class AnthropicEventTranslator implements ChunkTranslator<RawMessageStreamEvent> {
  /** Every Messages stream starts with `message_start`; the SDK skips events it does not know, so a stream without one is no answer. */
  private started = false;
  /** Whether the answer said it is complete: a `message_delta` with its stop reason, or `message_stop`. */
  private stopped = false;
  private readonly state = new StreamState();
  private readonly toolIds = new Map<number, string>();
  private finishReason: FinishReason = "other";
  private usage: Usage = emptyUsage();
  /** The input counts as the stream last stated them. */
  private input: AnthropicInputCounts = { input_tokens: null };

  *onChunk(event: RawMessageStreamEvent): Iterable<StreamPart> {
    switch (event.type) {
      case "message_start": {
        this.started = true;
        const u = event.message.usage;
        this.input = updatedCounts(this.input, u);
        const input = inputUsageOf(this.input);
        this.usage = { ...input, outputTokens: u.output_tokens, totalTokens: input.inputTokens + u.output_tokens };
        // The prompt's count is known before the first token: said now, as the finish will count it.
        yield { type: "input-usage", usage: input };
        break;
      }
      case "content_block_start":
        if (event.content_block.type === "tool_use") {
          this.toolIds.set(event.index, event.content_block.id);
          yield* this.state.toolStart(event.content_block.id, event.content_block.name);
        } else if (event.content_block.type === "text") {
          yield* this.state.text(event.content_block.text);
        }
        break;
      case "content_block_delta":
        if (event.delta.type === "text_delta") yield* this.state.text(event.delta.text);
        else if (event.delta.type === "input_json_delta") {
          const id = this.toolIds.get(event.index);
          if (id) yield* this.state.toolDelta(id, event.delta.partial_json);
        }
        break;
      case "content_block_stop": {
        const id = this.toolIds.get(event.index);
        if (id) yield* this.state.toolEnd(id);
        else yield* this.state.closeText();
        break;
      }
      case "message_stop":
        this.stopped = true;
        break;
      case "message_delta": {
        if (event.delta.stop_reason) this.stopped = true;
        this.finishReason = mapAnthropicStopReason(event.delta.stop_reason);
        // Its counts are cumulative: where it states input counts (null where it does not), they are the final ones.
        this.input = updatedCounts(this.input, event.usage);
        const input = inputUsageOf(this.input);
        this.usage = { ...input, outputTokens: event.usage.output_tokens, totalTokens: input.inputTokens + event.usage.output_tokens };
        break;
      }
      default:
        break;
    }
  }

  end(cancelled = false) {
    if (cancelled) return { parts: this.state.closeAll(), finishReason: this.finishReason, usage: this.usage };
    if (!this.started) throw malformedResponse("anthropic", "the event stream had no `message_start` event.");
    // A stream closed early (a proxy's timeout, a dropped upstream) ends cleanly too: without a stop
    // reason it is a cut answer, not a whole one.
    if (!this.stopped) throw malformedResponse("anthropic", "the event stream ended before the answer finished (no stop reason, no `message_stop`).");
    return { parts: this.state.closeAll(), finishReason: this.finishReason, usage: this.usage };
  }
}
