import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../../test/helpers/redis-server.js";
import { RedisStateStore } from "./redis-store.js";
import { probeLeaseMs, type BreakerLimits } from "./state-store.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Long enough that nothing in a test outlives it by accident. */
const hour = 3_600_000;

describe("circuit breakers in Redis, as two replicas (two connections) see them", () => {
  let redis: RedisServer;
  let a: RedisStateStore;
  let b: RedisStateStore;
  let n = 0;
  /** A fresh breaker key per test, so no test sees another's state. */
  const key = () => `openai:gpt-${++n}`;

  beforeAll(async () => {
    redis = await startRedisServer();
    a = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:" });
    b = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:" });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.close();
  });

  it("failures through either replica count toward one threshold; once open, both stay away", async () => {
    const k = key();
    const limits: BreakerLimits = { threshold: 3, windowMs: hour, cooldownMs: hour };
    expect(await a.breakers.failure(k, "A", limits)).toBe("closed");
    expect(await b.breakers.failure(k, "B", limits)).toBe("closed");
    expect(await a.breakers.admit(k, "A", limits)).toBe("closed");
    expect(await a.breakers.failure(k, "A", limits)).toBe("open");
    expect(await a.breakers.admit(k, "A", limits)).toBe("open");
    expect(await b.breakers.admit(k, "B", limits)).toBe("open");
  });

  it("a success in between closes and forgets the failures", async () => {
    const k = key();
    const limits: BreakerLimits = { threshold: 2, windowMs: hour, cooldownMs: hour };
    await a.breakers.failure(k, "A", limits);
    await b.breakers.success(k);
    expect(await a.breakers.failure(k, "A", limits)).toBe("closed");
    expect(await b.breakers.admit(k, "B", limits)).toBe("closed");
  });

  it("failures older than the window no longer count", async () => {
    const k = key();
    const limits: BreakerLimits = { threshold: 2, windowMs: 200, cooldownMs: hour };
    await a.breakers.failure(k, "A", limits);
    await sleep(400);
    expect(await b.breakers.failure(k, "B", limits)).toBe("closed");
  });

  it("after the cooldown exactly one replica probes; its success closes the circuit for both", async () => {
    const k = key();
    const limits: BreakerLimits = { threshold: 1, windowMs: hour, cooldownMs: 200 };
    expect(await a.breakers.failure(k, "A", limits)).toBe("open");
    // Once the cooldown is surely over, both ask at once: one probe between them.
    await sleep(400);
    const [fromA, fromB] = await Promise.all([a.breakers.admit(k, "A", limits), b.breakers.admit(k, "B", limits)]);
    expect([fromA, fromB].sort()).toEqual(["probe", "probing"]);
    expect(await a.breakers.admit(k, "A", limits)).toBe("probing");
    await (fromA === "probe" ? a : b).breakers.success(k);
    expect(await a.breakers.admit(k, "A", limits)).toBe("closed");
    expect(await b.breakers.admit(k, "B", limits)).toBe("closed");
  });

  it("a failed probe opens the circuit again for everyone", async () => {
    const k = key();
    await a.breakers.failure(k, "A", { threshold: 1, windowMs: hour, cooldownMs: 200 });
    await sleep(400);
    const limits: BreakerLimits = { threshold: 1, windowMs: hour, cooldownMs: hour };
    expect(await b.breakers.admit(k, "B", limits)).toBe("probe");
    expect(await b.breakers.failure(k, "B", limits)).toBe("open");
    expect(await a.breakers.admit(k, "A", limits)).toBe("open");
    expect(await b.breakers.admit(k, "B", limits)).toBe("open");
  });

  it("a probe that ends without a verdict is freed only by the replica holding it", async () => {
    const k = key();
    const limits: BreakerLimits = { threshold: 1, windowMs: hour, cooldownMs: 200 };
    await a.breakers.failure(k, "A", limits);
    await sleep(400);
    expect(await a.breakers.admit(k, "A", limits)).toBe("probe");
    await b.breakers.release(k, "B");
    expect(await b.breakers.admit(k, "B", limits)).toBe("probing");
    await a.breakers.release(k, "A");
    expect(await b.breakers.admit(k, "B", limits)).toBe("probe");
  });

  it("a probe is held past its lease while its holder renews it (a probe may wait minutes on a silent teacher), and freed once renewals stop (its replica went away)", async () => {
    const k = key();
    const limits: BreakerLimits = { threshold: 1, windowMs: hour, cooldownMs: 200 };
    const lease = probeLeaseMs(limits);
    await a.breakers.failure(k, "A", limits);
    await sleep(400);
    expect(await a.breakers.admit(k, "A", limits)).toBe("probe");
    // Renewed well within each lease, for three leases: B stays away all along.
    for (let i = 0; i < 9; i++) {
      await sleep(lease / 3);
      expect(await a.breakers.renew(k, "A", limits)).toBe(true);
      expect(await b.breakers.admit(k, "B", limits)).toBe("probing");
    }
    // Only the holder renews.
    expect(await b.breakers.renew(k, "B", limits)).toBe(false);
    // No renewal for longer than a lease: the probe is free, and B takes it.
    await sleep(lease * 2);
    expect(await b.breakers.admit(k, "B", limits)).toBe("probe");
    expect(await a.breakers.renew(k, "A", limits)).toBe(false);
  });
});

describe("the decision log in Redis", () => {
  it("keeps the newest entries of every writer, newest first, trimmed to about its length", async () => {
    await using redis = await startRedisServer();
    const a = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:" });
    const b = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:" });
    try {
      for (let i = 0; i < 300; i++) await (i % 2 ? b : a).log.append("decisions", `entry ${i}`, 10);
      expect(await b.log.read("decisions", 3)).toEqual(["entry 299", "entry 298", "entry 297"]);
      // MAXLEN ~ trims whole blocks: about 10 stay, never all 300.
      const all = await a.log.read("decisions", 1000);
      expect(all.length).toBeGreaterThanOrEqual(10);
      expect(all.length).toBeLessThan(300);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
