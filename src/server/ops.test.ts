import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import type { JsonResponse } from "../../test/helpers/sse.js";
import { createServerApp, type ServerAppOptions } from "./app.js";

function setup(options: Partial<ServerAppOptions> = {}) {
  const model = new ScriptedModel("tiny", () => ({ text: "abcdefgh", chunk: 2, inputTokens: 3 }));
  const host = new ScriptedHost(new Map([["tiny", model]]));
  const { app } = createServerApp({ host, version: "9.9.9", ...options });
  const req = (path: string, init: RequestInit = {}): Promise<JsonResponse> => Promise.resolve(app.request(path, init));
  const chat = (headers: Record<string, string> = {}) =>
    req("/v1/chat/completions", { method: "POST", headers, body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }] }) });
  return { req, chat, host };
}

describe("operations endpoints", () => {
  it("reports liveness and readiness", async () => {
    const { req, host } = setup();
    expect(await (await req("/health")).json()).toEqual({ status: "ok", version: "9.9.9" });
    expect((await req("/ready")).status).toBe(200);
    host.infos[0]!.loaded = false;
    const notReady = await req("/ready");
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: "loading", loaded: [] });
  });

  it("exposes Prometheus metrics per model and dialect", async () => {
    const { req, chat } = setup();
    await chat();
    await req("/api/chat", { method: "POST", body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "x" }] }) }).then((r) => r.text());
    const res = await req("/metrics");
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('wren_requests_total{dialect="openai",status="200"} 1');
    expect(text).toContain('wren_model_requests_total{dialect="ollama",model="tiny"} 1');
    expect(text).toContain('wren_tokens_total{dialect="openai",kind="output",model="tiny"} 4');
    expect(text).toContain('wren_tokens_total{dialect="openai",kind="input",model="tiny"} 3');
    expect(text).toMatch(/wren_time_to_first_token_seconds_count\{dialect="openai",model="tiny"\} 1/);
    expect(text).toMatch(/wren_decode_tokens_per_second_count\{dialect="openai",model="tiny"\} 1/);
    expect(text).toContain('wren_active_sequences{model="tiny"} 0');
    expect(text).toContain('wren_queue_depth{model="tiny"} 0');
  });

  it("echoes or assigns request ids", async () => {
    const { chat } = setup();
    expect((await chat({ "x-request-id": "abc-123" })).headers.get("x-request-id")).toBe("abc-123");
    expect((await chat()).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("API keys and CORS", () => {
  it("refuses every request on a non-loopback bind without a key (401), but answers /health", async () => {
    const { req, chat } = setup({ exposed: true });
    const res = await chat();
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.type).toBe("authentication_error");
    expect(body.error.message).toContain("--api-key");
    expect((await req("/api/tags")).status).toBe(401);
    expect(await (await req("/v1/messages", { method: "POST", body: "{}" })).json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    expect((await req("/health")).status).toBe(200);
  });

  it("accepts the right key as a bearer token or x-api-key and rejects a wrong one", async () => {
    const { chat } = setup({ exposed: true, apiKey: "s3cret" });
    expect((await chat()).status).toBe(401);
    const wrong = await chat({ authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.message).toContain("not valid");
    expect((await chat({ authorization: "Bearer s3cret" })).status).toBe(200);
    expect((await chat({ "x-api-key": "s3cret" })).status).toBe(200);
  });

  it("sends no CORS headers unless origins are configured", async () => {
    const off = setup();
    expect((await off.req("/v1/models", { headers: { origin: "http://evil.test" } })).headers.get("access-control-allow-origin")).toBeNull();
    const on = setup({ corsOrigins: ["http://app.test"] });
    const res = await on.req("/v1/models", { headers: { origin: "http://app.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://app.test");
  });
});

describe("/status", () => {
  it("shows pid, uptime, memory, models and active requests", async () => {
    const { req, chat } = setup();
    await chat();
    const status = await (await req("/status")).json();
    expect(status).toMatchObject({ pid: process.pid, version: "9.9.9", activeRequests: 0, models: [{ id: "tiny", loaded: true, active: 0, queued: 0 }] });
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(status.rssBytes).toBeGreaterThan(1024 * 1024);
  });
});

describe("/status: the models' files", () => {
  const withFiles = (options: Partial<ServerAppOptions>) => {
    const s = setup(options);
    const list = s.host.list.bind(s.host);
    s.host.list = () => list().map((m) => ({ ...m, files: ["/home/ada/.wren/models/tiny.gguf"] }));
    return s;
  };

  it("are shown to wren's own commands and on a server that asks no key, never to an API key's holder", async () => {
    const files = async (s: ReturnType<typeof setup>, headers: Record<string, string> = {}) => ((await (await s.req("/status", { headers })).json()) as { models: Array<{ files?: string[] }> }).models[0]?.files;
    expect(await files(withFiles({}))).toEqual(["/home/ada/.wren/models/tiny.gguf"]);
    const exposed = withFiles({ exposed: true, apiKey: "s3cret", ownerKey: "own3r" });
    expect(await files(exposed, { authorization: "Bearer s3cret" })).toBeUndefined();
    expect(await files(exposed, { "x-wren-owner-key": "own3r" })).toEqual(["/home/ada/.wren/models/tiny.gguf"]);
    const keyed = withFiles({ keys: [{ name: "alice", key: "alice-key" }], ownerKey: "own3r" });
    expect(await files(keyed, { authorization: "Bearer alice-key" })).toBeUndefined();
  });
});

describe("request timeout", () => {
  it("cancels a request past the limit with 504 (non-streamed) or an error event (streamed), and frees the sequence", async () => {
    const slow = new ScriptedModel("slow", () => ({ text: "a".repeat(40), chunk: 1, delayMs: 10 }));
    const host = new ScriptedHost(new Map([["slow", slow]]), { parallel: 1 });
    const { app } = createServerApp({ host, requestTimeoutMs: 60 });
    const body = JSON.stringify({ model: "slow", messages: [{ role: "user", content: "hi" }] });
    const res = (await app.request("/v1/chat/completions", { method: "POST", body })) as JsonResponse;
    expect(res.status).toBe(504);
    const json = await res.json();
    expect(json.error.code).toBe("timeout");
    expect(json.error.message).toContain("server.requestTimeout");
    const streamed = await app.request("/v1/chat/completions", { method: "POST", body: body.replace("}]}", '}],"stream":true}') });
    expect(streamed.status).toBe(200);
    const text = await streamed.text();
    expect(text).toContain('"code":"timeout"');
    expect(host.queues()).toEqual([{ id: "slow", active: 0, queued: 0, capacity: 1 }]);
    expect(host.held).toBe(0);
  });
});

describe("/metrics gauges of models' lines", () => {
  it("lists the models whose lines there are now, not every model there ever was", async () => {
    const { req, host } = setup();
    let names = ["tiny"];
    host.queues = () => names.map((id) => ({ id, active: 0, queued: 0, capacity: 1 }));
    // Names a client makes and removes again (Ollama's copy, create and delete).
    for (let i = 0; i < 50; i += 1) {
      names = ["tiny", `copy-${i}`];
      await (await req("/metrics")).text();
    }
    names = ["tiny"];
    const text = await (await req("/metrics")).text();
    expect(text.split("\n").filter((l) => l.startsWith("wren_queue_depth{"))).toEqual(['wren_queue_depth{model="tiny"} 0']);
    expect(text.split("\n").filter((l) => l.startsWith("wren_active_sequences{"))).toEqual(['wren_active_sequences{model="tiny"} 0']);
  });
});
