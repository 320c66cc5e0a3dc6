import type { WrenError } from "../shared/errors.js";

export type FailureKind =
  | "rate-limited"
  | "server"
  | "timeout"
  | "connection"
  | "malformed"
  | "auth"
  | "client"
  | "context"
  | "not-ready"
  | "aborted"
  | "other";

export interface Failure {
  kind: FailureKind;
  status?: number;
  /** Another attempt on the same target may help (after a backoff). */
  retrySame: boolean;
  /** The failure says the target is unwell: it counts toward its circuit breaker. */
  countsAgainstTarget: boolean;
  /** Milliseconds the upstream asked us to wait. */
  retryAfterMs?: number;
}

/** Sorts a failure into what the router should do about it. */
export function classifyFailure(error: WrenError): Failure {
  const base = {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfter === undefined ? {} : { retryAfterMs: error.retryAfter * 1000 }),
  };
  switch (error.code) {
    case "aborted":
      return { kind: "aborted", retrySame: false, countsAgainstTarget: false, ...base };
    case "rate_limited":
      // A quota that is spent (OpenAI's `insufficient_quota`) no wait restores: not retried here.
      return { kind: "rate-limited", retrySame: error.details?.["quota"] !== "spent", countsAgainstTarget: true, ...base };
    case "overloaded":
      return { kind: "rate-limited", retrySame: true, countsAgainstTarget: true, ...base };
    case "timeout":
      return { kind: "timeout", retrySame: true, countsAgainstTarget: true, ...base };
    case "network_error":
      return { kind: "connection", retrySame: true, countsAgainstTarget: true, ...base };
    case "upstream_error":
      if (error.status === undefined) return { kind: "malformed", retrySame: true, countsAgainstTarget: true, ...base };
      return { kind: "server", retrySame: true, countsAgainstTarget: true, ...base };
    case "unauthorized":
    case "forbidden":
      return { kind: "auth", retrySame: false, countsAgainstTarget: false, ...base };
    case "context_overflow":
    case "payload_too_large":
      return { kind: "context", retrySame: false, countsAgainstTarget: false, ...base };
    case "not_ready":
    case "model_load_failed":
      return { kind: "not-ready", retrySame: false, countsAgainstTarget: false, ...base };
    case "bad_request":
    case "model_not_found":
    case "unsupported":
      return { kind: "client", retrySame: false, countsAgainstTarget: false, ...base };
    default:
      return { kind: "other", retrySame: error.isRetryable, countsAgainstTarget: error.isRetryable, ...base };
  }
}
