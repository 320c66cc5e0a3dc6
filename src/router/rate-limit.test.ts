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
