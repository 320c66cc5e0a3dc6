import type { ChatCompletionCreateParamsBase } from "openai/resources/chat/completions";
import {
  answerChoices,
  type CallOptions,
  type ChatRequest,
  type FinishReason,
  type GenerateResult,
  type LanguageModel,
  type Provenance,
  type StreamPart,
  type TextPart,
  type ToolCallPart,
  type Usage,
} from "../../protocol/index.js";
import type { RequestSigner } from "../../shared/peer-signature.js";
import { StreamState } from "../stream-state.js";
import { malformedResponse } from "../upstream-error.js";
import { emptyUsage, upstreamStream, type ChunkTranslator } from "../upstream-stream.js";
import { OpenAIChatClient } from "./client.js";
import { convertToOpenAIMessages } from "./convert-messages.js";
import { enumAnswerResult, enumAnswerStream, enumMaxTokens } from "./enum-answer.js";
import { mapOpenAIFinishReason } from "./map-finish-reason.js";
import { isPlainChunk, isPlainCompletion } from "./plain-chunk.js";
import { prepareOpenAITools } from "./prepare-tools.js";
import { chatChunkSchema, chatCompletionSchema, type ChatChunk, type WireUsage } from "../../wire/openai/chat-response.js";

export interface OpenAICompatibleModelOptions {
  /** Registry name used in ids and provenance, e.g. `openai`, `groq`, `vllm`. */
  provider: string;
  modelId: string;
  /** API root including the version segment, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  /** Omit for servers that need none. */
  apiKey?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** Headers made per request from what it sends (a LAN peer's signature; see {@link OpenAIChatClient}). */
  sign?: RequestSigner | undefined;
  /** The most bytes one answer may take (see {@link OpenAIChatClient}); default 64 MiB. */
  maxAnswerBytes?: number | undefined;
  /**
   * The server reads vLLM's `continue_final_message` (vLLM, another wren): a request that continues
   * its final assistant message (an Anthropic prefill) sends it, with `add_generation_prompt: false`,
   * so the answer is only the text after that message. Default false: OpenAI's API has no such
   * field and refuses unknown ones, and starts a new turn after a final assistant message.
   */
  continuesFinalMessage?: boolean | undefined;
}

/** vLLM's extension fields for continuing the final assistant message. */
interface ContinueFinalMessage {
  continue_final_message?: true;
  add_generation_prompt?: false;
}

/**
 * Whether `messages` end in an assistant message that can be continued: text only, as a local
 * model continues it (after tool calls a model answers in a new turn).
 */
function continuable(messages: ChatRequest["messages"]): boolean {
  const last = messages.at(-1);
  return last?.role === "assistant" && last.content.every((p) => p.type === "text");
}

/** Any server that speaks OpenAI's chat completions API (see {@link OpenAIChatClient}). */
export class OpenAICompatibleModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  private readonly client: OpenAIChatClient;
  private readonly continuesFinalMessage: boolean;

  constructor(options: OpenAICompatibleModelOptions) {
    this.provider = options.provider;
    this.modelId = options.modelId;
    this.client = new OpenAIChatClient(options);
    this.continuesFinalMessage = options.continuesFinalMessage ?? false;
  }

