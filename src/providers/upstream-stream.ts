import type { FinishReason, Provenance, StreamPart, Usage } from "../protocol/index.js";
import { linkedAbortController } from "../shared/abort.js";
import { serializeError, type WrenError } from "../shared/errors.js";
import { fromSdkError } from "./upstream-error.js";

/** Translates one upstream's chunks into stream parts; one instance per response. */
export interface ChunkTranslator<C> {
  onChunk(chunk: C): Iterable<StreamPart>;
  /**
   * Parts that close open blocks, and the finish reason and usage, once the upstream is done. Throws
   * (a malformed response) when what came was no answer of the provider's format at all, or one cut
   * short; unless `cancelled`: the caller stopped it, and what came is all there is.
   */
  end(cancelled?: boolean): { parts: Iterable<StreamPart>; finishReason: FinishReason; usage: Usage; provenance?: Provenance | undefined };
}

export interface UpstreamStreamOptions<C> {
  provider: string;
  modelId: string;
  signal?: AbortSignal | undefined;
  /**
   * Sends the request with `signal` (the caller's, or with {@link ownSignal} one of the call's own
   * that follows it); resolves once the response headers are in.
   */
  open: (signal: AbortSignal | undefined) => Promise<AsyncIterable<C>>;
  /**
   * The SDK gets a signal of the call's own, linked to the caller's and let go when the stream
   * ends: for SDKs that leave a listener on the signal they are given (`@google/genai` never takes
   * its back, Node's fetch only once collected), which a caller's signal shared by many calls
   * would otherwise gather without end.
   */
  ownSignal?: boolean;
  translator: ChunkTranslator<C>;
  /** The `retry-after` header of a failed response, for SDKs that do not keep it on their errors. */
  retryAfter?: () => string | null;
  /** The provider's own reading of what its SDK threw (its error bodies); default {@link fromSdkError}. */
  mapError?: (error: unknown, retryAfter: string | null | undefined) => WrenError;
}

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

/**
 * The common shape of a provider's `doStream`: `stream-start` once the upstream answered, translated
 * parts, then exactly one `finish` (reason `abort` when cancelled) or `error`.
 */
export async function* upstreamStream<C>(options: UpstreamStreamOptions<C>): AsyncIterable<StreamPart> {
  const { provider, modelId, signal, translator } = options;
  const fail = (error: unknown): StreamPart => ({
    type: "error",
    error: serializeError(options.mapError ? options.mapError(error, options.retryAfter?.()) : fromSdkError(provider, error, options.retryAfter?.())),
  });
  const own = options.ownSignal && signal ? linkedAbortController(signal) : undefined;
  try {
    let chunks: AsyncIterable<C>;
    try {
      chunks = await options.open(own?.signal ?? signal);
    } catch (error) {
      if (signal?.aborted) {
        yield { type: "finish", finishReason: "abort", usage: emptyUsage() };
        return;
      }
      yield fail(error);
      return;
    }
    yield { type: "stream-start", provider, modelId };
    try {
      // Plain loops over the translator's parts: `yield*` of a sync iterable in an async generator
      // wraps it in an async iterator, a promise more per part.
      for await (const chunk of chunks) for (const part of translator.onChunk(chunk)) yield part;
    } catch (error) {
      if (!signal?.aborted) {
        yield fail(error);
        return;
      }
    }
    // Cancelled (some SDKs end the stream quietly then, others throw): an abort finish after the
    // blocks that were open, whatever did or did not come.
    if (signal?.aborted) {
      const end = translator.end(true);
      for (const part of end.parts) yield part;
      yield { type: "finish", finishReason: "abort", usage: end.usage };
      return;
    }
    let end: ReturnType<ChunkTranslator<C>["end"]>;
    try {
      end = translator.end();
    } catch (error) {
      yield fail(error);
      return;
    }
    for (const part of end.parts) yield part;
    yield { type: "finish", finishReason: end.finishReason, usage: end.usage, ...(end.provenance ? { provenance: end.provenance } : {}) };
  } finally {
    own?.[Symbol.dispose]();
  }
}
