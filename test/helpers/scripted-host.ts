import type { ChatRequest, EmbedResult, GenerateResult, LanguageModel, StreamPart } from "../../src/protocol/index.js";
import { collectStream } from "../../src/protocol/index.js";
import type { ModelHost, ModelLease, ServedModelInfo } from "../../src/server/model-host.js";

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

/** A ModelHost over scripted models: no loading, counts acquires and releases. */
export class ScriptedHost implements ModelHost {
  held = 0;
  readonly infos: ServedModelInfo[];

  constructor(
    readonly models: Map<string, ScriptedModel>,
    options: { parallel?: number; aliases?: Record<string, string[]> } = {},
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
  }

  list(): ServedModelInfo[] {
    return this.infos;
  }

  resolve(name: string): ServedModelInfo | undefined {
    return this.infos.find((m) => m.id === name || m.aliases.includes(name));
  }

  async acquire(id: string): Promise<ModelLease> {
    const language = this.models.get(id)!;
    const info = this.resolve(id)!;
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
