import {
  resolveChatWrapper,
  type ChatWrapper,
  type Token,
  type LlamaEmbeddingContext,
  type LlamaModel,
} from "node-llama-cpp";
import { answerChoices, withAnswerJson } from "../protocol/answer-json.js";
import { collectStream } from "../protocol/collect.js";
import type { EmbedOptions, EmbedResult, EmbeddingModel, GenerateResult, LanguageModel, TokenCounter } from "../protocol/model.js";
import type { CallOptions, ChatRequest } from "../protocol/request.js";
import type { StreamPart } from "../protocol/stream.js";
import { linkedAbortController } from "../shared/abort.js";
import { AsyncQueue } from "../shared/async-queue.js";
import { isAbortError, serializeError, WrenError } from "../shared/errors.js";
import type { GgufSummary } from "../models/gguf-info.js";
import { completionTokens, generateChat, generateCompletion, planChat, promptTokens, type ChatPlan, type GenerationOutcome } from "./generate.js";
import type { ContextChoice } from "./context-size.js";
import type { GrammarCache } from "./grammars.js";
import { contextOverflow, embeddingOverflow, messageTexts, PromptBounds, toolChars } from "./prompt-bound.js";
import { checkRequestShape } from "./request-check.js";
import type { PromptReuseStats, SequenceLease, SequencePool } from "./sequence-pool.js";
import { Admission } from "./admission.js";
import type { AdapterPools, AdapterSpec } from "./adapter-pools.js";
import type { Speculation, SpeculativeStats } from "./speculative.js";
import { answerTokens, scoreTokens, type AnswerScore } from "./score.js";
import type { Message } from "../protocol/messages.js";

/** What a loaded model is: shown by `wren run --json`, the server's model list and `ps`. */
export interface LocalModelInfo {
  id: string;
  path: string;
  architecture: string;
  /** Context size of the default context, per sequence. */
  contextSize: number;
  /** How `contextSize` was chosen: asked for, the default, or the largest that fits (`auto`), and why. */
  context: ContextChoice;
  trainContextSize: number;
  sequences: number;
  /** Layers offloaded to the GPU, of `totalLayers`. */
  gpuLayers: number;
  totalLayers: number;
  /** Name of the chat format in use, from the model's own template when it has one. */
  chatFormat: string;
  hasChatTemplate: boolean;
  sizeBytes: number;
  threads: number;
}

export interface LocalModelStats {
  /** Requests admitted now (holding a sequence or about to take one, with or without an adapter; or embedding). */
  active: number;
  /** Requests waiting in line for a sequence (with or without an adapter) or for the embedding context. */
  queued: number;
  /** Parallel sequences of the default context. */
  capacity: number;
  /** Contexts held for LoRA adapters (one per adapter and scale in use or used within the idle time). */
  adapterContexts: number;
}

export interface LocalModelDeps {
  id: string;
  model: LlamaModel;
  summary: GgufSummary;
  pool: SequencePool;
  grammars: GrammarCache;
  threads: number;
  sequences: number;
  /** How the default context's size was chosen. */
  context: ContextChoice;
  /** Called once when the model is disposed (the engine forgets it). */
  onDispose?: () => void;
  /** Requests that may wait for the embedding context (as for sequences); past it, `overloaded`. Default: unbounded. */
  maxQueued?: number;
  /** Pools for requests that run with a LoRA adapter; absent: `withAdapter` refuses. */
  adapters?: AdapterPools;
  /** The sequences' token predictors (speculative decoding); disposed with the model. Absent: none. */
  speculation?: Speculation;
}

/** Completion prompts up to this many characters are counted by tokenizing them whole (as prompt-bound.ts's slices). */
const EXACT_COUNT_CHARS = 8192;

/** Tokens of the embedding context (or the model's own context, when smaller). */
const EMBEDDING_CONTEXT = 2048;

