import type { FinishReason, GenerateResult, StreamPart, Usage } from "../../protocol/index.js";
import type { OpenAIChatChunk, OpenAIChatCompletion, OpenAIFinishReason, OpenAIUsage } from "../../wire/openai/index.js";
import { provenanceField, type ProvenanceField } from "../provenance.js";

export function openaiFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason) {
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    default:
      return "stop";
  }
}

export function openaiUsage(usage: Usage): OpenAIUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    ...(usage.cachedInputTokens === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } }),
    ...(usage.inputTruncated ? { wren_input_truncated: true } : {}),
  };
}

export interface ResponseIds {
  id: string;
  created: number;
  model: string;
}

const fingerprint = "wren";

/** A collected result → an OpenAI chat completion. */
export function openaiChatCompletion(result: GenerateResult, ids: ResponseIds): OpenAIChatCompletion & ProvenanceField {
  let content = "";
  const toolCalls: NonNullable<OpenAIChatCompletion["choices"][number]["message"]["tool_calls"]> = [];
  for (const part of result.content) {
    if (part.type === "text") content += part.text;
    // Arguments that are not JSON (a call cut off by max tokens) are passed as they were written.
    else toolCalls.push({ id: part.toolCallId, type: "function", function: { name: part.toolName, arguments: typeof part.input === "string" ? part.input : JSON.stringify(part.input) } });
  }
  return {
    id: ids.id,
    object: "chat.completion",
    created: ids.created,
    model: ids.model,
    system_fingerprint: fingerprint,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: toolCalls.length > 0 && content === "" ? null : content,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: openaiFinishReason(result.finishReason),
      },
    ],
    usage: openaiUsage(result.usage),
    ...provenanceField(result.provenance),
  };
}

/**
 * Turns stream parts into OpenAI chunks: a role chunk first, content and tool-call deltas, a chunk
 * with the finish reason, and (with include_usage) a last chunk with usage and no choices.
 */
export class OpenAIChunker {
  readonly #toolIndex = new Map<string, number>();
  #sentRole = false;

  constructor(
    private readonly ids: ResponseIds,
    private readonly includeUsage: boolean,
  ) {}

  #chunk(delta: OpenAIChatChunk["choices"][number]["delta"], finish: OpenAIFinishReason | null = null): OpenAIChatChunk {
    const chunk: OpenAIChatChunk = {
      id: this.ids.id,
      object: "chat.completion.chunk",
      created: this.ids.created,
      model: this.ids.model,
      system_fingerprint: fingerprint,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (this.includeUsage) chunk.usage = null;
    return chunk;
  }

  /** The chunks one part becomes (often none). */
  push(part: StreamPart): Array<OpenAIChatChunk & ProvenanceField> {
    const out: Array<OpenAIChatChunk & ProvenanceField> = [];
    if (!this.#sentRole && part.type !== "error") {
      this.#sentRole = true;
      out.push(this.#chunk({ role: "assistant", content: "" }));
    }
    switch (part.type) {
      case "text-delta":
        if (part.delta) out.push(this.#chunk({ content: part.delta }));
        break;
      case "tool-input-start": {
        const index = this.#toolIndex.size;
        this.#toolIndex.set(part.id, index);
        out.push(this.#chunk({ tool_calls: [{ index, id: part.id, type: "function", function: { name: part.toolName, arguments: "" } }] }));
        break;
      }
      case "tool-input-delta": {
        const index = this.#toolIndex.get(part.id);
        if (index !== undefined) out.push(this.#chunk({ tool_calls: [{ index, function: { arguments: part.delta } }] }));
        break;
      }
      case "tool-call": {
        if (this.#toolIndex.has(part.toolCallId)) break;
        const index = this.#toolIndex.size;
        this.#toolIndex.set(part.toolCallId, index);
        out.push(
          this.#chunk({
            tool_calls: [{ index, id: part.toolCallId, type: "function", function: { name: part.toolName, arguments: part.input } }],
          }),
        );
        break;
      }
      case "finish": {
        // The provenance rides on the last chunk: the usage chunk when asked for, else the finish chunk.
        const provenance = provenanceField(part.provenance);
        out.push(Object.assign(this.#chunk({}, openaiFinishReason(part.finishReason)), this.includeUsage ? undefined : provenance));
        if (this.includeUsage) {
          out.push({
            id: this.ids.id,
            object: "chat.completion.chunk",
            created: this.ids.created,
            model: this.ids.model,
            system_fingerprint: fingerprint,
            choices: [],
            usage: openaiUsage(part.usage),
            ...provenance,
          });
        }
        break;
      }
      default:
        break;
    }
    return out;
  }
}
