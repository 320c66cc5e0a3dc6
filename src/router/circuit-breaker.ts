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
 * A target's breaker as the router uses it: in this process ({@link CircuitBreaker}) or shared by
 * replicas through a state store (`SharedCircuitBreaker`).
 */
export interface Breaker {
  /** Whether a request may go to the target now; in half-open, only the first caller gets through. */
  admit(): Promise<boolean>;
  succeeded(): Promise<void>;
  /** A failure that counts against the target. */
  failed(): Promise<void>;
  /** A request that was let through ended without a verdict on the target (e.g. the client cancelled). */
  released(): Promise<void>;
}

/**
 * One target's breaker: it opens after N failures in a window, skips the target while open, lets
 * a single probe through after the cooldown (half-open), and closes when that probe succeeds.
 */
export class CircuitBreaker implements Breaker {
  private failures: number[] = [];
  private openedAt: number | undefined;
  private probing = false;
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

  /** Whether a request may go to the target now; in half-open, only the first caller gets through. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.probing) return false;
    this.probing = true;
    return true;
  }

  onSuccess(): void {
    this.failures = [];
    this.openedAt = undefined;
    this.probing = false;
  }

  onFailure(): void {
    const now = this.clock.now();
    if (this.probing || this.state !== "closed") {
      this.openedAt = now;
      this.probing = false;
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
  release(): void {
    this.probing = false;
  }

  admit(): Promise<boolean> {
    return Promise.resolve(this.tryAcquire());
  }

  succeeded(): Promise<void> {
    this.onSuccess();
    return Promise.resolve();
  }

  failed(): Promise<void> {
    this.onFailure();
    return Promise.resolve();
  }

  released(): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}
