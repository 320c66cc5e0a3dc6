import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart, TokenCounter } from "../../../src/protocol/index.js";
import { collectStream } from "../../../src/protocol/index.js";

/** One scripted answer: the parts to stream, or a failure before any output. */
export type Script = StreamPart[] | { fail: StreamPart & { type: "error" } } | { hang: true };

/** The parts of a plain text answer. */
export function textAnswer(text: string, provider = "scripted", modelId = "m"): StreamPart[] {
  return [
    { type: "stream-start", provider, modelId },
    { type: "text-start", id: "t0" },
    { type: "text-delta", id: "t0", delta: text },
    { type: "text-end", id: "t0" },
    { type: "finish", finishReason: "stop", usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14 } },
  ];
}

/** The parts of a tool call answer. */
export function toolAnswer(toolName: string, input: string): StreamPart[] {
  return [
    { type: "stream-start", provider: "scripted", modelId: "m" },
    { type: "tool-input-start", id: "c1", toolName },
    { type: "tool-input-delta", id: "c1", delta: input },
    { type: "tool-input-end", id: "c1" },
    { type: "tool-call", toolCallId: "c1", toolName, input },
    { type: "finish", finishReason: "tool-calls", usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14 } },
  ];
}

/**
 * A LanguageModel that answers from scripts, one per call (the last repeats), counting calls and
 * keeping the requests. Its token counter counts whitespace-separated words.
 */
export class ScriptedModel implements LanguageModel, TokenCounter {
  calls = 0;
  readonly requests: ChatRequest[] = [];

  constructor(
    readonly provider: string,
    readonly modelId: string,
    private readonly scripts: Script[],
  ) {}

  async *doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const script = this.scripts[Math.min(this.calls, this.scripts.length - 1)]!;
    this.calls++;
    this.requests.push(request);
    if ("fail" in script) {
      yield script.fail;
      return;
    }
    if ("hang" in script) {
      await new Promise<void>((resolve) => options.signal?.addEventListener("abort", () => resolve(), { once: true }));
      yield { type: "finish", finishReason: "abort", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } };
      return;
    }
    for (const part of script) yield part.type === "stream-start" ? { ...part, provider: this.provider, modelId: this.modelId } : part;
  }

  doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return collectStream(this.doStream(request, options));
  }

  async countTokens(request: ChatRequest): Promise<number> {
    let words = 0;
    for (const m of request.messages) {
      const text = typeof m.content === "string" ? m.content : m.content.map((p) => ("text" in p ? p.text : "")).join(" ");
      words += text.split(/\s+/).filter(Boolean).length;
    }
    return words;
  }
}
