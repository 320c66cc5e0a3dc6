import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";

const short = [{ role: "user" as const, content: "Say hello." }];
const INTERVAL_MS = 100;

describe("wren serve's health checks, one per provider endpoint", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    const router = defaultConfig({ env: {} }, {
      router: { healthIntervalMs: INTERVAL_MS, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } } },
    }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("probe a provider's /models once per round, however many of its models clients name", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    // 40 direct targets of the one provider, all remembered (the router keeps 64).
    await Promise.all(Array.from({ length: 40 }, (_, i) => openai.chat.completions.create({ model: `openai:named-${i}`, messages: short })));
    const probes = (): number => teacher.requests.filter((r) => r.method === "GET" && r.path === "/v1/models").length;
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    const before = probes();
    const rounds = 10;
    await new Promise((resolve) => setTimeout(resolve, rounds * INTERVAL_MS));
    // One probe a round (a round's timer may fire once more or less in the window), not 41.
    expect(probes() - before).toBeLessThanOrEqual(rounds + 2);
    expect(probes() - before).toBeGreaterThanOrEqual(1);
  });

  it("still route a named model that shares its provider's probe", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const answer = await openai.chat.completions.create({ model: "openai:named-3", messages: short });
    expect(answer.choices[0]?.message.content).toEqual(expect.any(String));
  });
});