  private body(request: ChatRequest): ChatCompletionCreateParamsBase & ContinueFinalMessage {
    if (request.rawPrompt !== undefined) {
      request = { ...request, messages: [{ role: "user", content: [{ type: "text", text: request.rawPrompt }] }] };
    }
    const format = request.responseFormat;
    const choices = answerChoices(format);
    const continued = this.continuesFinalMessage && request.continueFinalMessage === true && continuable(request.messages);
    return {
      model: this.modelId,
      messages: convertToOpenAIMessages(request.messages),
      ...(continued ? { continue_final_message: true, add_generation_prompt: false } : {}),
      ...prepareOpenAITools(request),
      ...(request.maxOutputTokens === undefined ? {} : { max_tokens: choices ? enumMaxTokens(choices, request.maxOutputTokens) : request.maxOutputTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.presencePenalty === undefined ? {} : { presence_penalty: request.presencePenalty }),
      ...(request.frequencyPenalty === undefined ? {} : { frequency_penalty: request.frequencyPenalty }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.stopSequences?.length ? { stop: request.stopSequences } : {}),
      ...(format?.type === "json"
        ? {
            response_format: format.schema
              ? {
                  type: "json_schema",
                  json_schema: {
                    name: format.name ?? "response",
                    schema: format.schema,
                    ...(format.description ? { description: format.description } : {}),
                    ...(format.strict !== undefined ? { strict: format.strict } : {}),
                  },
                }
              : { type: "json_object" },
          }
        : {}),
      ...(request.providerOptions?.[this.provider] ?? {}),
    };
  }

  /** undici, loaded before the router's clock starts. */
  prepare(): Promise<void> {
    return this.client.prepare();
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const completion = await this.client.create(Object.assign(this.body(request), { stream: false }), chatCompletionSchema, options.signal, isPlainCompletion);
    const choice = completion.choices?.[0];
    if (!choice) throw malformedResponse(this.provider, "the answer has no choice (`choices` is empty).");
    const content: Array<TextPart | ToolCallPart> = [];
    if (choice?.message?.content) content.push({ type: "text", text: choice.message.content });
    for (const call of choice?.message?.tool_calls ?? []) {
      if (call.type && call.type !== "function") continue;
      content.push({ type: "tool-call", toolCallId: call.id, toolName: call.function.name, input: parseArgs(call.function.arguments ?? "") });
    }
    const result: GenerateResult = {
      content,
      finishReason: mapOpenAIFinishReason(choice?.finish_reason),
      usage: mapUsage(completion.usage),
    };
    const choices = answerChoices(request.responseFormat);
    return choices ? enumAnswerResult(result, choices, request.maxOutputTokens) : result;
  }

  doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const choices = answerChoices(request.responseFormat);
    const stream = upstreamStream({
      provider: this.provider,
      modelId: this.modelId,
      signal: options.signal,
      open: () => this.client.stream(Object.assign(this.body(request), { stream: true, stream_options: { include_usage: true } }), chatChunkSchema, options.signal, isPlainChunk, hasFinishReason),
      translator: new OpenAIChunkTranslator(this.provider),
    });
    return choices ? enumAnswerStream(stream, choices, request.maxOutputTokens) : stream;
  }
}

/** Whether a chunk completes the answer: one of its choices has a finish reason. */
function hasFinishReason(chunk: ChatChunk): boolean {
  return chunk.choices?.[0]?.finish_reason != null;
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text || "{}") as unknown;
  } catch {
    return text;
  }
}

/**
 * The upstream's usage. Its prompt-cache reads (`prompt_tokens_details.cached_tokens`, OpenAI's and
 * OpenRouter's, else DeepSeek's `prompt_cache_hit_tokens`) and writes (OpenRouter's
 * `prompt_tokens_details.cache_write_tokens`), all within `prompt_tokens`, are cached and
 * cache-write input tokens where it states them, 0 included; a server that sends no count (many
 * OpenAI-compatible servers) claims none.
 */
function mapUsage(usage: WireUsage | null | undefined): Usage {
  if (!usage) return emptyUsage();
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens;
  const written = usage.prompt_tokens_details?.cache_write_tokens;
  return {
    inputTokens: usage.prompt_tokens,
    ...(typeof cached === "number" ? { cachedInputTokens: cached } : {}),
    ...(typeof written === "number" ? { cacheWriteInputTokens: written } : {}),
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
  };
}

