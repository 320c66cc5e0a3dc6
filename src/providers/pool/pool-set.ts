import type { PoolOptions } from "./options.js";
import { ReplicaPool } from "./pool.js";
import type { ReplicaSnapshot } from "./replica.js";

/**
 * The pools of one router, by provider name: every `pool:model` target of a pool shares its
 * replicas' counts, health and affinity. The runtime owns it and disposes of it with the router.
 */
export class PoolSet implements Disposable {
  private readonly pools = new Map<string, ReplicaPool>();

  /** The pool named `options.name`, made (and its health checks started) on first use. */
  get(options: PoolOptions): ReplicaPool {
    let pool = this.pools.get(options.name);
    if (!pool) {
      pool = new ReplicaPool(options);
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
