import { describe, expect, it } from "vitest";
import { startRedisServer } from "../../test/helpers/redis-server.js";
import { DecisionLog, type Decision } from "./decisions.js";
import { SharedDecisionLog } from "./shared-decisions.js";
import { RedisStateStore } from "./state/redis-store.js";

const decision = (id: number, route: string): Decision => ({
  id,
  at: "2026-11-30T12:00:00.000Z",
  route,
  requestedModel: "auto",
  provider: "openai",
  model: "gpt",
  reason: "primary",
  outcome: "ok",
  attempts: [{ target: "openai:gpt", outcome: "ok", ms: 3 }],
  costUsd: 0,
  ms: 3,
});

describe("the decision log replicas share through a real Redis server", () => {
  it("lists both replicas' decisions on either, skips what no replica wrote, and shows its own while Redis is gone", async () => {
    const redis = await startRedisServer();
    const storeA = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:" });
    const storeB = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:" });
    try {
      const logA = new DecisionLog();
      const logB = new DecisionLog();
      const a = new SharedDecisionLog(logA, storeA.log, { replica: "host-a:1", maxLength: 100 });
      const b = new SharedDecisionLog(logB, storeB.log, { replica: "host-b:2", maxLength: 100 });
      a.attach();
      b.attach();
      logA.record(decision(1, "first"));
      // Written by something else under the same prefix: not JSON, and JSON of the wrong shape.
      await storeA.log.append("decisions", "not json", 100);
      await storeA.log.append("decisions", JSON.stringify({ id: "x" }), 100);
      logB.record(decision(1, "second"));
      await expect.poll(async () => (await a.list()).length, { timeout: 30_000 }).toBe(2);
      for (const shared of [a, b]) {
        expect((await shared.list()).map((d) => [d.route, d.replica])).toEqual([
          ["second", "host-b:2"],
          ["first", "host-a:1"],
        ]);
      }
      expect(a.stats().requests).toBe(1);

      await redis.close();
      expect((await b.list()).map((d) => [d.route, d.replica])).toEqual([["second", "host-b:2"]]);
    } finally {
      await storeA.close();
      await storeB.close();
      await redis.close();
    }
  });
});
