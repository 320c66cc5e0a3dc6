import { randomUUID } from "node:crypto";
import { breakerLimits, type Breaker, type CircuitBreaker, type CircuitBreakerOptions, type Pass } from "./circuit-breaker.js";
import { probeLeaseMs, type BreakerStore } from "./state/state-store.js";

/**
 * A target's breaker shared by every replica through a state store (Redis): failures through any
 * replica count toward opening it, all replicas then skip the target, and after the cooldown one
 * request across all of them probes it.
 *
 * While the store cannot be reached, the replica's own in-process breaker decides (it is kept up
 * to date with this replica's outcomes all along): a breaker is a protection, not a limit, so
 * each replica guarding itself is the right fallback, where budgets fail closed.
 *
 * The probe this replica takes is held in the store for a short lease, renewed while the probe is
 * out: it may wait on a silent teacher as long as its timeouts allow (minutes), and no other
 * replica may probe meanwhile; should this replica go away, the lease soon frees the target.
 */
export class SharedCircuitBreaker implements Breaker {
  /** Names this replica's breaker in the store: the one holding the probe. */
  private readonly holder = randomUUID();
  private readonly limits: ReturnType<typeof breakerLimits>;
  /** The pass of the probe this replica has out, if any. */
  private probe: Pass | undefined;
  /** Renews the hold on that probe. */
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: BreakerStore,
    private readonly key: string,
    options: CircuitBreakerOptions,
    private readonly own: CircuitBreaker,
  ) {
    this.limits = breakerLimits(options);
  }

  async admit(): Promise<Pass | undefined> {
    try {
      const admission = await this.store.admit(this.key, this.holder, this.limits);
      if (admission === "closed") return { probe: false };
      if (admission !== "probe") return undefined;
      this.holdProbe();
      this.probe = { probe: true };
      return this.probe;
    } catch {
      return this.own.tryAcquire();
    }
  }

  async succeeded(): Promise<void> {
    this.endProbe();
    this.own.onSuccess();
    await this.store.success(this.key).catch(() => undefined);
  }

  async failed(pass: Pass): Promise<void> {
    this.own.onFailure(pass);
    // Only the probe's own end frees it: another request's failure reopens the circuit, and the probe stays the only one.
    const holder = pass === this.probe ? this.holder : "";
    if (pass === this.probe) this.endProbe();
    await this.store.failure(this.key, holder, this.limits).catch(() => undefined);
  }

  async released(pass: Pass): Promise<void> {
    this.own.release(pass);
    if (pass !== this.probe) return;
    this.endProbe();
    await this.store.release(this.key, this.holder).catch(() => undefined);
  }

  private holdProbe(): void {
    this.stopRenewing();
    const renew = async () => {
      const held = await this.store.renew(this.key, this.holder, this.limits).catch(() => true);
      // Taken from it (the circuit closed, or the lease ran out while the store was away): nothing left to hold.
      if (!held && this.renewal === renewal) this.stopRenewing();
    };
    const renewal = setInterval(() => void renew(), probeLeaseMs(this.limits) / 3);
    // The probe's request keeps the process alive, not its renewal.
    renewal.unref();
    this.renewal = renewal;
  }

  private stopRenewing(): void {
    clearInterval(this.renewal);
    this.renewal = undefined;
  }

  private endProbe(): void {
    this.stopRenewing();
    this.probe = undefined;
  }
}
