import type { CallOptions, ChatRequest, EmbedResult, GenerateResult, LanguageModel, StreamPart } from "../../src/protocol/index.js";
import { collectStream } from "../../src/protocol/index.js";
import type { ModelHost, ModelLease, ModelQueue, ServedModelInfo } from "../../src/server/model-host.js";
import { Admission } from "../../src/engine/admission.js";

/** What a scripted model answers: the text, or tool calls, plus knobs for usage and pacing. */
export interface Script {
  text?: string;
  toolCalls?: Array<{ name: string; input: string }>;
  /** Characters per text delta. Default 4. */
  chunk?: number;
  /** Milliseconds between parts. Default 0. */
  delayMs?: number;
  inputTokens?: number;
  truncated?: boolean;
  /** Throw this from doStream before any part. */
  fail?: Error;
}

/** A LanguageModel that yields scripted parts, honouring the abort signal between parts. */
export class ScriptedModel implements LanguageModel {
  readonly provider = "scripted";
  /** Requests seen, newest last. */
  readonly requests: ChatRequest[] = [];
  /** Streams that ended after an abort. */
  aborted = 0;

  constructor(
    readonly modelId: string,
    private readonly script: (request: ChatRequest) => Script,
  ) {}

  async doGenerate(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<GenerateResult> {
    return collectStream(this.doStream(request, options));
  }

  async *doStream(request: ChatRequest, options?: { signal?: AbortSignal }): AsyncIterable<StreamPart> {
    this.requests.push(request);
    const s = this.script(request);
    if (s.fail) throw s.fail;
    const signal = options?.signal;
    const pause = async (): Promise<void> => {
      if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
    };
    const usage = (out: number) => ({
      inputTokens: s.inputTokens ?? 5,
      outputTokens: out,
      totalTokens: (s.inputTokens ?? 5) + out,
      ...(s.truncated ? { inputTruncated: true } : {}),
    });
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId };
    let out = 0;
    if (s.text !== undefined) {
      yield { type: "text-start", id: "0" };
      const size = s.chunk ?? 4;
      for (let i = 0; i < s.text.length; i += size) {
        await pause();
        if (signal?.aborted) {
          this.aborted += 1;
          yield { type: "finish", finishReason: "abort", usage: usage(out) };
          return;
        }
        out += 1;
        yield { type: "text-delta", id: "0", delta: s.text.slice(i, i + size) };
      }
      yield { type: "text-end", id: "0" };
    }
    for (const [i, call] of (s.toolCalls ?? []).entries()) {
      await pause();
      out += 1;
      yield { type: "tool-call", toolCallId: `call_${i}`, toolName: call.name, input: call.input };
    }
    const reason = s.toolCalls?.length ? "tool-calls" : request.maxOutputTokens !== undefined && out >= request.maxOutputTokens ? "length" : "stop";
    yield { type: "finish", finishReason: reason, usage: usage(out) };
  }
}

/**
 * A scripted model behind a model's admission, as the engine's sequence pool keeps it: each call
 * takes a place (waiting in line, or refused with 429 past `maxQueued`) and gives it back when its
 * stream ends.
 */
function admitted(model: ScriptedModel, admission: Admission): LanguageModel {
  const stream = async function* (request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const ticket = await admission.enter(options.signal);
    try {
      yield* model.doStream(request, options);
    } finally {
      ticket.release();
    }
  };
  return {
    provider: model.provider,
    modelId: model.modelId,
    doStream: stream,
    doGenerate: (request, options) => collectStream(stream(request, options)),
  };
}

/** A ModelHost over scripted models: no loading, counts acquires and releases; each model admits `parallel` calls at once. */
export class ScriptedHost implements ModelHost {
  held = 0;
  readonly infos: ServedModelInfo[];
  readonly #admissions = new Map<string, Admission>();

  constructor(
    readonly models: Map<string, ScriptedModel>,
    options: { parallel?: number; maxQueued?: number; aliases?: Record<string, string[]> } = {},
  ) {
    this.infos = [...models.keys()].map((id) => ({
      id,
      aliases: options.aliases?.[id] ?? [],
      loaded: true,
      parallel: options.parallel ?? 2,
      contextLength: 2048,
      family: "llama",
      embeddings: true,
    }));
    for (const info of this.infos) this.#admissions.set(info.id, new Admission({ capacity: info.parallel, maxQueued: options.maxQueued ?? 16, modelId: info.id }));
  }

  list(): ServedModelInfo[] {
    return this.infos;
  }

  /** Holds one of the model's places, as a running request would, until released. */
  reserve(id: string): Promise<{ release(): void }> {
    return this.#admissions.get(id)!.enter();
  }

  queues(): ModelQueue[] {
    return [...this.#admissions].map(([id, admission]) => ({ id, ...admission.stats() }));
  }

  resolve(name: string): ServedModelInfo | undefined {
    return this.infos.find((m) => m.id === name || m.aliases.includes(name));
  }

  async acquire(id: string): Promise<ModelLease> {
    const info = this.resolve(id)!;
    const language = admitted(this.models.get(id)!, this.#admissions.get(info.id)!);
    this.held += 1;
    let done = false;
    return {
      model: {
        info,
        language,
        embedding: {
          provider: "scripted",
          modelId: id,
          async doEmbed(values: string[]): Promise<EmbedResult> {
            return { embeddings: values.map((v) => [v.length, 0.5, -1]), usage: { inputTokens: values.length * 2 } };
          },
        },
        tokens: { countTokens: async (r: ChatRequest) => r.messages.length * 3 },
      },
      release: () => {
        if (!done) this.held -= 1;
        done = true;
      },
    };
  }
}