/** A GGUF model loaded in this process, speaking the canonical contract. */
export class LocalModel implements LanguageModel, EmbeddingModel, TokenCounter, AsyncDisposable {
  readonly provider = "local";
  readonly modelId: string;
  readonly info: LocalModelInfo;
  readonly #model: LlamaModel;
  readonly #pool: SequencePool;
  readonly #grammars: GrammarCache;
  readonly #chatWrapper: ChatWrapper;
  readonly #threads: number;
  readonly #onDispose: (() => void) | undefined;
  readonly #bounds: PromptBounds;
  readonly #adapters: AdapterPools | undefined;
  readonly #speculation: Speculation | undefined;
  #embedding: Promise<LlamaEmbeddingContext> | undefined;
  /** The one embedding context serves one request at a time: its own line, bounded like the pool's. */
  readonly #embedAdmission: Admission;
  #disposed = false;

  constructor(deps: LocalModelDeps) {
    this.modelId = deps.id;
    this.#model = deps.model;
    this.#pool = deps.pool;
    this.#grammars = deps.grammars;
    this.#threads = deps.threads;
    this.#onDispose = deps.onDispose;
    this.#adapters = deps.adapters;
    this.#speculation = deps.speculation;
    this.#embedAdmission = new Admission({ capacity: 1, maxQueued: deps.maxQueued ?? Number.POSITIVE_INFINITY, modelId: deps.id });
    // Resolved once per model: the model's own template when it has one, else a known format.
    this.#chatWrapper = resolveChatWrapper(deps.model);
    this.#bounds = new PromptBounds(deps.model);
    this.info = {
      id: deps.id,
      path: deps.summary.path,
      architecture: deps.summary.architecture,
      contextSize: deps.pool.defaultContextSize,
      context: deps.context,
      trainContextSize: deps.model.trainContextSize,
      sequences: deps.sequences,
      gpuLayers: deps.model.gpuLayers,
      totalLayers: deps.summary.blockCount + 1,
      chatFormat: this.#chatWrapper.wrapperName,
      hasChatTemplate: deps.summary.chatTemplate !== undefined,
      sizeBytes: deps.summary.fileSize,
      threads: deps.threads,
    };
  }

  stats(): LocalModelStats {
    const own = this.#pool.stats();
    const adapters = this.#adapters?.stats();
    const embedding = this.#embedAdmission.stats();
    return {
      active: own.active + (adapters?.active ?? 0) + embedding.active,
      queued: own.queued + (adapters?.queued ?? 0) + embedding.queued,
      capacity: own.capacity,
      adapterContexts: this.#adapters?.size ?? 0,
    };
  }

  /**
   * Holds one place in the model's admission without generating, as a request holds it from its
   * arrival until it takes a sequence: while held, one sequence fewer serves requests (e.g. to keep
   * a model's requests queued while it is inspected). Waits in line like any request.
   */
  async reserve(signal?: AbortSignal): Promise<{ release(): void }> {
    const ticket = await this.#pool.admit(signal);
    return { release: () => ticket.release() };
  }

  /** Prompt reuse since the model was loaded: hits, misses, cached and restored tokens. */
  promptStats(): PromptReuseStats {
    return this.#pool.promptStats();
  }

  /** Speculative decoding since the model was loaded: what predicts, and its accepted and rejected tokens. */
  speculativeStats(): SpeculativeStats {
    return this.#speculation?.stats() ?? { predictor: "off", acceptedTokens: 0, rejectedTokens: 0 };
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    return collectStream(this.doStream(request, options));
  }

  /**
   * Streams the answer. The stream always ends with one `finish` (reason `abort` when the signal
   * fired) or one `error`. Stopping the iteration early cancels generation and frees the sequence.
   */
  async *doStream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<StreamPart> {
    yield* this.#streamOn(request, options, this.#pool);
  }

  /**
   * This model with a LoRA adapter applied (checked against this model by the caller: a mismatched
   * adapter aborts llama.cpp). Its requests decode in a context of their own per adapter and scale.
   */
  withAdapter(adapter: AdapterSpec): LanguageModel {
    const pools = this.#adapters;
    if (!pools) throw new WrenError("unsupported", `Model '${this.modelId}' cannot take adapters.`, { hint: "Load it through the engine." });
    const stream = async function* (this: LocalModel, request: ChatRequest, options: CallOptions): AsyncGenerator<StreamPart> {
      const held = await pools.hold(adapter, options.signal);
      try {
        yield* this.#streamOn(request, options, held.pool);
      } finally {
        held.release();
      }
    }.bind(this);
    return {
      provider: this.provider,
      modelId: `${this.modelId}+${adapter.name}`,
      doStream: (request, options = {}) => stream(request, options),
      doGenerate: (request, options = {}) => collectStream(stream(request, options)),
    };
  }

