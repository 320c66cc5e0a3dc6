import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { serveReplicas, type ServeProcess as Replica } from "../helpers/serve-replicas.js";
import { CHAT_MODEL_REPLY, sharedModels } from "../helpers/shared-models.js";

interface Answer {
  status: number;
  body: string;
  retryAfter: string | null;
  provider: string | undefined;
}

async function chat(replica: Replica, model: string, maxTokens = 5): Promise<Answer> {
  const res = await fetch(`${replica.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: "user", content: "Say hello." }] }),
  });
  const body = await res.text();
  const provider = res.ok ? (JSON.parse(body) as { wren_provenance?: { provider?: string } }).wren_provenance?.provider : undefined;
  return { status: res.status, body, retryAfter: res.headers.get("retry-after"), provider };
}

const count = (text: string, part: string): number => text.split(part).length - 1;

// SIGSTOP freezes the Redis server as a hung one would be (a paused or overloaded server, a
// half-open network): connections stay open, commands are taken and never answered. Windows has
// no SIGSTOP (nor Debian's redis-server); CI runs on Linux.
describe.skipIf(process.platform === "win32")("wren serve whose Redis server hangs (SIGSTOP)", () => {
  let redis: RedisServer;
  /** A priced teacher under a budget. */
  let priced: FakeUpstream;
  /** An unpriced one: no budget applies, but its breaker is shared through Redis. */
  let free: FakeUpstream;
  let home: string;
  const replicas = serveReplicas();

  const replicaEnv = (extra: Record<string, string>): Record<string, string> => ({
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({
      openai: { baseURL: `${priced.url}/v1`, cloud: true },
      free: { kind: "openai-compatible", baseURL: `${free.url}/v1`, apiKey: "sk-free", cloud: true },
    }),
    OPENAI_API_KEY: "sk-test",
    WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini", "free:gpt-4o-mini"]),
    WREN_ROUTER_HEALTH_INTERVAL_MS: "0",
    WREN_ROUTER_PRICES: JSON.stringify({ "openai:*": { input: 0, output: 1_000_000 } }),
    WREN_ROUTER_BUDGETS: JSON.stringify([{ usd: 1_000, period: "day", provider: "openai" }]),
    WREN_STATE_REDIS: redis.url,
    WREN_STATE_KEY_PREFIX: `wren-frozen-${process.pid}:`,
    ...extra,
  });

  beforeAll(async () => {
    redis = await startRedisServer();
    priced = await startFakeUpstream("openai");
    free = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-redis-frozen-e2e-"));
  });
  afterAll(async () => {
    // Redis first (closing thaws it), so no replica's shutdown finds it frozen.
    await redis?.close();
    await replicas.stopAll();
    await priced?.close();
    await free?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("answers while Redis hangs: 503 for the budgeted teacher, the replica's own breaker for the other; one log line per outage; Redis again after SIGCONT", async () => {
    const a = await replicas.start(replicaEnv({ WREN_STATE_TIMEOUT_MS: "1000" }));
    expect((await chat(a, "openai:gpt-4o-mini")).status).toBe(200);
    await expect.poll(() => count(a.stderr(), "shared state: connected to Redis"), { timeout: 30_000 }).toBe(1);

    redis.freeze();
    // Were a request to wait on the frozen server, this test's own timeout would fail it.
    const refused = await Promise.all([chat(a, "openai:gpt-4o-mini"), chat(a, "openai:gpt-4o-mini"), chat(a, "openai:gpt-4o-mini")]);
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(answer.body).toContain("shared state store (Redis) is unreachable");
      expect(answer.retryAfter).toBe("5");
    }
    const pricedCalls = priced.chatCount;
    for (let i = 0; i < 3; i++) {
      const answered = await chat(a, "free:gpt-4o-mini");
      expect(answered.status).toBe(200);
      expect(answered.provider).toBe("free");
    }
    expect(priced.chatCount).toBe(pricedCalls);
    await expect.poll(() => a.stderr(), { timeout: 30_000 }).toContain("shared state: Redis is unreachable");
    expect(count(a.stderr(), "shared state: Redis is unreachable")).toBe(1);

    redis.thaw();
    await expect.poll(() => count(a.stderr(), "shared state: connected to Redis"), { timeout: 30_000 }).toBe(2);
    // The budget is counted in Redis again: the budgeted teacher answers.
    const again = await chat(a, "openai:gpt-4o-mini");
    expect(again.status).toBe(200);
    expect(again.provider).toBe("openai");
    expect(count(a.stderr(), "shared state: Redis is unreachable")).toBe(1);
  });

  it("a local answer does not wait for its decision to reach a frozen Redis", async () => {
    // A deadline far past this test's own: if appending the decision held up the answer, the
    // request would hang and the test's timeout would fail it.
    const b = await replicas.start(replicaEnv({ WREN_STATE_TIMEOUT_MS: "600000", WREN_MODELS_DEFAULT: sharedModels.chat, WREN_ENGINE_CONTEXT_SIZE: "256" }));
    redis.freeze();
    try {
      const answer = await chat(b, "auto", 64);
      expect(answer.status).toBe(200);
      expect(answer.provider).toBe("local");
      expect(answer.body).toContain(CHAT_MODEL_REPLY);
    } finally {
      redis.thaw();
    }
  });
});
