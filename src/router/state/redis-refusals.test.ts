import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../../test/helpers/redis-server.js";
import { RedisStateStore, type RedisStatus } from "./redis-store.js";

/** Long enough that no counter expires while a test runs. */
const hour = 3_600_000;

/** The error a store call fails with. */
async function failure(call: Promise<unknown>): Promise<{ code: string; message: string; hint: string; isRetryable: boolean }> {
  return (await call.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => error,
  )) as { code: string; message: string; hint: string; isRetryable: boolean };
}

// A Redis that answers with an error is reachable: saying "unreachable" sends the user to debug the
// network. Each case below is a real redis-server set up to give that error.
describe("a Redis that answers with an error reply is reported as what it said, with what to do", () => {
  let redis: RedisServer;
  let admin: ReturnType<typeof createClient>;
  const stores: RedisStateStore[] = [];
  const open = async (url = redis.url, prefix = "t:"): Promise<{ store: RedisStateStore; events: RedisStatus[] }> => {
    const events: RedisStatus[] = [];
    const store = await RedisStateStore.connect({ url, keyPrefix: prefix, timeoutMs: 5_000, onStatus: (e) => events.push(e) });
    stores.push(store);
    return { store, events };
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    admin?.destroy();
    await redis?.close();
  });

  it("WRONGTYPE: a key under the prefix holds another type (another program shares the prefix)", async () => {
    const { store, events } = await open(redis.url, "wt:");
    await admin.lPush("wt:rate:alice:1", "x");
    const error = await failure(store.addWithin("rate:alice:1", 1, 10, hour));
    expect(error.code).toBe("not_ready");
    expect(error.message).toContain("Redis answered: WRONGTYPE");
    expect(error.message).not.toMatch(/unreachable|script:/);
    expect(error.hint).toContain("state.keyPrefix");
    expect(error.isRetryable).toBe(false);
    expect(events).toEqual([{ up: true }, { up: false, answered: true, error: expect.stringContaining("WRONGTYPE") as string, hint: expect.stringContaining("state.keyPrefix") as string }]);
    // Other keys still work, and the refusal is told once, not once per request.
    expect(await store.add("rate:bob:1", 1, hour)).toBe(1);
    await failure(store.add("rate:alice:1", 1, hour));
    expect(events).toHaveLength(2);
  });

  it("a counter holding something that is not a number is refused, never counted as NaN or as no limit", async () => {
    const { store } = await open(redis.url, "dmg:");
    await admin.set("dmg:budget:a", "garbage");
    await admin.set("dmg:budget:b", "inf");
    await admin.set("dmg:budget:c", "nan");
    for (const key of ["budget:a", "budget:b", "budget:c"]) {
      for (const call of [store.addWithin(key, 1, 10, hour), store.add(key, 1, hour), store.get(key)]) {
        const error = await failure(call);
        expect(error.message).toContain(`counter dmg:${key} does not hold a number`);
        expect(error.hint).toContain("state.keyPrefix");
      }
    }
  });

  it("NOAUTH: the server wants a password that state.redis does not give", async () => {
    await admin.configSet("requirepass", "s3cret");
    try {
      const { store, events } = await open();
      const error = await failure(store.add("n", 1, hour));
      expect(error.message).toContain("Redis answered: NOAUTH");
      expect(error.message).not.toContain("unreachable");
      expect(error.hint).toContain("state.redis (redis://:password@host:6379");
      expect(events.some((e) => e.answered && e.error?.includes("NOAUTH"))).toBe(true);
      expect(events.some((e) => e.error?.includes("not reachable"))).toBe(false);
      // Once the server takes the connection's commands, that is told, and the store works.
      await admin.sendCommand(["AUTH", "s3cret"]);
      await admin.configSet("requirepass", "");
      expect(await store.add("n", 1, hour)).toBe(1);
      expect(events.at(-1)).toEqual({ up: true });
    } finally {
      await admin.sendCommand(["AUTH", "s3cret"]).catch(() => undefined);
      await admin.configSet("requirepass", "");
    }
  });

  it("WRONGPASS: the password in state.redis is wrong", async () => {
    await admin.configSet("requirepass", "s3cret");
    try {
      const { store, events } = await open(redis.url.replace("redis://", "redis://:wrong@"));
      const error = await failure(store.add("w", 1, hour));
      expect(error.message).toContain("Redis answered: WRONGPASS");
      expect(error.message).not.toContain("unreachable");
      expect(error.hint).toContain("user name and password in state.redis");
      expect(events.some((e) => e.answered && e.error?.includes("WRONGPASS"))).toBe(true);
      expect(events.some((e) => e.error?.includes("not reachable"))).toBe(false);
    } finally {
      await admin.sendCommand(["AUTH", "s3cret"]);
      await admin.configSet("requirepass", "");
    }
  });

  it("NOPERM: the ACL user may not run wren's scripts", async () => {
    await admin.sendCommand(["ACL", "SETUSER", "limited", "on", ">pw", "~*", "+@all", "-eval"]);
    const { store } = await open(redis.url.replace("redis://", "redis://limited:pw@"));
    const error = await failure(store.add("p", 1, hour));
    expect(error.message).toContain("Redis answered: NOPERM");
    expect(error.hint).toContain("allow it EVAL");
  });

  it("OOM: the server is at its maxmemory; once it has room again, that is told too", async () => {
    const { store, events } = await open(redis.url, "oom:");
    await admin.configSet({ "maxmemory-policy": "noeviction", maxmemory: "1" });
    try {
      const error = await failure(store.add("o", 1, hour));
      expect(error.message).toContain("Redis answered: OOM");
      expect(error.hint).toContain("maxmemory");
      expect(error.isRetryable).toBe(true);
      // Reads still work at maxmemory (a /metrics scrape, say) and end nothing: the refusal is told once.
      for (let i = 0; i < 3; i++) {
        expect(await store.get("o")).toBe(0);
        await failure(store.add("o", 1, hour));
      }
    } finally {
      await admin.configSet("maxmemory", "0");
    }
    expect(await store.add("o", 1, hour)).toBe(1);
    expect(events.map((e) => (e.answered ? `refused ${e.error?.split(" ")[2]}` : e.up ? "up" : "down"))).toEqual(["up", "refused OOM", "up"]);
  });

  it("READONLY: state.redis points at a replica", async () => {
    await using replica = await startRedisServer();
    const setup = createClient({ url: replica.url });
    await setup.connect();
    await setup.sendCommand(["REPLICAOF", "127.0.0.1", String(redis.port)]);
    setup.destroy();
    const { store } = await open(replica.url);
    try {
      const error = await failure(store.add("r", 1, hour));
      expect(error.message).toContain("Redis answered: READONLY");
      expect(error.hint).toContain("read-only replica: point it at the primary");
    } finally {
      await store.close();
    }
  });
});

