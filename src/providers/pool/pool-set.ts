import type { PoolOptions } from "./options.js";
import { ReplicaPool } from "./pool.js";
import type { ReplicaSnapshot } from "./replica.js";

/**
 * The pools of one router, by provider name: every `pool:model` target of a pool shares its
 * replicas' counts, health and affinity. The runtime owns it and disposes of it with the router.
 */
export class PoolSet implements Disposable {
  private readonly pools = new Map<string, ReplicaPool>();

  /**
   * `checkOffMachine`: whether a pool whose replicas are off this machine may be health-checked in
   * the background, a check being a request that leaves the machine (with the pool's key). The
   * runtime passes whether cloud use is allowed. Default true.
   */
  constructor(private readonly setup: { checkOffMachine?: boolean } = {}) {}

  /**
   * The pool named `options.name`, made (and its health checks started) on first use. A pool off
   * this machine (`leavesMachine`) that may not be checked runs without background checks, as with
   * `health.intervalMs = 0` (so failed requests do not eject a replica that nothing would admit again).
   */
  get(options: PoolOptions, leavesMachine = false): ReplicaPool {
    let pool = this.pools.get(options.name);
    if (!pool) {
      const unchecked = leavesMachine && this.setup.checkOffMachine === false;
      pool = new ReplicaPool(unchecked ? { ...options, health: { ...options.health, intervalMs: 0 } } : options);
      this.pools.set(options.name, pool);
      pool.start();
    }
    return pool;
  }

  /** One round of health checks of every pool now (`wren router check`, tests). */
  async checkNow(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.checkNow()));
  }

  /** Every pool's replicas, for `/metrics`. */
  snapshot(): Array<{ pool: string; replicas: ReplicaSnapshot[] }> {
    return [...this.pools.values()].map((pool) => ({ pool: pool.name, replicas: pool.snapshot() }));
  }

  [Symbol.dispose](): void {
    for (const pool of this.pools.values()) pool[Symbol.dispose]();
    this.pools.clear();
  }
}
