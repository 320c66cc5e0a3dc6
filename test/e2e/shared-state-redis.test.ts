import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { serveReplicas, type ServeProcess as Replica } from "../helpers/serve-replicas.js";
import { teacherEnv } from "../helpers/teacher-env.js";

/** One chat request with at most 5 output tokens, as client `key`. */
async function chat(replica: Replica, key: string): Promise<{ status: number; body: string; retryAfter: string | null }> {
  const res = await fetch(`${replica.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "auto", max_tokens: 5, messages: [{ role: "user", content: "Say hello." }] }),
  });
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get("retry-after") };
}

describe("two wren serve replicas sharing one Redis server: one budget, one rate limit", () => {
  let redis: RedisServer;
  let teacher: FakeUpstream;
  let home: string;
  const replicas = serveReplicas();

  const replicaEnv = (): Record<string, string> => ({
    ...teacherEnv(home, `${teacher.url}/v1`),
    WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini"]),
    WREN_ROUTER_HEALTH_INTERVAL_MS: "0",
    // $1 per output token and nothing for input: the stand-in answers with 5 output tokens, so
    // every answer costs exactly $5, and a request with max_tokens 5 holds $5 until it settles.
    WREN_ROUTER_PRICES: JSON.stringify({ "openai:*": { input: 0, output: 1_000_000 } }),
    WREN_ROUTER_BUDGETS: JSON.stringify([{ usd: 12, period: "day", provider: "openai" }]),
    WREN_ROUTER_RATE_LIMIT_REQUESTS: "3",
    // One window far longer than the test, so no window boundary can fall inside it.
    WREN_ROUTER_RATE_LIMIT_WINDOW_MS: String(10 * 365 * 24 * 3600 * 1000),
    WREN_STATE_REDIS: redis.url,
    WREN_STATE_KEY_PREFIX: `wren-test-${process.pid}:`,
  });

  const startReplica = (): Promise<Replica> => replicas.start(replicaEnv());

  beforeAll(async () => {
    redis = await startRedisServer();
    teacher = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-redis-e2e-"));
  });
  afterAll(async () => {
    await replicas.stopAll();
    await teacher?.close();
    await redis?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("requests alternate between the replicas; the one that would pass the budget is refused on either, and the rate limit counts across both", async () => {
    const a = await startReplica();
    const b = await startReplica();
    expect(a.url).not.toBe(b.url);
    const before = teacher.chatCount;

    // Budget $12: two answers at $5 fit ($10 spent); a third would hold $5 more and is refused,
    // on whichever replica it lands. Two client keys, so no key reaches the rate limit here.
    expect((await chat(a, "client-1")).status).toBe(200);
    expect((await chat(b, "client-2")).status).toBe(200);
    for (const [replica, key] of [[a, "client-1"], [b, "client-2"]] as const) {
      const refused = await chat(replica, key);
      expect(refused.status).toBe(429);
      expect(refused.body).toContain("openai's daily budget");
      expect(refused.body).toContain("$12");
      expect(refused.body).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
    expect(teacher.chatCount - before).toBe(2);

    // Each replica reports what is left of the shared budget: $12 - $10.
    for (const replica of [a, b]) {
      const metrics = await (await fetch(`${replica.url}/metrics`)).text();
      expect(metrics).toContain('wren_budget_remaining_usd{budget="day:openai"} 2');
    }
    // And so does `wren router stats`, reading the shared budget from Redis.
    const stats = await runCli(["router", "stats", "--json"], { env: replicaEnv() });
    expect(stats.code).toBe(0);
    expect((JSON.parse(stats.stdout) as { budgets: unknown }).budgets).toMatchObject([{ name: "day:openai", limitUsd: 12, spentUsd: 10, remainingUsd: 2 }]);

    // Rate limit 3 per window per key, counted in Redis: a, b, a pass, the fourth (on b) does not.
    const results = [];
    for (const replica of [a, b, a, b]) results.push(await chat(replica, "client-3"));
    expect(results.slice(0, 3).map((r) => r.body)).not.toContainEqual(expect.stringContaining("Rate limit"));
    expect(results[3]!.status).toBe(429);
    expect(results[3]!.body).toContain("Rate limit reached: 3 requests");
  });

  it("with Redis gone, a replica fails closed: 503 saying the shared state is unreachable, and a log line saying so", async () => {
    const [a] = replicas.started;
    if (!a) throw new Error("the first test starts the replicas");
    await redis.close();
    const refused = await chat(a, "client-4");
    expect(refused.status).toBe(503);
    expect(refused.body).toContain("shared state store (Redis) is unreachable");
    await expect.poll(() => a.stderr(), { timeout: 30_000 }).toContain("Redis is unreachable");
  });
});
