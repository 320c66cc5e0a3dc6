import type { Failure } from "./classify.js";

/** Retries on one target before moving on. */
export interface RetryOptions {
  /** Extra attempts on the same target for retryable failures. Default 1. */
  maxRetries?: number;
  /** First backoff in ms; doubles each attempt. Default 250. */
  baseDelayMs?: number;
  /** Cap on one backoff in ms. Default 8000. */
  maxDelayMs?: number;
  /** Fraction of the delay drawn at random (0–1), so clients do not retry in step. Default 0.25. */
  jitter?: number;
  /** A `retry-after` longer than this (ms) is not waited for: the router moves to the next target. Default 30000. */
  maxRetryAfterMs?: number;
}

export const defaultRetry: Required<RetryOptions> = {
  maxRetries: 1,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  jitter: 0.25,
  maxRetryAfterMs: 30_000,
};

/**
 * The wait before retry number `attempt` (0-based), or undefined when retrying here is pointless:
 * exponential backoff with jitter, or exactly what `retry-after` asked for.
 */
export function retryDelay(
  failure: Failure,
  attempt: number,
  options: RetryOptions = {},
  random: () => number = Math.random,
): number | undefined {
  const o = { ...defaultRetry, ...options };
  if (!failure.retrySame || attempt >= o.maxRetries) return undefined;
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs > o.maxRetryAfterMs ? undefined : failure.retryAfterMs;
  }
  const exp = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
  return Math.round(exp * (1 - o.jitter + o.jitter * random()));
}
