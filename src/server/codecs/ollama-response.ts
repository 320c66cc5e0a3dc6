import type { FinishReason, StreamPart, Timings, Usage } from "../../protocol/index.js";
import { errorPartBody } from "../error-body.js";
import { provenanceField } from "../provenance.js";
import { toolInputObject } from "../../protocol/tool-input.js";

export function ollamaDoneReason(reason: FinishReason): string {
  return reason === "length" ? "length" : reason === "abort" ? "abort" : "stop";
}

/**
 * Ollama's `/api/show` `parameters`: a line per value, the name padded to 30 columns and the value
 * as Go prints it (strings quoted), a parameter with several values (`stop`) on a line each.
 */
export function ollamaParameters(params: Record<string, number | string | string[] | undefined>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) lines.push(`${name.padEnd(30)} ${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
  }
  return lines.join("\n");
}

/** Ollama's closing statistics (durations in nanoseconds). */
export function ollamaStats(usage: Usage, timings: Timings | undefined, startedAt: number): Record<string, number | boolean> {
  const total = (timings?.totalMs ?? performance.now() - startedAt) * 1e6;
  const ttft = (timings?.timeToFirstTokenMs ?? 0) * 1e6;
  return {
    total_duration: Math.round(total),
    load_duration: 0,
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: Math.round(ttft),
    eval_count: usage.outputTokens,
    eval_duration: Math.round(Math.max(0, total - ttft)),
    ...(usage.inputTruncated ? { wren_input_truncated: true } : {}),
  };
}

/**
 * Turns stream parts into Ollama NDJSON objects (`/api/chat` or `/api/generate`). Tool calls are
 * sent whole (Ollama does not stream their arguments).
 */
export class OllamaLiner {
  readonly #startedAt = performance.now();
  constructor(
    private readonly model: string,
    private readonly kind: "chat" | "generate",
  ) {}

  #base(): Record<string, unknown> {
    return { model: this.model, created_at: new Date().toISOString() };
  }

  #content(text: string, toolCalls?: unknown[]): Record<string, unknown> {
    if (this.kind === "generate") return { response: text };
    return { message: { role: "assistant", content: text, ...(toolCalls ? { tool_calls: toolCalls } : {}) } };
  }

  /**
   * A line: Object.assign of fresh objects, not `{ ...base, ...content, done }`: on Node 20 a literal
   * that starts with a spread and adds more after it makes a new hidden class on every call (about 4
   * µs of every token streamed to an Ollama client).
   */
  push(part: StreamPart): Array<Record<string, unknown>> {
    switch (part.type) {
      case "text-delta":
        return part.delta ? [Object.assign(this.#base(), this.#content(part.delta), { done: false })] : [];
      case "tool-call":
        return [Object.assign(this.#base(), this.#content("", [{ function: { name: part.toolName, arguments: toolInputObject(part.input) } }]), { done: false })];
      case "finish": {
        const line = Object.assign(this.#base(), this.#content(""), { done: true, done_reason: ollamaDoneReason(part.finishReason) });
        return [Object.assign(line, ollamaStats(part.usage, part.timings, this.#startedAt), provenanceField(part.provenance))];
      }
      case "error":
        return [errorPartBody(part.error, "ollama")];
      default:
        return [];
    }
  }
}
