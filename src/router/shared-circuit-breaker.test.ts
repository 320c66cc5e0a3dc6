import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedModel, textAnswer, type Script } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { startRedisServer, type RedisServer } from "../../test/helpers/redis-server.js";
import { userText, type ChatRequest, type StreamPart } from "../protocol/index.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
import { Router } from "./router.js";
import { RedisStateStore } from "./state/redis-store.js";
import { probeLeaseMs } from "./state/state-store.js";
import type { RouterTarget } from "./target.js";

const serverError: StreamPart & { type: "error" } = { type: "error", error: { code: "upstream_error", message: "boom", isRetryable: true, status: 500 } };
const hi: ChatRequest = { messages: [userText("hi there")] };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One replica's router: the teacher `openai:gpt` (scripted) falling back to `groq:llama`. */
function replica(store: RedisStateStore, scripts: Script[], breaker: CircuitBreakerOptions) {
  const teacher = new ScriptedModel("openai", "gpt", scripts);
  const backup = new ScriptedModel("groq", "llama", [textAnswer("backup answer")]);
  const targets: RouterTarget[] = [
    { id: "openai:gpt", model: teacher, leavesMachine: true },
    { id: "groq:llama", model: backup, leavesMachine: true },
  ];
  const router = new Router({
    targets,
    routes: { default: { type: "fallback", targets: targets.map((t) => ({ type: "target" as const, target: t.id })) } },
    consent: { policy: "allow" },
    retry: { maxRetries: 0 },
    breaker,
    sharedBreakers: store.breakers,
  });
  return { router, teacher, backup };
}

