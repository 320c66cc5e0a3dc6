import { WrenError } from "../../shared/errors.js";
import { firstLine, fromSdkError, headerOf, upstreamError } from "../upstream-error.js";

/** The HTTP status Anthropic gives each error type; an `error` event inside a stream has only the type. */
const statusOfType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** How Anthropic says a prompt does not fit the model's context (a 400 `invalid_request_error`). */
const overflow = /prompt is too long|exceeds? (the )?context (window|limit)/i;

interface AnthropicErrorShape {
  status?: unknown;
  headers?: unknown;
  /** The SDK's `APIError` keeps the parsed body: `{"type": "error", "error": {"type", "message"}}`. */
  error?: { error?: { type?: unknown; message?: unknown } | null } | null;
}

/**
 * What the Anthropic SDK threw, in Anthropic's own words: the message of its error body rather than
 * the body's JSON, an `error` event inside a stream (an overload, say) classed by its type instead
 * of as a connection failure, and a prompt too long as a context overflow. Anything else is mapped
 * as every SDK's failures are.
 */
export function fromAnthropicError(error: unknown): WrenError {
  if (error instanceof WrenError) return error;
  const shape = (error && typeof error === "object" ? error : {}) as AnthropicErrorShape;
  const body = shape.error?.error;
  const type = typeof body?.type === "string" ? body.type : undefined;
  if (type === undefined) return fromSdkError("anthropic", error);
  const midStream = typeof shape.status !== "number";
  const status = midStream ? (statusOfType[type] ?? 500) : (shape.status as number);
  const message = typeof body?.message === "string" && body.message ? body.message : type;
  return upstreamError(
    "anthropic",
    {
      status,
      retryAfter: headerOf(shape.headers, "retry-after"),
      message: firstLine(message),
      // Said as OpenAI and wren say it, so the router moves on to a target with a longer context.
      code: status === 400 && overflow.test(message) ? "context_length_exceeded" : type,
      midStream,
    },
    error,
  );
}
