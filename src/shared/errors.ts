import { MAX_JSON_DEPTH } from "./json-depth.js";

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
  | "method_not_allowed"
  | "internal";

/**
 * Who a failure is about: the target the router refused or that failed last, its route and why it
 * was picked. The protocol's `Provenance`, restated because shared/ imports nothing.
 */
export interface ErrorProvenance {
  provider: string;
  model: string;
  reason: string;
  route?: string;
  adapter?: string;
}

export interface WrenErrorOptions {
  hint?: string;
  cause?: unknown;
  isRetryable?: boolean;
  /** HTTP status to report at the server edge, when the default for the code is not right. */
  status?: number;
  /** Seconds a client should wait before retrying (rate limits, queue full). */
  retryAfter?: number;
  details?: Record<string, unknown>;
  /** Who the failure is about, when a router chose (sent as `x-wren-*` headers with the error). */
  provenance?: ErrorProvenance;
}

export class WrenError extends Error {
  override readonly name = "WrenError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly isRetryable: boolean;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly provenance: ErrorProvenance | undefined;

  constructor(code: ErrorCode, message: string, options: WrenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.isRetryable = options.isRetryable ?? false;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    this.details = options.details;
    this.provenance = options.provenance;
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
  /** Structured facts for the edges (a prompt's token count and the context's, a bad `param`). */
  details?: Record<string, unknown>;
  provenance?: ErrorProvenance;
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


const CONTEXT_HINT = "Shorten the prompt (messages, system text, tool definitions), or ask for a larger context with num_ctx / x-wren-context-length.";

/**
 * Failures of the libraries wren calls that are the caller's fault, by what they mean. Input that
 * slipped past the edge's checks (deep nesting reaching recursive code, a prompt the context cannot
 * hold) must still answer as a client fault, never as `internal`.
 */
const knownFailures: Array<{ test: (error: Error) => boolean; make: (error: Error) => WrenError }> = [
  {
    // Node's HTTP server, when the client went away while its body was being read.
    test: (e) => e.message === "aborted" && (e as { code?: unknown }).code === "ECONNRESET",
    make: (e) => new WrenError("aborted", "The client closed the connection before its request was read.", { cause: e }),
  },
  {
    // Recursion in a schema compiler, a chat template or JSON.stringify ran out of stack.
    test: (e) => e instanceof RangeError && /Maximum call stack size exceeded/i.test(e.message),
    make: (e) =>
      new WrenError("bad_request", "The request is nested too deeply to process.", {
        cause: e,
        hint: `Flatten tool schemas, tool arguments and response formats to at most ${MAX_JSON_DEPTH} levels of nesting.`,
      }),
  },
  {
    // node-llama-cpp's JSON-schema grammar compiler.
    test: (e) => /Maximum nesting scope exceeded/i.test(e.message),
    make: (e) =>
      new WrenError("bad_request", `The JSON schema cannot be turned into a grammar: ${e.message}`, {
        cause: e,
        hint: `Use a schema without circular references, at most ${MAX_JSON_DEPTH} levels deep.`,
      }),
  },
  {
    // node-llama-cpp rejects function names its chat templates cannot carry.
    test: (e) => /^Function name .*(reserved|contains spaces|cannot be an empty string)/i.test(e.message),
    make: (e) =>
      new WrenError("bad_request", `A tool name is not allowed: ${e.message}.`, {
        cause: e,
        hint: "Name tools with 1 to 64 letters, digits, underscores or hyphens.",
      }),
  },
  {
    // node-llama-cpp's context shift, completion and embedding paths, when the input cannot fit.
    test: (e) =>
      /Failed to compress chat history|context size is too small|is longer than the (usable )?context size|input length exceed the context size|history that fits the context size|too long to fit into the context/i.test(
        e.message,
      ),
    make: (e) => new WrenError("context_overflow", `The prompt does not fit the model's context: ${e.message}`, { cause: e, hint: CONTEXT_HINT }),
  },
];

/**
 * Any thrown value as a WrenError: the one classifier every edge uses. Known library failures that
 * the caller caused become their client-fault code; anything else becomes `internal` with the
 * original as cause.
 */
export function toWrenError(value: unknown): WrenError {
  if (value instanceof WrenError) return value;
  if (isAbortError(value)) return new WrenError("aborted", "The request was cancelled.", { cause: value });
  if (value instanceof Error) {
    const known = knownFailures.find((k) => k.test(value));
    if (known) return known.make(value);
  }
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
  if (error.details !== undefined) out.details = error.details;
  if (error.provenance !== undefined) out.provenance = error.provenance;
  return out;
}

export function deserializeError(error: SerializedError): WrenError {
  return new WrenError(error.code, error.message, {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.isRetryable === undefined ? {} : { isRetryable: error.isRetryable }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.provenance === undefined ? {} : { provenance: error.provenance }),
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
  method_not_allowed: 405,
  internal: 500,
};

export function httpStatusOf(error: WrenError): number {
  return error.status ?? statusByCode[error.code];
}

/** The HTTP status of an error code (499 for `aborted`, a client gone). */
export function httpStatusOfCode(code: ErrorCode): number {
  return statusByCode[code];
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