// Two deployments on one Redis server must not count each other's budgets, rate limits and
// breakers: a default prefix that every deployment shares would mix them without a word.
describe("the key prefix names the deployment", () => {
  it("is required: without one the store refuses to start, saying what to set", async () => {
    await using redis = await startRedisServer();
    const error = await RedisStateStore.connect({ url: redis.url }).then(
      async (store) => {
        await store.close();
        return expect.unreachable("connected without a key prefix");
      },
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(error.code).toBe("config_invalid");
    expect(error.message).toContain("state.keyPrefix");
    expect(error.hint).toContain('keyPrefix = "wren:"');
  });

  it("keeps the servers of one deployment together and two deployments apart", async () => {
    await using redis = await startRedisServer();
    const open = (keyPrefix: string) => RedisStateStore.connect({ url: redis.url, keyPrefix });
    const [prodA, prodB, staging] = await Promise.all([open("prod:"), open("prod:"), open("staging:")]);
    try {
      await prodA.add("budget:day", 0.5, hour);
      expect(await prodB.get("budget:day")).toBe(0.5);
      expect(await staging.get("budget:day")).toBe(0);
      await prodA.breakers.failure("openai:gpt", "A", { threshold: 1, windowMs: hour, cooldownMs: hour });
      expect(await prodB.breakers.admit("openai:gpt", "B", { threshold: 1, windowMs: hour, cooldownMs: hour })).toBe("open");
      expect(await staging.breakers.admit("openai:gpt", "C", { threshold: 1, windowMs: hour, cooldownMs: hour })).toBe("closed");
    } finally {
      for (const store of [prodA, prodB, staging]) await store.close();
    }
  });
});
