import { isAbortError, WrenError, type ErrorCode } from "../shared/errors.js";
import { parseRetryAfter } from "../shared/retry-after.js";

/** What a failed upstream call told us, whatever SDK raised it. */
export interface UpstreamFailure {
  status?: number;
  /** Value of the `retry-after` header, if any. */
  retryAfter?: string | null;
  message: string;
  /** The upstream's own error code, where its error body has one (OpenAI's `error.code`). */
  code?: string | undefined;
  /**
   * The error came inside a 200 answer that had started (Anthropic's `error` event, Gemini's error
   * chunk): `status` is the HTTP status the provider gives that error otherwise, and the message
   * says it came mid-stream rather than as the answer's status.
   */
  midStream?: boolean | undefined;
}

function codeForStatus(status: number): { code: ErrorCode; retryable: boolean } {
  if (status === 401) return { code: "unauthorized", retryable: false };
  if (status === 403) return { code: "forbidden", retryable: false };
  if (status === 404) return { code: "model_not_found", retryable: false };
  if (status === 408) return { code: "timeout", retryable: true };
  if (status === 413) return { code: "payload_too_large", retryable: false };
  if (status === 429) return { code: "rate_limited", retryable: true };
  if (status === 503 || status === 529) return { code: "overloaded", retryable: true };
  if (status >= 500) return { code: "upstream_error", retryable: true };
  return { code: "bad_request", retryable: false };
}

const UNREACHABLE = "Could not reach";

/**
 * What a `network_error` says went wrong with the connection ("other side closed"), without the
 * "Could not reach …" that {@link upstreamError} puts before it: once an answer has started the
 * host was reached, and the router words the failure as a dropped connection instead.
 */
export function connectionDetail(error: { message: string }): string {
  const prefix = new RegExp(`^${UNREACHABLE} [^:]+: `);
  return error.message.replace(prefix, "");
}

/**
 * Turns an upstream failure into a WrenError the router can classify: `status` is the upstream's
 * HTTP status, `isRetryable` says whether another attempt (here or elsewhere) can help.
 */
export function upstreamError(provider: string, failure: UpstreamFailure, cause?: unknown): WrenError {
  if (failure.status !== undefined && failure.status >= 300 && failure.status < 400 && !failure.midStream) return redirectRefused(provider, failure.status, null, cause);
  const retryAfter = parseRetryAfter(failure.retryAfter);
  if (failure.status === undefined) {
    return new WrenError("network_error", `${UNREACHABLE} ${provider}: ${failure.message}`, {
      hint: `Check that ${provider} is reachable (network, base URL), or route to another provider.`,
      isRetryable: true,
      cause,
    });
  }
  // A prompt longer than the model's context, as OpenAI (and wren) say it: the client's to
  // shorten, or another target's with a longer context to answer.
  const overflow = failure.status === 400 && failure.code === "context_length_exceeded";
  // A 429 that says the account has no credit left (OpenAI's `insufficient_quota`): no wait helps.
  const noQuota = failure.status === 429 && failure.code === "insufficient_quota";
  const { code, retryable } = overflow ? { code: "context_overflow" as const, retryable: false } : noQuota ? { code: "rate_limited" as const, retryable: false } : codeForStatus(failure.status);
  const hint =
    noQuota
      ? `The ${provider} account has no quota left: add credit or raise its limits, or route to another provider.`
      : code === "context_overflow"
      ? `Shorten the prompt, or use a model with a longer context than ${provider}'s.`
      : code === "unauthorized" || code === "forbidden"
      ? `Check the API key configured for ${provider}.`
      : code === "rate_limited"
        ? `Wait${retryAfter === undefined ? "" : ` ${retryAfter}s`} and retry, or add a fallback target.`
        : code === "model_not_found"
          ? `Check the model id for ${provider}.`
          : retryable
            ? `${provider} failed; retry later or add a fallback target.`
            : `Check the request sent to ${provider}.`;
  const said = failure.midStream ? `${provider} reported an error mid-stream: ${failure.message}` : `${provider} answered HTTP ${failure.status}: ${failure.message}`;
  return new WrenError(code, said, {
    hint,
    isRetryable: retryable,
    status: failure.status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(noQuota ? { details: { quota: "spent" } } : {}),
    cause,
  });
}

/**
 * A provider's endpoint that answered with a redirect, which wren never follows (the prompt and the
 * key would go to another address): said as such, with where it points when known, since the fix is
 * the base URL. A 502 at the server's edge, not the upstream's 3xx.
 */
export function redirectRefused(provider: string, status: number, location: string | null, cause?: unknown): WrenError {
  const where = location ? ` to ${firstLine(location).slice(0, 200)}` : "";
  return new WrenError("upstream_error", `${provider} answered with a redirect (HTTP ${status})${where}, which wren does not follow: it would send the prompt and the key to another address.`, {
    hint: `If you trust the address it points to, set ${provider}'s base URL to it.`,
    isRetryable: false,
    ...(cause === undefined ? {} : { cause }),
  });
}

interface SdkErrorShape {
  status?: unknown;
  status_code?: unknown;
  headers?: unknown;
  message?: unknown;
  name?: unknown;
  code?: unknown;
}