class OpenAIChunkTranslator implements ChunkTranslator<ChatChunk> {
  /** Whether any chunk had a choice: a stream of chunks without one (usage alone, `choices: []`) is no answer. */
  private sawChoices = false;
  private provenance: Provenance | undefined;
  private readonly state = new StreamState();
  /** The calls in the order they started. */
  private readonly calls: ToolCallAssembly[] = [];
  /** Each call by its delta `index`: OpenAI's stream tells calls apart by it, ids may repeat. */
  private readonly byIndex = new Map<number, ToolCallAssembly>();
  /** The latest call with each id, for servers that send no index. */
  private readonly byId = new Map<string, ToolCallAssembly>();
  /** The call the last tool-call delta was about: an index-less delta without an id goes on with it. */
  private lastCall: ToolCallAssembly | undefined;
  private finishReason: FinishReason = "other";
  private usage: Usage = emptyUsage();

  constructor(private readonly providerName: string) {}

  *onChunk(chunk: ChatChunk): Iterable<StreamPart> {
    if (chunk.usage) this.usage = mapUsage(chunk.usage);
    if (chunk.wren_provenance) this.provenance = chunk.wren_provenance;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    this.sawChoices = true;
    const delta = choice.delta;
    if (delta?.content) yield* this.state.text(delta.content);
    if (delta?.tool_calls) for (const call of delta.tool_calls) yield* this.toolDelta(call);
    if (choice.finish_reason) this.finishReason = mapOpenAIFinishReason(choice.finish_reason);
  }

  /**
   * One tool-call delta. Calls are told apart by their `index`; the id comes only in a call's first
   * delta and may repeat (Ollama's OpenAI API, llama-server), so a call keeps the id it was sent,
   * and the agent makes ids unique. Without an index, a delta goes on with the latest call with its
   * id (else the last call), unless it names a tool again: then it starts a new call. A call's
   * blocks start once its name is known (some servers send the id first and the name in a later
   * delta); arguments that come before it are held until then.
   */
  private *toolDelta(call: ToolCallDelta): Iterable<StreamPart> {
    const name = call.function?.name;
    const args = call.function?.arguments ?? "";
    let assembly: ToolCallAssembly | undefined;
    if (call.index != null) assembly = this.byIndex.get(call.index);
    else {
      assembly = call.id ? this.byId.get(call.id) : this.lastCall;
      if (assembly?.started && name) assembly = undefined;
    }
    if (!assembly) {
      const number = this.calls.length;
      assembly = { id: call.id ?? `call_${call.index ?? number}`, key: `call:${number}`, started: false, held: "" };
      this.calls.push(assembly);
      if (call.index != null) this.byIndex.set(call.index, assembly);
      this.byId.set(assembly.id, assembly);
    }
    this.lastCall = assembly;
    if (!assembly.started) {
      if (!name) {
        assembly.held += args;
        return;
      }
      assembly.started = true;
      yield* this.state.toolStart(assembly.id, name, assembly.key);
      if (assembly.held) yield* this.state.toolDelta(assembly.key, assembly.held);
      assembly.held = "";
    }
    if (args) yield* this.state.toolDelta(assembly.key, args);
  }

  end(cancelled = false) {
    if (!this.sawChoices && !cancelled) throw malformedResponse(this.providerName, "no chunk of the stream had a choice (`choices` missing or empty).");
    return { parts: this.closeAll(), finishReason: this.finishReason, usage: this.usage, provenance: this.provenance };
  }

  /** Closes what is open, a call whose name never came included (as a call without a name, as before). */
  private *closeAll(): Iterable<StreamPart> {
    for (const assembly of this.calls) {
      if (assembly.started) continue;
      yield* this.state.toolStart(assembly.id, "", assembly.key);
      if (assembly.held) yield* this.state.toolDelta(assembly.key, assembly.held);
    }
    yield* this.state.closeAll();
  }
}

type ToolCallDelta = NonNullable<NonNullable<NonNullable<ChatChunk["choices"]>[number]["delta"]>["tool_calls"]>[number];

interface ToolCallAssembly {
  /** The id the server sent (`call_<index>` where it sent none). */
  id: string;
  /** Tells this call's blocks apart in the {@link StreamState} from a call with the same id. */
  key: string;
  /** Its `tool-input-start` went out (its name came). */
  started: boolean;
  /** Arguments that came before its name. */
  held: string;
}