  /**
   * How well this model (with `adapter` applied, when given) predicts each conversation's last
   * message, the reference answer: its tokens' summed negative log-probability, one conversation
   * after another on one sequence of the default context (or the adapter's).
   */
  async scoreAnswers(conversations: ReadonlyArray<readonly Message[]>, options: { adapter?: AdapterSpec; signal?: AbortSignal } = {}): Promise<AnswerScore[]> {
    const held = options.adapter ? await this.#adapterPools().hold(options.adapter, options.signal) : undefined;
    try {
      const lease = await (held?.pool ?? this.#pool).acquire(undefined, options.signal);
      try {
        const scores: AnswerScore[] = [];
        for (const messages of conversations) scores.push(await scoreTokens(lease.sequence, answerTokens(this.#model, this.#chatWrapper, messages), options.signal));
        return scores;
      } finally {
        lease.release();
      }
    } finally {
      held?.release();
    }
  }

  #adapterPools(): AdapterPools {
    if (!this.#adapters) throw new WrenError("unsupported", `Model '${this.modelId}' cannot take adapters.`, { hint: "Load it through the engine." });
    return this.#adapters;
  }

  async *#streamOn(request: ChatRequest, options: CallOptions, pool: SequencePool): AsyncGenerator<StreamPart> {
    const started = performance.now();
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId };
    using controller = linkedAbortController(options.signal);
    const parts = new AsyncQueue<StreamPart>();

    const run = async (): Promise<void> => {
      let outcome: GenerationOutcome;
      const wanted = this.#contextSizeFor(request);
      // The request's place first, in order of arrival (429 at once when the line is full); the
      // prompt is bounded and tokenized while it holds that place, before it takes a sequence.
      const ticket = await pool.admit(controller.signal);
      let lease: SequenceLease;
      let tokens: readonly Token[];
      let prepared: { request: ChatRequest; plan?: ChatPlan };
      try {
        // Bounded before a sequence is taken: a prompt that cannot fit never holds one.
        prepared = await this.#prepare(request, wanted ?? pool.defaultContextSize, controller.signal);
        // Tokenized before a sequence is taken: the pool picks the one holding most of this prompt.
        const whole = promptTokens(this.#model, prepared.plan ?? prepared.request.rawPrompt ?? "");
        // A completion prompt too long for the context is evaluated as its latest tokens (see
        // completionTokens): those are what a sequence's cached prefix is compared with.
        tokens = prepared.plan ? whole : completionTokens(this.#model, whole, wanted ?? pool.defaultContextSize);
        lease = await ticket.take(wanted, controller.signal, tokens);
      } catch (error) {
        ticket.release();
        throw error;
      }
      // A chat prompt's tokens are the finish's input count (a completion's is counted apart).
      if (prepared.plan) parts.push({ type: "input-usage", usage: { inputTokens: tokens.length, cachedInputTokens: lease.reuse.cachedTokens } });
      try {
        const input = {
          model: this.#model,
          chatWrapper: this.#chatWrapper,
          grammars: this.#grammars,
          sequence: lease.sequence,
          contextSize: lease.contextSize,
          request: prepared.request,
          signal: controller.signal,
          push: (part: StreamPart) => parts.push(part),
          ...(prepared.plan ? { plan: prepared.plan } : {}),
          promptTokens: tokens,
        };
        const counted = this.#speculation?.begin(lease.sequence, tokens);
        try {
          outcome = prepared.request.rawPrompt !== undefined ? await generateCompletion(input) : await generateChat(input);
        } finally {
          counted?.();
        }
      } finally {
        lease.release();
      }
      const now = performance.now();
      parts.push({
        type: "finish",
        finishReason: outcome.finishReason,
        ...(outcome.stopSequence !== undefined ? { stopSequence: outcome.stopSequence } : {}),
        usage: {
          inputTokens: outcome.inputTokens,
          outputTokens: outcome.outputTokens,
          totalTokens: outcome.inputTokens + outcome.outputTokens,
          ...(outcome.inputTruncated ? { inputTruncated: true } : {}),
          cachedInputTokens: lease.reuse.cachedTokens,
          restoredInputTokens: lease.reuse.restoredTokens,
        },
        timings: {
          totalMs: now - started,
          queuedMs: lease.waitedMs,
          ...(outcome.firstTokenAt !== undefined ? { timeToFirstTokenMs: outcome.firstTokenAt - started } : {}),
        },
      });
    };

    const running = run().then(
      () => parts.end(),
      (error: unknown) => {
        if (isAbortError(error) && controller.signal.aborted) {
          parts.push({
            type: "finish",
            finishReason: "abort",
            usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
            timings: { totalMs: performance.now() - started },
          });
        } else {
          parts.push({ type: "error", error: serializeError(error) });
        }
        parts.end();
      },
    );
    // The model is held to the bare value (see generate.ts): the JSON the request asks for is written around it.
    const choices = answerChoices(request.responseFormat);
    try {
      yield* choices ? withAnswerJson(parts, choices.key) : parts;
    } finally {
      controller.abort();
      await running;
    }
  }

  /**
   * Checks a request's shape and bounds its prompt to `contextSize` without blocking the event loop.
   * A chat prompt that cannot fit is refused (`context_overflow`); a completion prompt keeps its
   * latest text, and the finish part reports the input as truncated.
   */
  async #prepare(request: ChatRequest, contextSize: number, signal: AbortSignal): Promise<{ request: ChatRequest; plan?: ChatPlan }> {
    checkRequestShape(request);
    if (request.rawPrompt !== undefined) {
      const kept = await this.#bounds.tail(request.rawPrompt, contextSize, signal);
      return { request: kept === request.rawPrompt ? request : { ...request, rawPrompt: kept } };
    }
    return { request, plan: (await this.#boundedPlan(request, contextSize, signal)).plan };
  }

  /**
   * The rendered chat prompt, once it is known to hold at most about `limit` tokens, with its
   * token count (counted in slices: within a few tokens per 8 KB of tokenizing it whole).
   */
  async #boundedPlan(request: ChatRequest, limit: number, signal?: AbortSignal): Promise<{ plan: ChatPlan; tokens: number }> {
    const train = this.#model.trainContextSize;
    // Every template marks each message with at least one token of its own.
    if (request.messages.length > limit) throw contextOverflow("The prompt", `${request.messages.length} messages`, limit, train, request.messages.length);
    const texts = messageTexts(request.messages);
    // Tools are rendered into the prompt only when the model may call them on its own.
    const toolsRendered = request.tools && (request.toolChoice ?? "auto") === "auto";
    const chars = texts.reduce((sum, t) => sum + t.length, 0) + (toolsRendered ? toolChars(request.tools ?? []) : 0);
    if (chars > this.#bounds.charLimit(limit)) throw contextOverflow("The prompt", `${chars} characters`, limit, train, Math.ceil(chars / this.#bounds.longestTokenBytes));
    // Counted before rendering too: rendering a template is itself work in proportion to the text.
    const before = await this.#bounds.countTexts(texts, limit, signal);
    if (before.over) throw contextOverflow("The prompt", `more than ${before.tokens} tokens`, limit, train, before.tokens);
    const plan = planChat(this.#chatWrapper, request);
    const counted = await this.#bounds.count(plan.contextText, limit, signal);
    if (counted.over) throw contextOverflow("The prompt", `more than ${counted.tokens} tokens`, limit, train, counted.tokens);
    return { plan, tokens: counted.tokens };
  }

  /**
   * Bounded to the largest context the model takes (never a size the client chose): past it,
   * `context_overflow`. Counted in 8 KB slices with turns of the event loop between, never by
   * tokenizing the whole prompt at once (a 128k-token prompt takes a quarter of a second to
   * tokenize): exact up to 8 KB of text, within a few tokens per 8 KB beyond.
   */
  async countTokens(request: ChatRequest): Promise<number> {
    const limit = Math.max(this.#model.trainContextSize, this.#pool.defaultContextSize);
    checkRequestShape(request);
    if (request.rawPrompt !== undefined) {
      const counted = await this.#boundedText("The prompt", request.rawPrompt, limit, contextOverflow);
      // Up to 8 KB, the tokens a completion evaluates (its leading space trimmed after the BOS token,
      // as the usage counts them); beyond, the count in slices.
      if (request.rawPrompt.length <= EXACT_COUNT_CHARS) return promptTokens(this.#model, request.rawPrompt).length;
      return counted + (this.#model.tokens.bos === null ? 0 : 1);
    }
    return (await this.#boundedPlan(request, limit)).tokens;
  }

  /**
   * Refuses a text of more than `limit` tokens without tokenizing it whole or blocking the event
   * loop; returns its tokens, counted in slices.
   */
  async #boundedText(what: string, text: string, limit: number, overflow: typeof contextOverflow, signal?: AbortSignal): Promise<number> {
    const train = this.#model.trainContextSize;
    if (text.length > this.#bounds.charLimit(limit)) throw overflow(what, `${text.length} characters`, limit, train, Math.ceil(text.length / this.#bounds.longestTokenBytes));
    const counted = await this.#bounds.count(text, limit, signal);
    if (counted.over) throw overflow(what, `more than ${counted.tokens} tokens`, limit, train, counted.tokens);
    return counted.tokens;
  }

  tokenize(text: string): number[] {
    return this.#model.tokenize(text, false);
  }

  async doEmbed(values: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const contextSize = Math.min(this.#model.trainContextSize, EMBEDDING_CONTEXT);
    this.#embedding ??= this.#model.createEmbeddingContext({ contextSize, threads: this.#threads });
    const context = await this.#embedding;
    // The embedding context adds its own start and end tokens to an input and needs one place more:
    // the room an input's own tokens have, which the refusal and its advice name.
    const room = contextSize - 1 - context.calculateInputLength([]);
    // Every input is bounded before any is embedded: one that cannot fit fails the request at once,
    // or, with truncate, is cut to its first tokens that fit. Each is embedded as the tokens counted
    // here, so what was checked is what is embedded.
    const inputs: Token[][] = [];
    for (const [index, value] of values.entries()) {
      if (options.truncate) {
        // Only the head that can hold a context's worth of tokens is tokenized.
        inputs.push(this.#model.tokenize(value.slice(0, this.#bounds.charLimit(contextSize)), false).slice(0, room));
        continue;
      }
      const what = values.length === 1 ? "The input" : `Input ${index + 1} of ${values.length}`;
      await this.#boundedText(what, value, room, embeddingOverflow, options.signal);
      const tokens = this.#model.tokenize(value, false);
      if (tokens.length > room) throw embeddingOverflow(what, `${tokens.length} tokens`, room);
      inputs.push(tokens);
    }
    const ticket = await this.#embedAdmission.enter(options.signal);
    try {
      const embeddings: number[][] = [];
      for (const input of inputs) {
        options.signal?.throwIfAborted();
        const embedding = await context.getEmbeddingFor(input);
        embeddings.push([...embedding.vector]);
      }
      return { embeddings, usage: { inputTokens: inputs.reduce((sum, input) => sum + input.length, 0) } };
    } finally {
      ticket.release();
    }
  }

  #contextSizeFor(request: ChatRequest): number | undefined {
    const wanted = request.contextLength;
    if (wanted === undefined) return undefined;
    if (!Number.isInteger(wanted) || wanted < 16) {
      throw new WrenError("bad_request", `A context length must be a whole number of tokens, at least 16; got ${wanted}.`, {
        hint: "Pass num_ctx / x-wren-context-length as an integer.",
      });
    }
    const max = this.#model.trainContextSize;
    return Math.min(wanted, max);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#embedAdmission.close(new WrenError("not_ready", "The model was unloaded while the request waited.", { isRetryable: true }));
    this.#onDispose?.();
    await this.#adapters?.dispose();
    await this.#pool.dispose();
    await this.#speculation?.dispose();
    if (this.#embedding) await (await this.#embedding.catch(() => undefined))?.dispose();
    await this.#model.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
