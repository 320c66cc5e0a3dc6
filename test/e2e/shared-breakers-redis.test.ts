import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { serveReplicas, type ServeProcess } from "../helpers/serve-replicas.js";

interface Replica extends ServeProcess {
  /** How it names itself in the shared decision log (`host:pid`), once the log has shown it. */
  name?: string;
}

interface LoggedDecision {
  replica?: string;
  provider?: string;
  reason?: string;
  attempts: Array<{ target: string; outcome: string; detail?: string }>;
}

/** Asks `replica` once and expects an answer from `provider`, which the router chose for `reason`. */
async function expectAnsweredBy(replica: Replica, provider: string, reason: string): Promise<void> {
  const res = await fetch(`${replica.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "auto", max_tokens: 5, messages: [{ role: "user", content: "Say hello." }] }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { wren_provenance?: { provider?: string; reason?: string } };
  expect(body.wren_provenance).toMatchObject({ provider, reason });
}

async function decisions(replica: Replica): Promise<LoggedDecision[]> {
  const res = await fetch(`${replica.url}/v1/router/decisions?limit=50`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: LoggedDecision[] }).data;
}

describe("two wren serve replicas sharing one Redis server: one circuit breaker per target, one decision log", () => {
  let redis: RedisServer;
  /** The primary teacher, made to fail. */
  let primary: FakeUpstream;
  /** The fallback teacher. */
  let backup: FakeUpstream;
  let home: string;
  const replicas = serveReplicas();

  const replicaEnv = (): Record<string, string> => ({
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({
      openai: { baseURL: `${primary.url}/v1`, cloud: true },
      backup: { kind: "openai-compatible", baseURL: `${backup.url}/v1`, apiKey: "sk-backup", cloud: true },
    }),
    OPENAI_API_KEY: "sk-test",
    WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini", "backup:gpt-4o-mini"]),
    WREN_ROUTER_HEALTH_INTERVAL_MS: "0",
    // Every failure counts once (no retries); two open the circuit, for longer than the test runs.
    WREN_ROUTER_RETRY_MAX_RETRIES: "0",
    WREN_ROUTER_BREAKER_FAILURE_THRESHOLD: "2",
    WREN_ROUTER_BREAKER_WINDOW_MS: String(3_600_000),
    WREN_ROUTER_BREAKER_COOLDOWN_MS: String(3_600_000),
    WREN_STATE_REDIS: redis.url,
    WREN_STATE_KEY_PREFIX: `wren-breakers-${process.pid}:`,
  });

  const startReplica = (): Promise<Replica> => replicas.start(replicaEnv());

  beforeAll(async () => {
    redis = await startRedisServer();
    primary = await startFakeUpstream("openai");
    backup = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-breakers-e2e-"));
  });
  afterAll(async () => {
    await replicas.stopAll();
    await primary?.close();
    await backup?.close();
    await redis?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("failures through replica A open the breaker that replica B honours, and either replica lists the decisions of both", async () => {
    const a = await startReplica();
    const b = await startReplica();

    primary.fail({ kind: "status", status: 500 }, 2);
    for (let i = 0; i < 2; i++) await expectAnsweredBy(a, "backup", "fallback");
    expect(primary.chatCount).toBe(2);

    // B has never seen the primary fail, yet routes away from it without calling it.
    await expectAnsweredBy(b, "backup", "circuit-open");
    expect(primary.chatCount).toBe(2);
    expect(backup.chatCount).toBe(3);

    // The shared log, read through either replica, each decision naming its replica (two different
    // names, of this host). Appends do not hold up answers, so they may land a moment later; and as
    // each replica appends over its own connection, the order across replicas is not asserted.
    const seen = async (replica: Replica) => (await decisions(replica)).map((d) => `${d.reason} by ${d.replica}`).sort();
    await expect.poll(async () => (await decisions(a)).length, { timeout: 30_000 }).toBe(3);
    const log = await decisions(a);
    a.name = log.find((d) => d.reason === "fallback")?.replica;
    b.name = log.find((d) => d.reason === "circuit-open")?.replica;
    expect(a.name).not.toBe(b.name);
    for (const name of [a.name, b.name]) expect(name?.startsWith(`${os.hostname()}:`)).toBe(true);
    const expected = [`circuit-open by ${b.name}`, `fallback by ${a.name}`, `fallback by ${a.name}`];
    expect(await seen(a)).toEqual(expected);
    expect(await seen(b)).toEqual(expected);
    const skipped = log.find((d) => d.reason === "circuit-open");
    const failedOver = log.find((d) => d.reason === "fallback");
    expect(skipped?.attempts[0]).toMatchObject({ target: "openai:gpt-4o-mini", outcome: "skipped", detail: "circuit-open" });
    expect(failedOver?.attempts[0]).toMatchObject({ target: "openai:gpt-4o-mini", outcome: "failed" });

    // `wren router log` and `stats` read the same shared log, numbered once across replicas.
    const cliLog = await runCli(["router", "log", "--json"], { env: replicaEnv() });
    expect(cliLog.code).toBe(0);
    const listed = JSON.parse(cliLog.stdout) as Array<LoggedDecision & { id: number }>;
    expect(listed.map((d) => d.id)).toEqual([3, 2, 1]);
    expect(listed.map((d) => `${d.reason} by ${d.replica}`).sort()).toEqual(expected);
    const cliStats = await runCli(["router", "stats", "--json"], { env: replicaEnv() });
    expect(cliStats.code).toBe(0);
    expect(JSON.parse(cliStats.stdout)).toMatchObject({ requests: 3, errors: 0, fallbacks: 3, byTarget: { "backup:gpt-4o-mini": { requests: 3 } } });
  });

  it("with Redis gone, each replica's own breaker decides and each lists its own decisions, and each logs why", async () => {
    const [a, b]: readonly Replica[] = replicas.started;
    if (!a || !b) throw new Error("the first test starts the replicas");
    await redis.close();

    // A saw both failures itself: its own breaker is open. B saw none: it tries the primary again,
    // which answers now that its faults are spent.
    await expectAnsweredBy(a, "backup", "circuit-open");
    expect(primary.chatCount).toBe(2);
    await expectAnsweredBy(b, "openai", "primary");
    expect(primary.chatCount).toBe(3);

    expect((await decisions(b)).map((d) => [d.replica, d.reason])).toEqual([
      [b.name, "primary"],
      [b.name, "circuit-open"],
    ]);
    expect((await decisions(a)).map((d) => d.replica)).toEqual([a.name, a.name, a.name]);
    for (const replica of [a, b]) {
      await expect.poll(() => replica.stderr(), { timeout: 30_000 }).toContain("circuit breakers and the decision log are this replica's own");
    }

    // `wren router log` cannot show what the replicas share, and says why rather than showing part of it.
    const cliLog = await runCli(["router", "log"], { env: replicaEnv() });
    expect(cliLog.code).not.toBe(0);
    expect(cliLog.stderr).toContain("Cannot read the decision log the replicas share");
  });
});
