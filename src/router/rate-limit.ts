import { WrenError } from "../shared/errors.js";
import type { Clock } from "./clock.js";
import type { StateStore } from "./state/state-store.js";

/** Requests one client may make per window. */
export interface RateLimitOptions {
  /** Requests per window per client key (all clients without a key share one). */
  requests: number;
  /** The window, ms. Default 60000. */
  windowMs?: number;
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

  /** Counts one request of `client`; the error to answer with when it is over the limit. */
  async admit(client: string): Promise<WrenError | undefined> {
    const now = this.clock.now();
    const window = Math.floor(now / this.windowMs);
    const resetsAt = (window + 1) * this.windowMs;
    const result = await this.store.addWithin(`rate:${client}:${window}`, 1, this.options.requests, resetsAt - now + 1_000);
    if (result.ok) return undefined;
    return new WrenError("rate_limited", `Rate limit reached: ${this.options.requests} requests per ${this.windowMs / 1000} s for this API key.`, {
      hint: "Wait for retry-after seconds, or raise router.rateLimit.requests in the server's config.",
      retryAfter: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
    });
  }
}
