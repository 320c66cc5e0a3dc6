import type { FinishReason, GenerateResult, StreamPart, Usage } from "../../protocol/index.js";
import { enumAnswerText } from "./gemini-enum.js";
import { toolInputObject } from "../../protocol/tool-input.js";
import type { GeminiFinishReason, GeminiGenerateContentResponse, GeminiResponsePart, GeminiUsageMetadata } from "../../wire/gemini/index.js";
import { errorPartBody } from "../error-body.js";
import { provenanceField, type ProvenanceField } from "../provenance.js";

/** Canonical finish reason → Gemini's. A function call ends with STOP, as Gemini's own do. */
export function geminiFinishReason(reason: FinishReason): GeminiFinishReason {
  switch (reason) {
    case "stop":
    case "tool-calls":
      return "STOP";
    case "length":
      return "MAX_TOKENS";
    case "content-filter":
      return "SAFETY";
    default:
      return "OTHER";
  }
}

type PromptUsage = Pick<Usage, "inputTokens" | "cachedInputTokens">;

/**
 * The prompt's part of `usageMetadata`. Its cached tokens are within `promptTokenCount`, and stated
 * only when some were read from a cache, as Gemini states them.
 */
function promptCounts(usage: PromptUsage): Pick<GeminiUsageMetadata, "promptTokenCount" | "promptTokensDetails" | "cachedContentTokenCount" | "cacheTokensDetails"> {
  const cached = usage.cachedInputTokens ?? 0;
  return {
    promptTokenCount: usage.inputTokens,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: usage.inputTokens }],
    ...(cached > 0 ? { cachedContentTokenCount: cached, cacheTokensDetails: [{ modality: "TEXT" as const, tokenCount: cached }] } : {}),
  };
}

/**
 * The usage of a chunk before the last: the prompt's count alone, as Gemini's own such chunks state
 * it. Object.assign, not `{ ...promptCounts(usage), totalTokenCount }`: on Node 20 a literal that
 * starts with a spread and adds more after it makes a new hidden class on every call, and every
 * streamed chunk states this.
 */
function promptUsage(usage: PromptUsage): GeminiUsageMetadata {
  return Object.assign(promptCounts(usage), { totalTokenCount: usage.inputTokens });
}

export function geminiUsage(usage: Usage): GeminiUsageMetadata {
  return Object.assign(promptCounts(usage), { candidatesTokenCount: usage.outputTokens, totalTokenCount: usage.totalTokens });
}

function functionCall(id: string, name: string, input: unknown): GeminiResponsePart {
  return { functionCall: { id, name, args: toolInputObject(input) } };
}

/** The ids every response (and every chunk of one stream) carries. */
export interface GeminiIds {
  responseId: string;
  /** The model name as the client gave it. */
  modelVersion: string;
}

/** How the answer's text is rendered. */
export interface GeminiAnswerOptions {
  /** `text/x.enum`: the text is the enum value alone, taken out of the JSON the model wrote. Default false. */
  enumAnswer?: boolean;
}

/** A non-streamed `GenerateContentResponse`. */
export function geminiResponse(result: GenerateResult, ids: GeminiIds, options: GeminiAnswerOptions = {}): GeminiGenerateContentResponse & ProvenanceField {
  let content = result.content;
  if (options.enumAnswer) {
    const text = enumAnswerText(content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join(""));
    content = [...(text ? [{ type: "text" as const, text }] : []), ...content.filter((p) => p.type !== "text")];
  }
  const parts = content.map((p): GeminiResponsePart => (p.type === "text" ? { text: p.text } : functionCall(p.toolCallId, p.toolName, p.input)));
  return {
    candidates: [{ content: { role: "model", parts }, finishReason: geminiFinishReason(result.finishReason), index: 0 }],
    usageMetadata: geminiUsage(result.usage),
    modelVersion: ids.modelVersion,
    responseId: ids.responseId,
    ...provenanceField(result.provenance),
  };
}

/**
 * Turns stream parts into `GenerateContentResponse` chunks, as `streamGenerateContent` sends them:
 * each chunk one text delta or one function call. The latest chunk is held until the next part, so
 * that the last one also carries the finish reason and usage, as Google's final chunk does (clients
 * such as Gemini CLI read a turn's end from a chunk with content). An error part becomes Google's
 * error body, after whatever was held. An enum answer's text is held whole and sent as its value
 * once the model is done: its JSON cannot be unwrapped piece by piece. Once the model has said its
 * prompt's count (`input-usage`, before its first token), every chunk states it in `usageMetadata`,
 * as every chunk of Gemini's own stream does; clients such as Gemini CLI read the prompt's size from
 * the latest chunk that has it.
 */
export class GeminiChunker {
  #held: GeminiResponsePart[] | undefined;
  /** The enum answer's JSON so far; undefined when the answer is not an enum. */
  #enumText: string | undefined;
  /** The prompt's tokens and cache reads, once an `input-usage` part has said them. */
  #prompt: PromptUsage | undefined;

  constructor(
    private readonly ids: GeminiIds,
    options: GeminiAnswerOptions = {},
  ) {
    if (options.enumAnswer) this.#enumText = "";
  }

  /** Holds the enum answer's value as the next part, and gives what was held before it. */
  #flushEnum(): GeminiGenerateContentResponse[] {
    const text = this.#enumText ? enumAnswerText(this.#enumText) : "";
    this.#enumText = "";
    return text ? this.#hold([{ text }]) : [];
  }

  #chunk(parts: GeminiResponsePart[]): GeminiGenerateContentResponse {
    return {
      candidates: [{ content: { role: "model", parts }, index: 0 }],
      ...(this.#prompt !== undefined ? { usageMetadata: promptUsage(this.#prompt) } : {}),
      modelVersion: this.ids.modelVersion,
      responseId: this.ids.responseId,
    };
  }

  #hold(parts: GeminiResponsePart[]): GeminiGenerateContentResponse[] {
    const out = this.#held ? [this.#chunk(this.#held)] : [];
    this.#held = parts;
    return out;
  }

  push(part: StreamPart): Array<GeminiGenerateContentResponse | Record<string, unknown>> {
    switch (part.type) {
      case "input-usage":
        this.#prompt = part.usage;
        return [];
      case "text-delta":
        if (this.#enumText !== undefined) {
          this.#enumText += part.delta;
          return [];
        }
        return part.delta ? this.#hold([{ text: part.delta }]) : [];
      case "tool-call":
        return [...this.#flushEnum(), ...this.#hold([functionCall(part.toolCallId, part.toolName, part.input)])];
      case "finish": {
        const out = this.#flushEnum();
        const chunk = this.#chunk(this.#held ?? []);
        this.#held = undefined;
        const candidate = chunk.candidates[0];
        if (candidate) candidate.finishReason = geminiFinishReason(part.finishReason);
        return [...out, Object.assign(chunk, { usageMetadata: geminiUsage(part.usage) }, provenanceField(part.provenance))];
      }
      case "error": {
        const out: Array<GeminiGenerateContentResponse | Record<string, unknown>> = this.#flushEnum();
        if (this.#held) out.push(this.#chunk(this.#held));
        this.#held = undefined;
        out.push(errorPartBody(part.error, "gemini"));
        return out;
      }
      default:
        return [];
    }
  }
}
