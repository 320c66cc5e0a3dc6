import { afterEach, describe, expect, it } from "vitest";
import { startPoolReplica, type PoolReplica } from "../../../test/helpers/pool-replicas.js";
import { userText, type ChatRequest, type StreamPart } from "../../protocol/index.js";
import { PoolModel } from "./model.js";
import type { PoolOptions } from "./options.js";
import { ReplicaPool } from "./pool.js";

const ask = (topic: string): ChatRequest => ({ messages: [userText(`Tell me about ${topic}.`)] });

async function streamParts(model: PoolModel, request: ChatRequest): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of model.doStream(request)) parts.push(part);
  return parts;
}

describe("a pool ejects a replica whose requests fail, until its health check passes", () => {
  const open: Array<PoolReplica | ReplicaPool> = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      if (item instanceof ReplicaPool) item[Symbol.dispose]();
      else await item.close();
    }
  });

  /**
   * Three stand-ins behind a pool that ejects after 2 failed requests in a row. Background checks
   * are on (they are what admits an ejected replica) but an hour apart and never started here: the
   * test runs each check itself with `checkNow`. No affinity, so each request goes by load alone
   * (the first listed on a tie).
   */
  async function setUp(health: PoolOptions["health"] = {}) {
    const replicas = await Promise.all(["a", "b", "c"].map((name) => startPoolReplica(name)));
    open.push(...replicas);
    const pool = new ReplicaPool({
      name: "gpus",
      replicas: replicas.map((r) => r.url),
      affinity: false,
      health: { intervalMs: 3_600_000, path: "/health", ejectAfterFailures: 2, ...health },
    });
    open.push(pool);
    const [a, b, c] = replicas as [PoolReplica, PoolReplica, PoolReplica];
    const healthy = () => pool.snapshot().map((r) => r.healthy);
    return { a, b, c, pool, model: new PoolModel(pool, "m"), healthy };
  }

  it("two 5xx answers in a row eject it (requests go elsewhere) and a passing check admits it again", async () => {
    const { a, b, pool, model, healthy } = await setUp();
    a.failNext(500, 2);
    expect((await model.doGenerate(ask("owls"))).provenance?.replica).toBe(b.url);
    expect(healthy()).toEqual([true, true, true]);
    expect((await model.doGenerate(ask("wrens"))).provenance?.replica).toBe(b.url);
    expect(healthy()).toEqual([false, true, true]);
    expect(a.chats).toBe(2);

    // Ejected: a would be first on a tie, but is not asked at all.
    expect((await model.doGenerate(ask("crows"))).provenance?.replica).toBe(b.url);
    expect(a.chats).toBe(2);

    await pool.checkNow();
    expect(healthy()).toEqual([true, true, true]);
    expect((await model.doGenerate(ask("herons"))).provenance?.replica).toBe(a.url);
    expect(a.chats).toBe(3);
  });

  it("a success in between starts the count again", async () => {
    const { a, model, healthy } = await setUp();
    a.failNext(500);
    await model.doGenerate(ask("owls"));
    expect((await model.doGenerate(ask("wrens"))).provenance?.replica).toBe(a.url);
    a.failNext(500);
    await model.doGenerate(ask("crows"));
    expect(healthy()).toEqual([true, true, true]);
    expect(a.chats).toBe(3);
  });

  it("a refused connection counts, streamed: the request moves on and the replica is ejected", async () => {
    const { a, b, model, healthy } = await setUp();
    await a.close();
    for (const topic of ["owls", "wrens"]) {
      const parts = await streamParts(model, ask(topic));
      expect(parts.find((p) => p.type === "finish")).toBeDefined();
      expect(parts[0]).toMatchObject({ type: "stream-start", provenance: { replica: b.url } });
    }
    expect(healthy()).toEqual([false, true, true]);
  });

  it("a stream cut after its first chunk counts (the client gets the error; there is no splice)", async () => {
    const { a, model, healthy } = await setUp();
    a.cutNext(2);
    for (const topic of ["owls", "wrens"]) {
      const parts = await streamParts(model, ask(topic));
      expect(parts[0]).toMatchObject({ type: "stream-start", provenance: { replica: a.url } });
      expect(parts.at(-1)).toMatchObject({ type: "error" });
    }
    expect(healthy()).toEqual([false, true, true]);
    expect(a.chats).toBe(2);
  });

  it("a 429 is a busy replica, not a broken one: it is never ejected for it", async () => {
    const { a, b, model, healthy } = await setUp();
    a.failNext(429, 3);
    for (const topic of ["owls", "wrens", "crows"]) expect((await model.doGenerate(ask(topic))).provenance?.replica).toBe(b.url);
    expect(healthy()).toEqual([true, true, true]);
    expect(a.chats).toBe(3);
  });

  it("with background checks off (interval 0) nothing would admit it again, so failures never eject", async () => {
    const { a, model, healthy } = await setUp({ intervalMs: 0 });
    a.failNext(500, 3);
    for (const topic of ["owls", "wrens", "crows"]) await model.doGenerate(ask(topic));
    expect(healthy()).toEqual([true, true, true]);
    expect(a.chats).toBe(3);
  });
});
