import type { CallOptions, ChatRequest, LanguageModel, StreamPart } from "../protocol/index.js";
import { serializeError } from "../shared/errors.js";

/**
 * A non-streamed call shaped as a stream, so the router runs one code path for both while a
 * non-streamed client request stays non-streamed upstream.
 */
export async function* generateAsStream(model: LanguageModel, request: ChatRequest, options: CallOptions): AsyncIterable<StreamPart> {
  let result;
  try {
    result = await model.doGenerate(request, options);
  } catch (error) {
    yield { type: "error", error: serializeError(error) };
    return;
  }
  yield { type: "stream-start", provider: model.provider, modelId: model.modelId, ...(result.provenance ? { provenance: result.provenance } : {}) };
  for (const [i, part] of result.content.entries()) {
    if (part.type === "text") {
      const id = `text-${i}`;
      yield { type: "text-start", id };
      yield { type: "text-delta", id, delta: part.text };
      yield { type: "text-end", id };
    } else {
      const input = typeof part.input === "string" ? part.input : JSON.stringify(part.input ?? {});
      yield { type: "tool-input-start", id: part.toolCallId, toolName: part.toolName };
      yield { type: "tool-input-delta", id: part.toolCallId, delta: input };
      yield { type: "tool-input-end", id: part.toolCallId };
      yield { type: "tool-call", toolCallId: part.toolCallId, toolName: part.toolName, input };
    }
  }
  yield {
    type: "finish",
    finishReason: result.finishReason,
    usage: result.usage,
    ...(result.stopSequence !== undefined ? { stopSequence: result.stopSequence } : {}),
    ...(result.timings ? { timings: result.timings } : {}),
  };
}
