import type { Clock } from "./clock.js";

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Sliding window for counting failures, ms. Default 60000. */
  windowMs?: number;
  /** How long the circuit stays open before one probe is let through, ms. Default 30000. */
  cooldownMs?: number;
}

export type CircuitState = "closed" | "open" | "half-open";

/** The options with their defaults filled in. */
export function breakerLimits(options: CircuitBreakerOptions = {}): { threshold: number; windowMs: number; cooldownMs: number } {
  return { threshold: options.failureThreshold ?? 5, windowMs: options.windowMs ?? 60_000, cooldownMs: options.cooldownMs ?? 30_000 };
}

/**
 * A request let through a breaker, handed back with how it ended: only the probe's own end frees
 * the half-open probe (a request let through before the circuit opened may end while it is out).
 */
export interface Pass {
  /** True for the half-open probe. */
  readonly probe: boolean;
}

/**
 * A target's breaker as the router uses it: in this process ({@link CircuitBreaker}) or shared by
 * replicas through a state store (`SharedCircuitBreaker`).
 */
export interface Breaker {
  /** A pass when a request may go to the target now (in half-open, only the first caller's); undefined otherwise. */
  admit(): Promise<Pass | undefined>;
  succeeded(): Promise<void>;
  /** A failure that counts against the target. */
  failed(pass: Pass): Promise<void>;
  /** A request that was let through ended without a verdict on the target (e.g. the client cancelled). */
  released(pass: Pass): Promise<void>;
}

const closedPass: Pass = { probe: false };

/**
 * One target's breaker: it opens after N failures in a window, skips the target while open, lets
 * a single probe through after the cooldown (half-open), and closes when that probe succeeds.
 */
export class CircuitBreaker implements Breaker {
  private failures: number[] = [];
  private openedAt: number | undefined;
  /** The half-open probe's pass while it is out. */
  private probe: Pass | undefined;
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;

  constructor(
    private readonly clock: Clock,
    options: CircuitBreakerOptions = {},
  ) {
    const limits = breakerLimits(options);
    this.threshold = limits.threshold;
    this.windowMs = limits.windowMs;
    this.cooldownMs = limits.cooldownMs;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return "closed";
    return this.clock.now() - this.openedAt >= this.cooldownMs ? "half-open" : "open";
  }

  /** A pass when a request may go to the target now (in half-open, only the first caller's); undefined otherwise. */
  tryAcquire(): Pass | undefined {
    const state = this.state;
    if (state === "closed") return closedPass;
    if (state === "open" || this.probe) return undefined;
    this.probe = { probe: true };
    return this.probe;
  }

  onSuccess(): void {
    this.failures = [];
    this.openedAt = undefined;
    this.probe = undefined;
  }

  /** A failure of the request `pass` let through (or of one let through elsewhere: a replica's own breaker is told of its requests through a shared one). */
  onFailure(pass?: Pass): void {
    const now = this.clock.now();
    if (this.state !== "closed") {
      // Opens again; a probe still out stays the only one.
      this.openedAt = now;
      this.release(pass);
      return;
    }
    this.failures = this.failures.filter((t) => now - t < this.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.threshold) {
      this.openedAt = now;
      this.failures = [];
    }
  }

  /** A request that was let through ended without a verdict on the target (e.g. the client cancelled). */
  release(pass?: Pass): void {
    if (pass !== undefined && pass === this.probe) this.probe = undefined;
  }

  admit(): Promise<Pass | undefined> {
    return Promise.resolve(this.tryAcquire());
  }

  succeeded(): Promise<void> {
    this.onSuccess();
    return Promise.resolve();
  }

  failed(pass: Pass): Promise<void> {
    this.onFailure(pass);
    return Promise.resolve();
  }

  released(pass: Pass): Promise<void> {
    this.release(pass);
    return Promise.resolve();
  }
}
