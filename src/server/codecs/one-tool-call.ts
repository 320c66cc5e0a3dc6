import type { GenerateResult, StreamPart } from "../../protocol/index.js";

/**
 * At most one tool call, as OpenAI's `parallel_tool_calls: false` and Anthropic's
 * `disable_parallel_tool_use: true` promise: the model's first call is kept, later ones dropped
 * (a client that asked for one runs only one, and would answer the others wrongly).
 */
export function firstToolCallOnly(result: GenerateResult): GenerateResult {
  const first = result.content.findIndex((p) => p.type === "tool-call");
  if (first < 0) return result;
  return { ...result, content: result.content.filter((p, i) => p.type !== "tool-call" || i === first) };
}

/** The streamed form of {@link firstToolCallOnly}: `keep(part)` is false for every part of a later call. */
export class FirstToolCallFilter {
  #first: string | undefined;

  keep(part: StreamPart): boolean {
    let id: string;
    switch (part.type) {
      case "tool-input-start":
      case "tool-input-delta":
      case "tool-input-end":
        id = part.id;
        break;
      case "tool-call":
        id = part.toolCallId;
        break;
      default:
        return true;
    }
    this.#first ??= id;
    return id === this.#first;
  }
}
