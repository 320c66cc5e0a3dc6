import { randomUUID } from "node:crypto";
import { breakerLimits, type Breaker, type CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker.js";
import type { BreakerStore } from "./state/state-store.js";

/**
 * A target's breaker shared by every replica through a state store (Redis): failures through any
 * replica count toward opening it, all replicas then skip the target, and after the cooldown one
 * request across all of them probes it.
 *
 * While the store cannot be reached, the replica's own in-process breaker decides (it is kept up
 * to date with this replica's outcomes all along): a breaker is a protection, not a limit, so
 * each replica guarding itself is the right fallback, where budgets fail closed.
 */
export class SharedCircuitBreaker implements Breaker {
  /** Names this replica's breaker in the store: the one holding the probe. */
  private readonly holder = randomUUID();
  private readonly limits: ReturnType<typeof breakerLimits>;

  constructor(
    private readonly store: BreakerStore,
    private readonly key: string,
    options: CircuitBreakerOptions,
    private readonly own: CircuitBreaker,
  ) {
    this.limits = breakerLimits(options);
  }

  async admit(): Promise<boolean> {
    try {
      const admission = await this.store.admit(this.key, this.holder, this.limits);
      return admission === "closed" || admission === "probe";
    } catch {
      return this.own.tryAcquire();
    }
  }

  async succeeded(): Promise<void> {
    this.own.onSuccess();
    await this.store.success(this.key).catch(() => undefined);
  }

  async failed(): Promise<void> {
    this.own.onFailure();
    await this.store.failure(this.key, this.holder, this.limits).catch(() => undefined);
  }

  async released(): Promise<void> {
    this.own.release();
    await this.store.release(this.key, this.holder).catch(() => undefined);
  }
}
