import type { ChatRequest, FinishReason, LanguageModel, Provenance, ToolCallPart, Usage } from "../protocol/index.js";
import { deserializeError, WrenError } from "../shared/errors.js";
import type { AgentEvent } from "./events.js";

/** One model answer, streamed. */
export interface StreamedTurn {
  text: string;
  toolCalls: ToolCallPart[];
  finishReason: FinishReason;
  usage: Usage;
  provenance: Provenance | undefined;
}

const ZERO: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/**
 * Streams one answer, yielding its text as it comes, and returns what the model said. An `error`
 * part is thrown as its WrenError; a cancelled call returns with finish reason `abort`.
 */
export async function* streamTurn(model: LanguageModel, request: ChatRequest, turn: number, signal: AbortSignal): AsyncGenerator<AgentEvent, StreamedTurn> {
  let text = "";
  const toolCalls: ToolCallPart[] = [];
  let provenance: Provenance | undefined;
  try {
    for await (const part of model.doStream(request, { signal })) {
      switch (part.type) {
        case "stream-start":
          provenance = part.provenance ?? provenance;
          break;
        case "text-delta":
          text += part.delta;
          yield { type: "text-delta", turn, delta: part.delta };
          break;
        case "tool-call":
          toolCalls.push({ type: "tool-call", toolCallId: part.toolCallId, toolName: part.toolName, input: parseInput(part.input) });
          break;
        case "finish":
          return { text, toolCalls, finishReason: part.finishReason, usage: part.usage, provenance: part.provenance ?? provenance };
        case "error":
          throw deserializeError(part.error);
        default:
          break;
      }
    }
  } catch (error) {
    if (signal.aborted) return { text, toolCalls, finishReason: "abort", usage: ZERO, provenance };
    throw error;
  }
  if (signal.aborted) return { text, toolCalls, finishReason: "abort", usage: ZERO, provenance };
  throw new WrenError("upstream_error", "The model's answer ended without a finish.", { hint: "Try again; if it keeps happening, try another --model." });
}

/** Tool arguments stay as text when they are not JSON, so the tool runner can tell the model. */
function parseInput(input: string): unknown {
  try {
    return input.trim() === "" ? {} : (JSON.parse(input) as unknown);
  } catch {
    return input;
  }
}
