import { WrenError } from "../../shared/errors.js";
import { firstLine, fromSdkError, upstreamError } from "../upstream-error.js";

/** The `@google/genai` SDK's prefix for an error chunk inside a 200 stream. */
const midStreamPrefix = /^got status: [^.]*\. /;

/** How Gemini says a prompt does not fit the model's context (a 400 `INVALID_ARGUMENT`). */
const overflow = /input token count .*exceeds the maximum number of tokens/i;

interface GoogleErrorBody {
  error?: { code?: unknown; message?: unknown; status?: unknown; details?: unknown } | null;
}

/**
 * The wait Google asks for in a `google.rpc.RetryInfo` detail (`"retryDelay": "33s"`, a protobuf
 * Duration), as `retry-after` seconds: Gemini's rate limits say when to come back there, not in a header.
 */
function retryDelayOf(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as unknown[]) {
    const { "@type": type, retryDelay } = (detail && typeof detail === "object" ? detail : {}) as Record<string, unknown>;
    if (typeof type !== "string" || !type.endsWith("google.rpc.RetryInfo") || typeof retryDelay !== "string") continue;
    const seconds = /^(\d+(?:\.\d+)?)s$/.exec(retryDelay)?.[1];
    if (seconds !== undefined) return seconds;
  }
  return undefined;
}

/**
 * What the Gemini SDK threw, in Google's own words: its `ApiError` carries the error body as JSON
 * text (after "got status: …" for an error chunk inside a stream), which becomes the message of
 * that body, an error inside a stream says so, a `RetryInfo` delay is the `retry-after`, and a prompt
 * too long is a context overflow. Anything else is mapped as every SDK's failures are. `provider`
 * names it in the message: `gemini`, or the name another wren's Gemini API is called by.
 */
export function fromGeminiError(error: unknown, retryAfter?: string | null, provider = "gemini"): WrenError {
  if (error instanceof WrenError) return error;
  const shape = (error && typeof error === "object" ? error : {}) as { status?: unknown; message?: unknown; name?: unknown };
  if (shape.name !== "ApiError" || typeof shape.status !== "number" || typeof shape.message !== "string") return fromSdkError(provider, error, retryAfter);
  const midStream = midStreamPrefix.test(shape.message);
  const body = parseBody(midStream ? shape.message.replace(midStreamPrefix, "") : shape.message);
  const message = typeof body?.error?.message === "string" && body.error.message ? body.error.message : undefined;
  if (message === undefined) return fromSdkError(provider, error, retryAfter);
  return upstreamError(
    provider,
    {
      status: shape.status,
      retryAfter: retryAfter ?? retryDelayOf(body?.error?.details) ?? null,
      message: firstLine(message),
      // A prompt too long is said as OpenAI and wren say it, so the router moves on to a target with a longer context.
      ...(shape.status === 400 && overflow.test(message) ? { code: "context_length_exceeded" } : typeof body?.error?.status === "string" ? { code: body.error.status } : {}),
      midStream,
    },
    error,
  );
}

function parseBody(text: string): GoogleErrorBody | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}
