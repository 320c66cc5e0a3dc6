import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit.js";
import { MemoryStateStore } from "./state/memory-store.js";

describe("RateLimiter over the in-process store", () => {
  it("lets each client make `requests` per window, says when the window ends, and starts again in the next", async () => {
    let now = Date.parse("2026-11-30T10:00:10Z");
    const clock = { now: () => now };
    const limiter = new RateLimiter({ requests: 2, windowMs: 60_000 }, new MemoryStateStore(clock), clock);
    expect(await limiter.admit("a")).toBeUndefined();
    expect(await limiter.admit("a")).toBeUndefined();
    const refused = await limiter.admit("a");
    expect(refused?.code).toBe("rate_limited");
    expect(refused?.message).toBe("Rate limit reached: 2 requests per 60 s for this API key.");
    expect(refused?.retryAfter).toBe(50);
    // Another client has its own count.
    expect(await limiter.admit("b")).toBeUndefined();
    now = Date.parse("2026-11-30T10:01:00Z");
    expect(await limiter.admit("a")).toBeUndefined();
  });
});

describe("RateLimiter with a limit of its own for a client key", () => {
  it("gives that key its own number per window, names it when refused, and leaves the others on the default", async () => {
    const clock = { now: () => Date.parse("2026-11-30T10:00:00Z") };
    const limiter = new RateLimiter({ requests: 1, windowMs: 60_000, keys: { ci: 3 } }, new MemoryStateStore(clock), clock);
    for (let i = 0; i < 3; i += 1) expect(await limiter.admit("ci")).toBeUndefined();
    const refused = await limiter.admit("ci");
    expect(refused?.message).toBe("Rate limit reached: 3 requests per 60 s for client key 'ci'.");
    expect(refused?.hint).toContain("router.rateLimit.keys.ci");
    expect(await limiter.admit("alice")).toBeUndefined();
    expect((await limiter.admit("alice"))?.message).toBe("Rate limit reached: 1 requests per 60 s for this API key.");
    // A key id that is a property of every object is no configured key.
    expect(await limiter.admit("constructor")).toBeUndefined();
    expect(await limiter.admit("constructor")).toBeDefined();
  });
});

describe("RateLimiter over the in-process store, with many clients", () => {
  it("counts a new client's first request in constant time, however many others the window holds", async () => {
    const clock = { now: () => Date.parse("2026-11-30T10:00:00Z") };
    const limiter = new RateLimiter({ requests: 5, windowMs: 60_000 }, new MemoryStateStore(clock), clock);
    // Anyone may send any key where none is required: each is a client with a counter of its own.
    const started = performance.now();
    for (let i = 0; i < 30_000; i += 1) await limiter.admit(`k${i}`);
    // Each took a sweep over every counter before (some 5 s here); now about 30 ms in all.
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
