import { afterEach, describe, expect, it } from "vitest";
import { startPoolReplica, type PoolReplica } from "../../test/helpers/pool-replicas.js";
import { defaultConfig } from "../config/index.js";
import { userText, type StreamPart } from "../protocol/index.js";
import { poolMetricsText } from "../providers/pool/index.js";
import { createServerApp } from "../server/app.js";
import { buildRouter, type BuiltRouter } from "./router.js";
import { RoutedModelHost } from "./router-host.js";

interface Answer {
  choices: Array<{ message: { content: string } }>;
  wren_provenance?: { provider: string; replica?: string };
}

describe("a pool of three OpenAI-compatible replicas behind the router", () => {
  const open: Array<PoolReplica | BuiltRouter> = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      if ("router" in item) item[Symbol.dispose]();
      else await item.close();
    }
  });

  async function setUp(pool: Record<string, unknown> = {}) {
    const replicas = await Promise.all(["a", "b", "c"].map((name) => startPoolReplica(name)));
    open.push(...replicas);
    const config = defaultConfig({ env: {} }, {
      router: {
        proxyOnly: true,
        routes: { default: "gpus:m" },
        retry: { maxRetries: 0 },
        // Health checks are driven by the test (checkNow), never by a timer.
        providers: { gpus: { kind: "pool", replicas: replicas.map((r) => r.url), health: { intervalMs: 0, unhealthyAfter: 1, path: "/health" }, ...pool } },
      },
    }).router;
    const built = buildRouter({ config, env: {} });
    open.push(built);
    const { app } = createServerApp({ host: new RoutedModelHost({ router: built.router }) });
    const ask = async (messages: Array<{ role: string; content: string }>, user?: string): Promise<Answer> => {
      const res = await app.request("/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "auto", messages, ...(user ? { user } : {}) }),
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as Answer;
      expect(res.headers.get("x-wren-replica")).toBe(answer.wren_provenance?.replica);
      return answer;
    };
    const [a, b, c] = replicas as [PoolReplica, PoolReplica, PoolReplica];
    return { a, b, c, built, ask };
  }

  const conversation = (topic: string) => [
    { role: "system", content: "You are terse." },
    { role: "user", content: `Tell me about ${topic}.` },
  ];

  it("sends the next request to the replica with the fewest outstanding, and names it in the provenance", async () => {
    const { a, b, c, built, ask } = await setUp();
    a.hold();
    b.hold();
    const first = ask(conversation("owls"));
    await a.arrived(1);
    const second = ask(conversation("wrens"));
    await b.arrived(1);
    expect(poolMetricsText(built.pools.snapshot())).toContain(`wren_pool_replica_outstanding{pool="gpus",replica="${a.url}"} 1`);
    const third = await ask(conversation("crows"));
    expect(third.choices[0]!.message.content).toBe("Hello from c.");
    expect(third.wren_provenance).toMatchObject({ provider: "gpus", replica: c.url });
    a.release();
    b.release();
    expect((await first).wren_provenance?.replica).toBe(a.url);
    expect((await second).wren_provenance?.replica).toBe(b.url);
    expect([a.chats, b.chats, c.chats]).toEqual([1, 1, 1]);
    expect(poolMetricsText(built.pools.snapshot())).toContain(`wren_pool_replica_outstanding{pool="gpus",replica="${a.url}"} 0`);
  });

  it("ejects a replica that fails its health check and admits it again once it passes", async () => {
    const { a, b, c, built, ask } = await setUp();
    a.hold();
    const held = ask(conversation("owls"));
    await a.arrived(1);
    b.setHealthy(false);
    await built.pools.checkNow();
    expect(poolMetricsText(built.pools.snapshot())).toContain(`wren_pool_replica_healthy{pool="gpus",replica="${b.url}"} 0`);
    // b would be next (nothing outstanding, listed before c), but it is ejected.
    expect((await ask(conversation("wrens"))).wren_provenance?.replica).toBe(c.url);
    expect(b.chats).toBe(0);
    b.setHealthy(true);
    await built.pools.checkNow();
    expect(poolMetricsText(built.pools.snapshot())).toContain(`wren_pool_replica_healthy{pool="gpus",replica="${b.url}"} 1`);
    expect((await ask(conversation("crows"))).wren_provenance?.replica).toBe(b.url);
    a.release();
    await held;
  });

  it("keeps a conversation on its replica while it is healthy, and moves it when the replica is ejected", async () => {
    const { a, b, built, ask } = await setUp();
    const turn = (n: number) => [
      ...conversation("owls"),
      ...Array.from({ length: n }, (_, i) => [
        { role: "assistant", content: `Answer ${i}.` },
        { role: "user", content: `Follow-up ${i}?` },
      ]).flat(),
    ];
    expect((await ask(turn(0))).wren_provenance?.replica).toBe(a.url);
    // Another conversation held on a: by load alone, the next request would go to b.
    a.hold();
    const busy = ask(conversation("herons"));
    await a.arrived(2);
    const second = ask(turn(1));
    await a.arrived(3);
    a.release();
    expect((await second).wren_provenance?.replica).toBe(a.url);
    expect((await busy).wren_provenance?.replica).toBe(a.url);
    expect(b.chats).toBe(0);

    a.setHealthy(false);
    await built.pools.checkNow();
    const moved = (await ask(turn(2))).wren_provenance?.replica;
    expect(moved).toBe(b.url);
    a.setHealthy(true);
    await built.pools.checkNow();
    // Admitted again, a gets new conversations, but this one stays where it moved (its cache is there now).
    expect((await ask(turn(3))).wren_provenance?.replica).toBe(moved);
  });

  it("keeps the requests of one client-given user id on one replica, whatever their messages", async () => {
    const { a, b, ask } = await setUp();
    expect((await ask(conversation("owls"), "session-7")).wren_provenance?.replica).toBe(a.url);
    a.hold();
    const busy = ask(conversation("herons"));
    await a.arrived(2);
    // A different conversation, but the same user: by load it would go to b; the id keeps it on a.
    const same = ask(conversation("crows"), "session-7");
    await a.arrived(3);
    a.release();
    expect((await same).wren_provenance?.replica).toBe(a.url);
    await busy;
    expect(b.chats).toBe(0);
  });

  it("spills a conversation to the next replica while its own is at maxConcurrent, and queues when all are", async () => {
    const { a, b, c, ask } = await setUp({ maxConcurrent: 1 });
    expect((await ask(conversation("owls"))).wren_provenance?.replica).toBe(a.url);
    a.hold();
    b.hold();
    c.hold();
    const onA = ask(conversation("herons"));
    await a.arrived(2);
    const spilled = ask([...conversation("owls"), { role: "assistant", content: "Owls hunt." }, { role: "user", content: "At night?" }]);
    await b.arrived(1);
    const onC = ask(conversation("crows"));
    await c.arrived(1);
    // Every replica is answering one: the fourth waits in the pool's queue for the first free slot.
    const queued = ask(conversation("wrens"));
    c.release();
    expect((await onC).wren_provenance?.replica).toBe(c.url);
    expect((await queued).wren_provenance?.replica).toBe(c.url);
    a.release();
    b.release();
    expect((await onA).wren_provenance?.replica).toBe(a.url);
    expect((await spilled).wren_provenance?.replica).toBe(b.url);
    expect([a.chats, b.chats, c.chats]).toEqual([2, 1, 2]);
  });

  it("a replica failing before the first byte hands a streamed request to the next", async () => {
    const { a, b, built } = await setUp();
    a.failNext(503);
    const parts: StreamPart[] = [];
    for await (const part of built.router.model("auto").doStream({ messages: [userText("Hi")] })) parts.push(part);
    const finish = parts.find((p) => p.type === "finish");
    expect(finish).toMatchObject({ provenance: { provider: "gpus", replica: b.url } });
    expect(parts.filter((p) => p.type === "text-delta").map((p) => (p.type === "text-delta" ? p.delta : "")).join("")).toBe("Hello from b.");
    expect([a.chats, b.chats]).toEqual([1, 1]);
  });
});

