/** The result of a bounded add: whether it was applied, and the counter's value after it (or as it stands, when refused). */
export interface BoundedAdd {
  ok: boolean;
  value: number;
}

/**
 * Counters that limits are kept in: rate-limit windows and spend budgets. In-process by default;
 * with `state.redis` set, a Redis server, so every wren replica enforces the same limits.
 * Every counter expires `ttlMs` after it is created (a window or budget period ends).
 */
export interface StateStore {
  /** Where the state lives, for logs and `wren router stats`: `memory` or `redis`. */
  readonly kind: "memory" | "redis";
  /**
   * Adds `amount` to the counter at `key` unless the sum would pass `limit`, in one atomic step:
   * two replicas can never both take the last of a limit.
   */
  addWithin(key: string, amount: number, limit: number, ttlMs: number): Promise<BoundedAdd>;
  /** Adds `amount` (which may be negative: a reservation settled for less) without a bound. */
  add(key: string, amount: number, ttlMs: number): Promise<number>;
  /** The counter's value; 0 when it does not exist or has expired. */
  get(key: string): Promise<number>;
  close(): Promise<void>;
}
