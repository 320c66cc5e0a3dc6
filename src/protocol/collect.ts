import { deserializeError } from "../shared/errors.js";
import type { TextPart, ToolCallPart } from "./messages.js";
import type { GenerateResult } from "./model.js";
import type { StreamPart } from "./stream.js";

/**
 * Folds a stream into the non-streamed result, so a model implements `doStream` once and gets
 * `doGenerate` for free. An `error` part is thrown as the WrenError it carries.
 */
export async function collectStream(stream: AsyncIterable<StreamPart>): Promise<GenerateResult> {
  const content: Array<TextPart | ToolCallPart> = [];
  const texts = new Map<string, TextPart>();
  for await (const part of stream) {
    switch (part.type) {
      case "text-start": {
        const text: TextPart = { type: "text", text: "" };
        texts.set(part.id, text);
        content.push(text);
        break;
      }
      case "text-delta": {
        let text = texts.get(part.id);
        if (!text) {
          text = { type: "text", text: "" };
          texts.set(part.id, text);
          content.push(text);
        }
        text.text += part.delta;
        break;
      }
      case "tool-call":
        content.push({
          type: "tool-call",
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: parseToolInput(part.input),
        });
        break;
      case "finish":
        return {
          content: part.content ?? content,
          finishReason: part.finishReason,
          usage: part.usage,
          ...(part.stopSequence !== undefined ? { stopSequence: part.stopSequence } : {}),
          ...(part.provenance ? { provenance: part.provenance } : {}),
          ...(part.timings ? { timings: part.timings } : {}),
        };
      case "error":
        throw deserializeError(part.error);
      default:
        break;
    }
  }
  throw new Error("The model's stream ended without a finish part.");
}

function parseToolInput(input: string): unknown {
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

/** All text parts of a result joined. */
export function resultText(result: GenerateResult): string {
  return result.content.map((p) => (p.type === "text" ? p.text : "")).join("");
}
