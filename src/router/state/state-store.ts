/** The result of a bounded add: whether it was applied, and the counter's value after it (or as it stands, when refused). */
export interface BoundedAdd {
  ok: boolean;
  value: number;
}

/** What {@link BreakerStore.admit} found: `closed` and `probe` let the request through. */
export type BreakerAdmission = "closed" | "probe" | "open" | "probing";

/** A circuit breaker's thresholds, as the store applies them. */
export interface BreakerLimits {
  /** Failures within `windowMs` that open the circuit. */
  threshold: number;
  windowMs: number;
  /** How long the circuit stays open before one probe may go. */
  cooldownMs: number;
}

/**
 * How long the store holds a half-open probe without word from its holder: the cooldown, and at
 * least a second (so renewing it costs the store a few calls a second at most). A probe may rightly
 * take far longer (a silent teacher is waited for up to its `idleMs` or `nonStreamedMs`; a stream
 * that flows has no bound), so its holder renews the hold while the probe is out
 * ({@link BreakerStore.renew}, every third of this); should its replica go away, the target is
 * free to probe again one lease later.
 */
export function probeLeaseMs(limits: BreakerLimits): number {
  return Math.max(Math.ceil(limits.cooldownMs), 1_000);
}

/**
 * Circuit breakers that every replica sees: one replica's failures open the circuit for all, and
 * in half-open exactly one replica's request probes. Each call is one atomic step. `holder` names
 * the breaker (one per replica and target) that takes, reopens or frees the probe.
 */
export interface BreakerStore {
  /**
   * Closed: go. Open: stay away. Half-open: the first caller takes the probe, the others stay away
   * until it ends: the store holds it for {@link probeLeaseMs}, renewed by its holder while it is out.
   */
  admit(key: string, holder: string, limits: BreakerLimits): Promise<BreakerAdmission>;
  /** Holds the probe another {@link probeLeaseMs} if `holder` still has it; false when it does not. */
  renew(key: string, holder: string, limits: BreakerLimits): Promise<boolean>;
  /** A failure that counts against the target: it may open the circuit, and reopens one that is not closed. */
  failure(key: string, holder: string, limits: BreakerLimits): Promise<"closed" | "open">;
  /** A success closes the circuit and forgets the failures. */
  success(key: string): Promise<void>;
  /** A request let through ended without a verdict: frees the probe if `holder` has it. */
  release(key: string, holder: string): Promise<void>;
}

/** A capped log that every replica appends to and reads, newest first. */
export interface SharedLog {
  /** Appends one entry, keeping about the last `maxLength` (older ones are trimmed). */
  append(key: string, entry: string, maxLength: number): Promise<void>;
  /** The last `limit` entries, newest first. */
  read(key: string, limit: number): Promise<string[]>;
}

/**
 * Counters that limits are kept in: rate-limit windows and spend budgets. In-process by default;
 * with `state.redis` set, a Redis server, so every wren replica enforces the same limits (and
 * shares its circuit breakers and decision log).
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
  /**
   * Circuit breakers shared by replicas; absent in the in-process store, where each router keeps
   * its own (as it always has).
   */
  readonly breakers?: BreakerStore;
  /** The decision log shared by replicas; absent in the in-process store. */
  readonly log?: SharedLog;
  close(): Promise<void>;
}
