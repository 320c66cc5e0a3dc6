import { deserializeError } from "../shared/errors.js";
import type { TextPart, ToolCallPart } from "./messages.js";
import type { GenerateResult } from "./model.js";
import type { StreamPart } from "./stream.js";

/**
 * Folds a stream into the non-streamed result, so a model implements `doStream` once and gets
 * `doGenerate` for free. An `error` part is thrown as the WrenError it carries.
 */
export async function collectStream(stream: AsyncIterable<StreamPart>): Promise<GenerateResult> {
  const fold = new PartFold();
  for await (const part of stream) {
    const result = fold.push(part);
    if (result) return result;
  }
  throw new Error("The model's stream ended without a finish part.");
}

/** {@link collectStream} of parts already held (a streamed answer's parts, kept as they were sent). */
export function foldParts(parts: Iterable<StreamPart>): GenerateResult {
  const fold = new PartFold();
  for (const part of parts) {
    const result = fold.push(part);
    if (result) return result;
  }
  throw new Error("The model's stream ended without a finish part.");
}

/** The result built part by part: complete at the `finish` part; an `error` part is thrown. */
class PartFold {
  readonly #content: Array<TextPart | ToolCallPart> = [];
  readonly #texts = new Map<string, TextPart>();

  push(part: StreamPart): GenerateResult | undefined {
    const content = this.#content;
    const texts = this.#texts;
    switch (part.type) {
      case "text-start": {
        const text: TextPart = { type: "text", text: "" };
        texts.set(part.id, text);
        content.push(text);
        return undefined;
      }
      case "text-delta": {
        let text = texts.get(part.id);
        if (!text) {
          text = { type: "text", text: "" };
          texts.set(part.id, text);
          content.push(text);
        }
        text.text += part.delta;
        return undefined;
      }
      case "tool-call":
        content.push({
          type: "tool-call",
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: parseToolInput(part.input),
        });
        return undefined;
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
        return undefined;
    }
  }
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