describe("an Anthropic client's prefill through a pool of replicas", () => {
  const open: Array<PoolReplica | BuiltRouter> = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      if ("router" in item) item[Symbol.dispose]();
      else await item.close();
    }
  });

  /** Asks the pool, streamed and not, to continue `{`; returns the replica's two chat bodies. */
  async function prefill(pool: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const replica = await startPoolReplica("a");
    open.push(replica);
    const config = defaultConfig({ env: {} }, {
      router: {
        proxyOnly: true,
        routes: { default: "gpus:m" },
        retry: { maxRetries: 0 },
        providers: { gpus: { kind: "pool", replicas: [replica.url], health: { intervalMs: 0 }, ...pool } },
      },
    }).router;
    const built = buildRouter({ config, env: {} });
    open.push(built);
    const { app } = createServerApp({ host: new RoutedModelHost({ router: built.router }) });
    for (const stream of [false, true]) {
      const res = await app.request("/v1/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "auto",
          max_tokens: 32,
          stream,
          messages: [
            { role: "user", content: "Give me JSON." },
            { role: "assistant", content: "{" },
          ],
        }),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Hello from a.");
    }
    expect(replica.bodies).toHaveLength(2);
    for (const body of replica.bodies) expect(body["messages"]).toEqual([expect.objectContaining({ role: "user" }), { role: "assistant", content: "{" }]);
    return [...replica.bodies];
  }

  it("reaches replicas that read vLLM's continue_final_message as one, with add_generation_prompt false, streamed or not", async () => {
    for (const body of await prefill({ continueFinalMessage: true })) {
      expect(body).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
    }
  });

  it("sends other replicas neither field: the final assistant message as it is", async () => {
    for (const body of await prefill({})) {
      expect(body).not.toHaveProperty("continue_final_message");
      expect(body).not.toHaveProperty("add_generation_prompt");
    }
    for (const body of await prefill({ continueFinalMessage: false })) expect(body).not.toHaveProperty("continue_final_message");
  });
});

