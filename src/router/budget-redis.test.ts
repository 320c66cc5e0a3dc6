import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../test/helpers/redis-server.js";
import { isWrenError } from "../shared/errors.js";
import { Budgets } from "./budget.js";
import { RedisStateStore } from "./state/redis-store.js";

const clock = { now: () => Date.parse("2026-11-30T10:00:00Z") };

// Debian's redis-server, as the other shared-state tests use; CI installs it (.ci/run).
describe('budgets of each key\'s own (key = "*") shared by two replicas through Redis', () => {
  let redis: RedisServer;
  const stores: RedisStateStore[] = [];
  const open = async (): Promise<RedisStateStore> => {
    const store = await RedisStateStore.connect({ url: redis.url, keyPrefix: "budget-test:", timeoutMs: 5_000 });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.close();
  });

  it("counts each key's spend in a counter of its own, whichever replica takes the request", async () => {
    const limits = [{ usd: 1, period: "day" as const, key: "*" }];
    const a = new Budgets(limits, await open(), clock);
    const b = new Budgets(limits, await open(), clock);
    expect(isWrenError(await a.reserve({ provider: "openai", keyId: "alice" }, 0.75))).toBe(false);
    // Replica b sees what a counted for alice, and refuses her...
    const refused = await b.reserve({ provider: "openai", keyId: "alice" }, 0.5);
    expect(isWrenError(refused) && refused.message).toContain("client key 'alice' (day:*@*, each key's own) of $1 ($0.7500 spent)");
    // ...while bob's allowance is whole on either.
    expect(isWrenError(await b.reserve({ provider: "openai", keyId: "bob" }, 0.75))).toBe(false);
    expect(isWrenError(await a.reserve({ provider: "openai", keyId: "bob" }, 0.25))).toBe(false);
    // A request without a key is counted nowhere.
    expect(isWrenError(await a.reserve({ provider: "openai" }, 5))).toBe(false);

    // In Redis: one counter per key id, under the store's prefix.
    const store = await open();
    expect(await store.get("budget:day:*@alice:2026-11-30")).toBe(0.75);
    expect(await store.get("budget:day:*@bob:2026-11-30")).toBe(1);
    expect(await store.get("budget:day:*@*:2026-11-30")).toBe(0);
    expect(await store.get("budget:day:*@anonymous:2026-11-30")).toBe(0);
    // Each replica lists the keys it counted; asked about both, either shows the shared counters.
    expect((await b.status(["alice"])).map((s) => [s.key, s.spentUsd])).toEqual([
      ["alice", 0.75],
      ["bob", 1],
    ]);
  });
});
