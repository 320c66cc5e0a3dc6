/**
 * Every error wren raises on purpose is a WrenError: a stable `code`, a message that says what went
 * wrong, a `hint` that says what to do next, and whether retrying can help. Edges map codes to HTTP
 * statuses, dialect error bodies and exit codes; nothing else inspects messages.
 */
export type ErrorCode =
  | "bad_request"
  | "config_invalid"
  | "model_not_found"
  | "model_invalid"
  | "model_load_failed"
  | "model_too_large"
  | "context_overflow"
  | "unsupported"
  | "unauthorized"
  | "forbidden"
  | "payload_too_large"
  | "rate_limited"
  | "overloaded"
  | "not_ready"
  | "timeout"
  | "aborted"
  | "upstream_error"
  | "network_error"
  | "checksum_mismatch"
  | "download_failed"
  | "not_found"
  | "internal";

export interface WrenErrorOptions {
  hint?: string;
  cause?: unknown;
  isRetryable?: boolean;
  /** HTTP status to report at the server edge, when the default for the code is not right. */
  status?: number;
  /** Seconds a client should wait before retrying (rate limits, queue full). */
  retryAfter?: number;
  details?: Record<string, unknown>;
}

export class WrenError extends Error {
  override readonly name = "WrenError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly isRetryable: boolean;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: WrenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.isRetryable = options.isRetryable ?? false;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    this.details = options.details;
  }

  /** Message and hint on one line, as a user should read it. */
  toLine(): string {
    if (!this.hint) return this.message;
    // A message that lists several problems on their own lines gets its hint on a line of its own.
    return this.message.includes("\n") ? `${this.message.trimEnd()}\n${this.hint}` : `${this.message} ${this.hint}`;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
  isRetryable?: boolean;
  status?: number;
  /** Seconds to wait before retrying, when the failure said so (HTTP `retry-after`). */
  retryAfter?: number;
}

export function isWrenError(value: unknown): value is WrenError {
  return value instanceof WrenError;
}

export function isAbortError(value: unknown): boolean {
  return (
    (value instanceof Error && (value.name === "AbortError" || value.name === "TimeoutError")) ||
    (isWrenError(value) && value.code === "aborted")
  );
}

/** Any thrown value as a WrenError; unknown errors become `internal` with the original as cause. */
export function toWrenError(value: unknown): WrenError {
  if (value instanceof WrenError) return value;
  if (isAbortError(value)) return new WrenError("aborted", "The request was cancelled.", { cause: value });
  const message = value instanceof Error ? value.message : String(value);
  return new WrenError("internal", message, { cause: value });
}

export function serializeError(value: unknown): SerializedError {
  const error = toWrenError(value);
  const out: SerializedError = { code: error.code, message: error.message };
  if (error.hint) out.hint = error.hint;
  if (error.isRetryable) out.isRetryable = true;
  if (error.status !== undefined) out.status = error.status;
  if (error.retryAfter !== undefined) out.retryAfter = error.retryAfter;
  return out;
}

export function deserializeError(error: SerializedError): WrenError {
  return new WrenError(error.code, error.message, {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.isRetryable === undefined ? {} : { isRetryable: error.isRetryable }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  });
}

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  config_invalid: 400,
  model_not_found: 404,
  model_invalid: 400,
  model_load_failed: 500,
  model_too_large: 507,
  context_overflow: 400,
  unsupported: 400,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  rate_limited: 429,
  overloaded: 429,
  not_ready: 503,
  timeout: 504,
  aborted: 499,
  upstream_error: 502,
  network_error: 502,
  checksum_mismatch: 502,
  download_failed: 502,
  not_found: 404,
  internal: 500,
};

export function httpStatusOf(error: WrenError): number {
  return error.status ?? statusByCode[error.code];
}

/** Process exit codes for the CLI: 1 generic, 2 usage/config, 3 model problems, 4 network, 130 cancelled. */
export function exitCodeOf(error: WrenError): number {
  switch (error.code) {
    case "bad_request":
    case "config_invalid":
    case "unsupported":
      return 2;
    case "model_not_found":
    case "model_invalid":
    case "model_load_failed":
    case "model_too_large":
    case "context_overflow":
      return 3;
    case "network_error":
    case "upstream_error":
    case "download_failed":
    case "checksum_mismatch":
    case "unauthorized":
      return 4;
    case "aborted":
      return 130;
    default:
      return 1;
  }
}
