import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { serveReplicas, type ServeProcess as Server } from "../helpers/serve-replicas.js";
import { teacherEnv } from "../helpers/teacher-env.js";

const ALICE = "alice-key-0123456789";
const BOB = "bob-key-0123456789ab";

interface Answer {
  status: number;
  body: string;
  retryAfter: string | null;
}

/** One OpenAI chat request with at most 5 output tokens, sent with `key`. */
async function chat(server: Server, key: string | undefined): Promise<Answer> {
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: "auto", max_tokens: 5, messages: [{ role: "user", content: "Say hello." }] }),
  });
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get("retry-after") };
}

/** The same as an Anthropic Messages request, sent with `x-api-key` as Anthropic's clients do. */
async function message(server: Server, key: string): Promise<Answer> {
  const res = await fetch(`${server.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key, "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "auto", max_tokens: 5, messages: [{ role: "user", content: "Say hello." }] }),
  });
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get("retry-after") };
}

/**
 * The environment of a `wren serve` in front of the stand-in teacher. $1 per output token and
 * nothing for input: the stand-in answers with 5 output tokens, so every answer costs exactly $5,
 * and a request with max_tokens 5 holds $5 until it settles. Alice may spend $12 a day (two
 * answers); bob has no budget of his own.
 */
function serveEnv(home: string, teacher: FakeUpstream, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...teacherEnv(home, `${teacher.url}/v1`),
    WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini"]),
    WREN_ROUTER_HEALTH_INTERVAL_MS: "0",
    WREN_ROUTER_PRICES: JSON.stringify({ "openai:*": { input: 0, output: 1_000_000 } }),
    WREN_SERVER_KEYS: JSON.stringify([
      { name: "alice", key: ALICE },
      { name: "bob", keyEnv: "WREN_TEST_BOB_KEY" },
    ]),
    WREN_TEST_BOB_KEY: BOB,
    WREN_ROUTER_BUDGETS: JSON.stringify([{ usd: 12, period: "day", key: "alice" }]),
    ...extra,
  };
}

function expectAliceRefused(refused: Answer): void {
  expect(refused.status).toBe(429);
  expect(refused.body).toContain("the daily budget of client key 'alice' (day:*@alice) of $12");
  expect(refused.body).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
}

describe("wren serve with two client keys: a budget per key", () => {
  let teacher: FakeUpstream;
  let home: string;
  const servers = serveReplicas();

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-key-budget-e2e-"));
  });
  afterAll(async () => {
    await servers.stopAll();
    await teacher?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("alice's requests stop at her budget, in each client's dialect, while bob's are still answered; /metrics and wren router stats show what alice has left", async () => {
    const server = await servers.start(serveEnv(home, teacher));
    const before = teacher.chatCount;

    // Without a key, or with one the server does not know, nothing gets in.
    expect((await chat(server, undefined)).status).toBe(401);
    expect((await chat(server, "not-a-key-0123456789")).status).toBe(401);

    // $12: two answers at $5 fit ($10 spent); a third would hold $5 more.
    expect((await chat(server, ALICE)).status).toBe(200);
    expect((await message(server, ALICE)).status).toBe(200);
    const refused = await chat(server, ALICE);
    expectAliceRefused(refused);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { type: "rate_limit_error", code: "rate_limited" } });
    const refusedAnthropic = await message(server, ALICE);
    expectAliceRefused(refusedAnthropic);
    expect(JSON.parse(refusedAnthropic.body)).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });

    // Bob spends past alice's $12 and is answered every time: her budget is hers alone.
    for (let i = 0; i < 3; i += 1) expect((await chat(server, BOB)).status).toBe(200);
    expect(teacher.chatCount - before).toBe(5);

    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${BOB}` } })).text();
    expect(metrics).toContain('wren_budget_remaining_usd{budget="day:*@alice",key="alice"} 2');
    expect(metrics).toContain('wren_budget_limit_usd{budget="day:*@alice",key="alice"} 12');

    // `wren router stats` sums alice's spend from the decision log: only her answers count.
    const stats = await runCli(["router", "stats", "--json"], { env: serveEnv(home, teacher) });
    expect(stats.code, stats.stderr).toBe(0);
    expect((JSON.parse(stats.stdout) as { budgets: unknown }).budgets).toMatchObject([{ name: "day:*@alice", key: "alice", limitUsd: 12, spentUsd: 10, remainingUsd: 2 }]);
    const text = await runCli(["router", "stats"], { env: serveEnv(home, teacher) });
    expect(text.stdout).toContain("budget day:*@alice  $2.0000 of $12 left");
  });

  it('key = "*": alice and bob each get an allowance of their own, refused at its end, each in /metrics and wren router stats', async () => {
    // A home of its own: wren router stats sums the decision log, and the first test's answers are in the other.
    const ownHome = await mkdtemp(path.join(os.tmpdir(), "wren-each-key-budget-e2e-"));
    try {
      // $7 a day each: one answer at $5 fits, a second would hold $5 more.
      const env = serveEnv(ownHome, teacher, { WREN_ROUTER_BUDGETS: JSON.stringify([{ usd: 7, period: "day", key: "*" }]) });
      const server = await servers.start(env);
      const before = teacher.chatCount;
      expect((await chat(server, ALICE)).status).toBe(200);
      const aliceRefused = await chat(server, ALICE);
      expect(aliceRefused.status).toBe(429);
      expect(aliceRefused.body).toContain("the daily budget of client key 'alice' (day:*@*, each key's own) of $7");
      // Bob's allowance is whole after alice spent hers.
      expect((await message(server, BOB)).status).toBe(200);
      const bobRefused = await chat(server, BOB);
      expect(bobRefused.status).toBe(429);
      expect(bobRefused.body).toContain("client key 'bob' (day:*@*, each key's own)");
      expect(teacher.chatCount - before).toBe(2);

      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${BOB}` } })).text();
      expect(metrics).toContain('wren_budget_remaining_usd{budget="day:*@*",key="alice"} 2');
      expect(metrics).toContain('wren_budget_remaining_usd{budget="day:*@*",key="bob"} 2');
      const stats = await runCli(["router", "stats", "--json"], { env });
      expect(stats.code, stats.stderr).toBe(0);
      expect((JSON.parse(stats.stdout) as { budgets: unknown }).budgets).toEqual([
        expect.objectContaining({ name: "day:*@*", key: "alice", limitUsd: 7, spentUsd: 5, remainingUsd: 2 }),
        expect.objectContaining({ name: "day:*@*", key: "bob", limitUsd: 7, spentUsd: 5, remainingUsd: 2 }),
      ]);
      const text = await runCli(["router", "stats"], { env });
      expect(text.stdout).toContain("budget day:*@* key alice  $2.0000 of $7 left");
      expect(text.stdout).toContain("budget day:*@* key bob  $2.0000 of $7 left");
    } finally {
      await rm(ownHome, { recursive: true, force: true });
    }
  });

  it('a budget key that is a pattern rather than "*" alone, or a budget given twice, stops wren serve from starting, saying why', async () => {
    const env = serveEnv(home, teacher, { WREN_ROUTER_BUDGETS: JSON.stringify([{ usd: 1, period: "day", key: "team-*" }]) });
    const result = await runCli(["serve", "--port", "0"], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`router.budgets[0].key: is one key's name, or "*" alone for a budget of each key's own`);
    // Two "*" budgets for the same period would keep one counter per key and count each request twice.
    const twice = serveEnv(home, teacher, {
      WREN_ROUTER_BUDGETS: JSON.stringify([
        { usd: 1, period: "day", key: "*" },
        { usd: 2, period: "day", key: "*" },
      ]),
    });
    const repeated = await runCli(["serve", "--port", "0"], { env: twice });
    expect(repeated.code).not.toBe(0);
    expect(repeated.stderr).toContain("router.budgets[1]: has the same period, provider and key as router.budgets[0]: keep one of them");
  });

  it("a per-key budget naming a key that server.keys does not have stops wren serve from starting, saying which", async () => {
    const env = serveEnv(home, teacher, { WREN_ROUTER_BUDGETS: JSON.stringify([{ usd: 1, period: "month", key: "alcie" }]) });
    const result = await runCli(["serve", "--port", "0"], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("router.budgets[0].key names the client key 'alcie', which server.keys does not have");
    expect(result.stderr).toContain("alice, bob");
  });
});

describe("two wren serve replicas sharing one Redis server: a budget and a rate limit per key", () => {
  let redis: RedisServer;
  let teacher: FakeUpstream;
  let home: string;
  const servers = serveReplicas();

  const replicaEnv = (): Record<string, string> =>
    serveEnv(home, teacher, {
      WREN_STATE_REDIS: redis.url,
      WREN_STATE_KEY_PREFIX: `wren-key-test-${process.pid}:`,
      // Bob may make 3 requests per window, everyone else many; one window far longer than the
      // test, so no window boundary can fall inside it.
      WREN_ROUTER_RATE_LIMIT_REQUESTS: "100",
      WREN_ROUTER_RATE_LIMIT_KEYS: JSON.stringify({ bob: 3 }),
      WREN_ROUTER_RATE_LIMIT_WINDOW_MS: String(10 * 365 * 24 * 3600 * 1000),
    });

  beforeAll(async () => {
    redis = await startRedisServer();
    teacher = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-key-budget-redis-e2e-"));
  });
  afterAll(async () => {
    await servers.stopAll();
    await teacher?.close();
    await redis?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("alice's budget is spent across both replicas and refused on either, bob is answered on both until his own rate limit", async () => {
    const a = await servers.start(replicaEnv());
    const b = await servers.start(replicaEnv());
    expect(a.url).not.toBe(b.url);
    const before = teacher.chatCount;

    expect((await chat(a, ALICE)).status).toBe(200);
    expect((await chat(b, ALICE)).status).toBe(200);
    expectAliceRefused(await chat(a, ALICE));
    expectAliceRefused(await chat(b, ALICE));

    // Bob: 3 requests in the window, counted in Redis whichever replica takes them.
    const bob = [];
    for (const replica of [a, b, a, b]) bob.push(await chat(replica, BOB));
    expect(bob.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bob[3]!.status).toBe(429);
    expect(bob[3]!.body).toContain("Rate limit reached: 3 requests");
    expect(bob[3]!.body).toContain("client key 'bob'");
    expect(teacher.chatCount - before).toBe(5);

    for (const replica of [a, b]) {
      const metrics = await (await fetch(`${replica.url}/metrics`, { headers: { authorization: `Bearer ${ALICE}` } })).text();
      expect(metrics).toContain('wren_budget_remaining_usd{budget="day:*@alice",key="alice"} 2');
    }
    const stats = await runCli(["router", "stats", "--json"], { env: replicaEnv() });
    expect(stats.code, stats.stderr).toBe(0);
    expect((JSON.parse(stats.stdout) as { budgets: unknown }).budgets).toMatchObject([{ name: "day:*@alice", key: "alice", limitUsd: 12, spentUsd: 10, remainingUsd: 2 }]);
  });
});
