import { Writable } from "node:stream";
import OpenAI from "openai";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";

const short = [{ role: "user" as const, content: "Say hello." }];

/** A Prometheus text-format sample line: name, optional labels with escaped values, a number. */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? -?[0-9.e+Inf-]+$/;

describe("wren serve: client-chosen names cannot grow the server's state", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    const router = defaultConfig({ env: {} }, {
      router: { healthIntervalMs: 0, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } } },
    }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("answers to hundreds of invented provider:model names leave /metrics a bounded, well-formed scrape", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    // The configured teacher answers first, so its row is its own whatever comes after.
    await openai.chat.completions.create({ model: "auto", messages: short });
    const names = 400;
    for (let i = 0; i < names; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => openai.chat.completions.create({ model: `openai:invented-${i + j}`, messages: short })));
    }
    // A name a client may send (printable) that would break an unescaped label.
    await openai.chat.completions.create({ model: 'openai:quote"d\\name', messages: short });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    for (const line of lines) expect(line).toMatch(SAMPLE);
    const targets = new Set(lines.filter((l) => l.startsWith("wren_router_tokens_total")).map((l) => /target="((?:[^"\\]|\\.)*)"/.exec(l)?.[1]));
    expect(targets.size).toBeLessThanOrEqual(70);
    expect(targets).toContain("openai:gpt-4o-mini");
    expect(targets).toContain("other");
    // Every request is still counted: the ones past the bound under `other`.
    expect(text).toMatch(new RegExp(`^wren_router_requests_total ${names + 2}$`, "m"));
    const stats = (await (await fetch(`${server.url}/v1/router/stats`)).json()) as { byTarget: Record<string, { requests: number }> };
    expect(Object.keys(stats.byTarget).length).toBeLessThanOrEqual(70);
    expect(Object.values(stats.byTarget).reduce((n, r) => n + r.requests, 0)).toBe(names + 2);
  });
});

describe("wren serve's request log", () => {
  it("writes a bounded record for a request whatever the length of its path", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const router = defaultConfig({ env: {} }, { router: { healthIntervalMs: 0, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: "http://127.0.0.1:9/v1", cloud: true } } } }).router;
    const server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router, logger });
    try {
      // Node takes a request line of up to 16 KiB; a web page can have a browser send one (an <img>).
      const long = `/v1/${"a".repeat(12_000)}`;
      const before = lines.length;
      expect((await fetch(`${server.url}${long}`)).status).toBe(404);
      const record = lines.slice(before).find((l) => l.includes('"msg":"request"'));
      expect(record).toBeDefined();
      expect(record!.length).toBeLessThan(1024);
      expect(JSON.parse(record!)).toMatchObject({ method: "GET", status: 404 });
    } finally {
      await server.close();
    }
  });
});

describe("wren serve's health checks", () => {
  it("probe the configured targets and a bounded number of the provider:model names clients invent, not every one", async () => {
    const teacher = await startFakeUpstream("openai");
    const router = defaultConfig({ env: {} }, {
      router: { healthIntervalMs: 100, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } } },
    }).router;
    const server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router });
    try {
      const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
      for (let i = 0; i < 200; i += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, j) => openai.chat.completions.create({ model: `openai:invented-${i + j}`, messages: short })));
      }
      // A few rounds of probes (every 100 ms) after the names were sent.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const probes = () => teacher.requests.filter((r) => r.method === "GET" && r.path === "/v1/models").length;
      const before = probes();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const perRound = (probes() - before) / 10;
      // The teacher's own probe and at most the router's 64 remembered names, not 200.
      expect(perRound).toBeLessThanOrEqual(70);
    } finally {
      await server.close();
      await teacher.close();
    }
  });
});
