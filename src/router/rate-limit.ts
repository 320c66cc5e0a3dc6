import { WrenError } from "../shared/errors.js";
import type { Clock } from "./clock.js";
import type { StateStore } from "./state/state-store.js";

/** Requests one client may make per window. */
export interface RateLimitOptions {
  /** Requests per window per client key (all clients without a key share one). */
  requests: number;
  /** The window, ms. Default 60000. */
  windowMs?: number;
  /** Requests per window of a client key by its id, instead of `requests`. Default: none. */
  keys?: Record<string, number>;
}

/**
 * Fixed-window request counting per client over a state store: with Redis, every replica counts
 * into the same window, so a client gets `requests` per window from the deployment, not from each
 * replica.
 */
export class RateLimiter {
  private readonly windowMs: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly store: StateStore,
    private readonly clock: Pick<Clock, "now">,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Counts one request of the client with key id `keyId`; the error to answer with when it is over its limit. */
  async admit(keyId: string): Promise<WrenError | undefined> {
    const now = this.clock.now();
    const window = Math.floor(now / this.windowMs);
    const resetsAt = (window + 1) * this.windowMs;
    const own = Object.hasOwn(this.options.keys ?? {}, keyId) ? this.options.keys?.[keyId] : undefined;
    const requests = own ?? this.options.requests;
    const result = await this.store.addWithin(`rate:${keyId}:${window}`, 1, requests, resetsAt - now + 1_000);
    if (result.ok) return undefined;
    const whose = own === undefined ? "this API key" : `client key '${keyId}'`;
    return new WrenError("rate_limited", `Rate limit reached: ${requests} requests per ${this.windowMs / 1000} s for ${whose}.`, {
      hint: `Wait for retry-after seconds, or raise router.rateLimit.${own === undefined ? "requests" : `keys.${keyId}`} in the server's config.`,
      retryAfter: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
    });
  }
}