describe("routers on two replicas sharing their circuit breakers through a real Redis server", () => {
  let redis: RedisServer;
  const stores: RedisStateStore[] = [];
  let n = 0;
  /** Two stores (two connections, as two replicas have) under a prefix of the test's own. */
  async function pair(): Promise<[RedisStateStore, RedisStateStore]> {
    const prefix = `t${++n}:`;
    const a = await RedisStateStore.connect({ url: redis.url, keyPrefix: prefix });
    const b = await RedisStateStore.connect({ url: redis.url, keyPrefix: prefix });
    stores.push(a, b);
    return [a, b];
  }

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.close();
  });

  it("failures through A open the circuit B then honours: B goes to the fallback without calling the teacher", async () => {
    const [storeA, storeB] = await pair();
    const breaker = { failureThreshold: 2, cooldownMs: 3_600_000 };
    const a = replica(storeA, [{ fail: serverError }], breaker);
    const b = replica(storeB, [textAnswer("teacher answer")], breaker);
    for (let i = 0; i < 2; i++) expect((await a.router.doGenerate(hi)).provenance).toMatchObject({ provider: "groq", reason: "fallback" });
    expect(a.teacher.calls).toBe(2);

    const onB = await b.router.doGenerate(hi);
    expect(onB.provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(b.teacher.calls).toBe(0);
    expect(b.router.log.list()[0]!.attempts[0]).toMatchObject({ target: "openai:gpt", outcome: "skipped", detail: "circuit-open" });
  });

  it("after the cooldown one request across the replicas probes; while it runs the other replica stays away, and its success closes the circuit for both", async () => {
    const [storeA, storeB] = await pair();
    const breaker = { failureThreshold: 1, cooldownMs: 200 };
    const a = replica(storeA, [{ fail: serverError }, { hang: true }, textAnswer("probe answer")], breaker);
    const b = replica(storeB, [textAnswer("teacher answer")], breaker);
    await a.router.doGenerate(hi);
    await sleep(400);

    // A's probe hangs in the teacher until cancelled.
    const cancel = new AbortController();
    const probe = a.router.doGenerate(hi, { signal: cancel.signal }).catch(() => undefined);
    await expect.poll(() => a.teacher.calls, { timeout: 30_000 }).toBe(2);
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(b.teacher.calls).toBe(0);

    // Cancelled: no verdict on the teacher, so the probe is free again, and B's request takes it.
    cancel.abort();
    await probe;
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "openai", reason: "primary" });
    expect(b.teacher.calls).toBe(1);
    expect((await a.router.doGenerate(hi)).provenance).toMatchObject({ provider: "openai", reason: "primary" });
  });

  it("a probe still out long past the store's lease (a teacher that never answers, waited for up to its limit) keeps the other replica away until it ends", async () => {
    const [storeA, storeB] = await pair();
    const breaker = { failureThreshold: 1, cooldownMs: 200 };
    const a = replica(storeA, [{ fail: serverError }, { hang: true }], breaker);
    const b = replica(storeB, [textAnswer("teacher answer")], breaker);
    await a.router.doGenerate(hi);
    await sleep(400);

    const cancel = new AbortController();
    const probe = a.router.doGenerate(hi, { signal: cancel.signal }).catch(() => undefined);
    await expect.poll(() => a.teacher.calls, { timeout: 30_000 }).toBe(2);
    // Three leases later, the probe is still held for A: B sends no second one.
    await sleep(3 * probeLeaseMs({ threshold: 1, windowMs: 60_000, cooldownMs: breaker.cooldownMs }));
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(b.teacher.calls).toBe(0);

    cancel.abort();
    await probe;
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "openai", reason: "primary" });
    expect(b.teacher.calls).toBe(1);
  });

  it("a request A let through before the circuit opened, cancelled while A's probe is out, does not free the probe for B", async () => {
    const [storeA, storeB] = await pair();
    const breaker = { failureThreshold: 1, cooldownMs: 200 };
    const a = replica(storeA, [{ hang: true }, { fail: serverError }, { hang: true }], breaker);
    const b = replica(storeB, [textAnswer("teacher answer")], breaker);
    const early = new AbortController();
    const earlyCall = a.router.doGenerate(hi, { signal: early.signal }).catch(() => undefined);
    await expect.poll(() => a.teacher.calls, { timeout: 30_000 }).toBe(1);
    await a.router.doGenerate(hi);
    await sleep(400);
    const probing = new AbortController();
    const probe = a.router.doGenerate(hi, { signal: probing.signal }).catch(() => undefined);
    await expect.poll(() => a.teacher.calls, { timeout: 30_000 }).toBe(3);

    early.abort();
    await earlyCall;
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(b.teacher.calls).toBe(0);

    probing.abort();
    await probe;
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "openai", reason: "primary" });
  });

  it("a local model's breaker stays each replica's own: A's failing model does not keep B from its own", async () => {
    const [storeA, storeB] = await pair();
    const withLocal = (store: RedisStateStore, scripts: Script[]) => {
      const model = new ScriptedModel("local", "tiny", scripts);
      const teacher = new ScriptedModel("openai", "gpt", [textAnswer("teacher answer")]);
      const targets: RouterTarget[] = [
        { id: "local:tiny", model, leavesMachine: false, local: { contextLength: 4096 } },
        { id: "openai:gpt", model: teacher, leavesMachine: true },
      ];
      const router = new Router({
        targets,
        routes: { default: { type: "fallback", targets: targets.map((t) => ({ type: "target" as const, target: t.id })) } },
        consent: { policy: "allow" },
        retry: { maxRetries: 0 },
        breaker: { failureThreshold: 2, cooldownMs: 3_600_000 },
        sharedBreakers: store.breakers,
      });
      return { router, model };
    };
    const a = withLocal(storeA, [{ fail: serverError }]);
    const b = withLocal(storeB, [textAnswer("local answer")]);
    await a.router.doGenerate(hi);
    await a.router.doGenerate(hi);
    expect((await a.router.doGenerate(hi)).provenance).toMatchObject({ provider: "openai", reason: "circuit-open" });
    expect(a.model.calls).toBe(2);
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "local", reason: "local" });
    expect(b.model.calls).toBe(1);
  });

  it("with Redis unreachable, each replica's own breaker decides (A's, which saw the failures, is open; B's is not)", async () => {
    await using server = await startRedisServer();
    const storeA = await RedisStateStore.connect({ url: server.url, keyPrefix: "t:" });
    const storeB = await RedisStateStore.connect({ url: server.url, keyPrefix: "t:" });
    stores.push(storeA, storeB);
    const breaker = { failureThreshold: 2, cooldownMs: 3_600_000 };
    const a = replica(storeA, [{ fail: serverError }, { fail: serverError }, textAnswer("teacher answer")], breaker);
    const b = replica(storeB, [textAnswer("teacher answer")], breaker);
    await a.router.doGenerate(hi);
    await a.router.doGenerate(hi);
    await server.close();

    expect((await a.router.doGenerate(hi)).provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(a.teacher.calls).toBe(2);
    expect((await b.router.doGenerate(hi)).provenance).toMatchObject({ provider: "openai", reason: "primary" });
    expect(b.teacher.calls).toBe(1);
  });
});
