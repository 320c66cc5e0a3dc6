import type { Clock } from "../clock.js";
import type { BoundedAdd, StateStore } from "./state-store.js";

interface Counter {
  value: number;
  expiresAt: number;
}

/** How often, at most, the store drops expired counters of keys no one asks about again. */
const SWEEP_MS = 1000;

/** The default store: counters in this process, as before replicas could share them. */
export class MemoryStateStore implements StateStore {
  readonly kind = "memory";
  private readonly counters = new Map<string, Counter>();
  private sweptAt = -Infinity;

  constructor(private readonly clock: Pick<Clock, "now">) {}

  private live(key: string): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.expiresAt <= this.clock.now()) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private create(key: string, ttlMs: number): Counter {
    // Expired counters of other keys go too, so old windows and periods do not pile up; once a
    // second at most: every new client (anyone may send any key where none is required) makes a
    // counter, and a sweep per counter made the window's n-th new client cost n steps.
    const now = this.clock.now();
    if (now - this.sweptAt >= SWEEP_MS || now < this.sweptAt) {
      this.sweptAt = now;
      for (const [k, c] of this.counters) if (c.expiresAt <= now) this.counters.delete(k);
    }
    const counter = { value: 0, expiresAt: now + ttlMs };
    this.counters.set(key, counter);
    return counter;
  }

  addWithin(key: string, amount: number, limit: number, ttlMs: number): Promise<BoundedAdd> {
    const counter = this.live(key);
    const value = counter?.value ?? 0;
    if (value + amount > limit) return Promise.resolve({ ok: false, value });
    const target = counter ?? this.create(key, ttlMs);
    target.value += amount;
    return Promise.resolve({ ok: true, value: target.value });
  }

  add(key: string, amount: number, ttlMs: number): Promise<number> {
    const counter = this.live(key) ?? this.create(key, ttlMs);
    counter.value += amount;
    return Promise.resolve(counter.value);
  }

  get(key: string): Promise<number> {
    return Promise.resolve(this.live(key)?.value ?? 0);
  }

  close(): Promise<void> {
    this.counters.clear();
    return Promise.resolve();
  }
}