/**
 * A pool whose replicas are off this machine (LAN GPU servers, a hosted endpoint) is checked in the
 * background as a teacher is probed: only with cloud use allowed, since a check leaves the machine
 * too (with the pool's key). With `never`, `ask` or `--offline` its replicas hear nothing at all.
 */
describe("health checks of a pool off this machine follow cloud consent", () => {
  async function checksWith(setup: Record<string, unknown>, offlineFlag = false): Promise<number> {
    const replica = await startPoolReplica("far");
    try {
      const config = defaultConfig({ env: {} }, {
        router: {
          ...setup,
          proxyOnly: true,
          routes: { default: "gpus:m" },
          providers: { gpus: { kind: "pool", cloud: true, replicas: [replica.url], health: { intervalMs: 10, path: "/health" } } },
        },
      }).router;
      const built = buildRouter({ config, env: {}, offline: offlineFlag });
      await new Promise((resolve) => setTimeout(resolve, 80));
      built[Symbol.dispose]();
      return replica.checks;
    } finally {
      await replica.close();
    }
  }

  it("checks nothing with cloud use never, ask, router.offline or --offline", async () => {
    for (const setup of [{ cloud: "never" }, { cloud: "ask" }, { cloud: "allow", offline: true }]) expect(await checksWith(setup), JSON.stringify(setup)).toBe(0);
    expect(await checksWith({ cloud: "allow" }, true), "--offline").toBe(0);
  });

  it("checks its replicas with cloud use allowed", async () => {
    expect(await checksWith({ cloud: "allow" })).toBeGreaterThan(0);
  });
});