export function headerOf(headers: unknown, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  if (headers && typeof headers === "object") {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : null;
  }
  return null;
}

/**
 * Maps whatever an SDK threw (OpenAI/Anthropic `APIError`, Gemini `ApiError`, Ollama `ResponseError`,
 * fetch's `TypeError`, a JSON `SyntaxError`) to a WrenError. `retryAfter` is passed when the caller
 * captured the header itself (SDKs that do not expose response headers on errors).
 */
export function fromSdkError(provider: string, error: unknown, retryAfter?: string | null): WrenError {
  if (error instanceof WrenError) return error;
  // What wren's own fetch raised (a refused redirect), which the SDK wrapped as a connection error.
  const own = wrenCause(error);
  if (own) return own;
  // Before the abort check: undici reports a proxy's refusal to tunnel as an aborted request.
  const proxyStatus = proxyRefusalStatus(error);
  if (proxyStatus !== undefined) return proxyRefused(provider, proxyStatus, error);
  if (isAbortError(error) || (error as SdkErrorShape | null)?.name === "APIUserAbortError") {
    return new WrenError("aborted", "The request was cancelled.", { cause: error });
  }
  if (error instanceof SyntaxError) return malformedResponse(provider, error.message, error);
  const shape = (error && typeof error === "object" ? error : {}) as SdkErrorShape;
  const rawStatus = typeof shape.status === "number" ? shape.status : shape.status_code;
  const status = typeof rawStatus === "number" && rawStatus > 0 ? rawStatus : undefined;
  const message = typeof shape.message === "string" ? shape.message : String(error);
  if (status === undefined && !isConnectionFailure(error)) return sdkFailure(provider, firstLine(message), error);
  return upstreamError(
    provider,
    {
      ...(status === undefined ? {} : { status }),
      retryAfter: retryAfter ?? headerOf(shape.headers, "retry-after"),
      message: firstLine(message),
      ...(typeof shape.code === "string" ? { code: shape.code } : {}),
    },
    error,
  );
}

/** The status a proxy refused to tunnel with (undici: "Proxy response (407) !== 200 when HTTP Tunneling"), in `error` or its causes. */
function proxyRefusalStatus(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const message = (current as { message?: unknown }).message;
    const match = typeof message === "string" ? /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message) : null;
    if (match) return Number(match[1]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The proxy the environment names (HTTPS_PROXY, HTTP_PROXY) would not connect wren to `provider`. */
function proxyRefused(provider: string, status: number, cause: unknown): WrenError {
  const why = status === 407 ? "it asks for credentials" : status === 403 ? "it forbids that host" : "it could not reach it";
  return new WrenError("network_error", `${UNREACHABLE} ${provider}: the proxy set in HTTPS_PROXY or HTTP_PROXY refused to connect to it (HTTP ${status}: ${why}).`, {
    hint:
      status === 407
        ? "Put the proxy's user and password in its address (http://USER:PASSWORD@HOST:PORT), or list the host in NO_PROXY if it is reached directly."
        : "Check the proxy's address, or list the host in NO_PROXY if it is reached directly.",
    isRetryable: status !== 407 && status !== 403,
    cause,
  });
}

/** A WrenError in `error`'s causes (a few levels down), if any. */
function wrenCause(error: unknown): WrenError | undefined {
  let current: unknown = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    if (current instanceof WrenError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Node's and undici's codes for a connection that failed (`ECONNREFUSED`, `UND_ERR_SOCKET`, …). */
const connectionCode = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

/**
 * Whether `error` (or what caused it) is a connection that failed: fetch's `TypeError` (`fetch
 * failed`, `terminated`), a socket error's code, the OpenAI and Anthropic SDKs' `APIConnectionError`
 * (a bundler may suffix its name). Anything else without an HTTP status the SDK raised itself.
 */
function isConnectionFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const { code, message } = current as SdkErrorShape;
    if (typeof code === "string" && connectionCode.test(code)) return true;
    const name = (current as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && /^APIConnection(Timeout)?Error\d*$/.test(name)) return true;
    if (current instanceof TypeError && (message === "fetch failed" || message === "terminated")) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A call the provider's SDK failed on its own, with no HTTP status: it refused to send the request,
 * or could not make sense of what came back. The provider may well have been reached.
 */
function sdkFailure(provider: string, message: string, cause: unknown): WrenError {
  return new WrenError("upstream_error", `The ${provider} client library failed the call: ${message}`, {
    hint: `The call stopped in wren's ${provider} client, not on the network; retry, or route to another provider.`,
    isRetryable: true,
    cause,
  });
}

/** A response wren could not read as the provider's wire format: retryable, and the router moves on. */
export function malformedResponse(provider: string, detail: string, cause?: unknown): WrenError {
  return new WrenError("upstream_error", `${provider} sent a malformed response: ${detail}`, {
    hint: `${provider} sent data wren could not parse; retry, or route to another provider.`,
    isRetryable: true,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The first line of a message, at most 300 characters: upstream bodies can be whole HTML pages. */
export function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
