import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { Engine, LocalModel } from "../../src/engine/index.js";
import type { Decision } from "../../src/router/decisions.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const short = [{ role: "user" as const, content: "Say hello." }];
// Far past the local model's 256-token context: the router sends it to the teacher with reason `context`.
const long = [{ role: "user" as const, content: "hello world ".repeat(400) }];

describe.runIf(hasSharedModels)("wren serve with the router in front: auto, provider:model, provenance, consent", () => {
  let engine: Engine;
  let teacher: FakeUpstream;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    teacher = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await teacher?.close();
    await engine?.dispose();
  });

  async function serve(
    router: Record<string, unknown>,
    offline = false,
    lazy?: { idleUnloadMs: number },
    limits: { sequences: number; maxQueue?: number } = { sequences: 2 },
  ): Promise<RunningServer> {
    const server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: 256, sequences: limits.sequences }],
      ...(limits.maxQueue === undefined ? {} : { maxQueue: limits.maxQueue }),
      host: "127.0.0.1",
      port: 0,
      engine,
      preload: lazy === undefined,
      ...(lazy ? { idleUnloadMs: lazy.idleUnloadMs } : {}),
      offline,
      env: { OPENAI_API_KEY: "sk-test" },
      router: defaultConfig({ env: {} }, {
        router: { healthIntervalMs: 0, teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } }, ...router },
      }).router,
    });
    servers.push(server);
    return server;
  }

  const headersOf = (h: Headers) => ({ provider: h.get("x-wren-provider"), model: h.get("x-wren-model"), route: h.get("x-wren-route"), reason: h.get("x-wren-reason") });

  it("auto: the local model answers what fits, the teacher what does not (reason context), each response says so", async () => {
    const server = await serve({ cloud: "allow" });
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });

    const local = await openai.chat.completions.create({ model: "auto", messages: short, seed: 42, temperature: 0 }).withResponse();
    expect(local.data.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
    expect(headersOf(local.response.headers)).toEqual({ provider: "local", model: "chat", route: "default", reason: "local" });
    expect((local.data as unknown as Record<string, unknown>)["wren_provenance"]).toMatchObject({ provider: "local", reason: "local" });

    const before = teacher.chatCount;
    const cloud = await openai.chat.completions.create({ model: "auto", messages: long, stream: true }).withResponse();
    expect(headersOf(cloud.response.headers)).toEqual({ provider: "openai", model: "gpt-4o-mini", route: "default", reason: "context" });
    const chunks: Array<Record<string, unknown>> = [];
    let text = "";
    for await (const chunk of cloud.data) {
      chunks.push(chunk as unknown as Record<string, unknown>);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("Hello from the cloud.");
    expect(chunks.at(-1)!["wren_provenance"]).toMatchObject({ provider: "openai", reason: "context" });
    expect(teacher.chatCount).toBe(before + 1);

    // The served model by its own name, and the default route by name, as before.
    const byName = await fetch(`${server.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "chat", messages: short, stream: false }) });
    expect(headersOf(byName.headers)).toEqual({ provider: "local", model: "chat", route: "direct", reason: "direct" });
    const byRoute = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "default", max_tokens: 16, messages: short }),
    });
    expect(byRoute.status).toBe(200);
    expect(headersOf(byRoute.headers)).toMatchObject({ provider: "local", route: "default" });
  });

  it("provider:model goes straight to that target; decisions and /metrics show what was routed", async () => {
    const server = await serve({ cloud: "allow" });
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openai:gpt-4.1", messages: short }),
    });
    expect(res.status).toBe(200);
    expect(headersOf(res.headers)).toMatchObject({ provider: "openai", model: "gpt-4.1", reason: "direct" });
    expect(teacher.requests.at(-1)!.body["model"]).toBe("gpt-4.1");
    await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "auto", messages: short, max_tokens: 8 }) });

    const decisions = (await (await fetch(`${server.url}/v1/router/decisions`)).json()) as { data: Decision[] };
    expect(decisions.data.map((d) => [d.requestedModel, d.provider, d.reason])).toEqual([
      ["auto", "local", "local"],
      ["openai:gpt-4.1", "openai", "direct"],
    ]);
    const stats = (await (await fetch(`${server.url}/v1/router/stats`)).json()) as { requests: number };
    expect(stats.requests).toBe(2);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain("wren_router_requests_total 2");
    expect(metrics).toMatch(/wren_router_tokens_total\{target="openai:gpt-4.1",direction="output"\} [1-9]/);
    expect(metrics).toContain("wren_requests_total");
  });

  it("cloud never, and --offline: nothing leaves the machine; the local model still answers what fits", async () => {
    for (const server of [await serve({ cloud: "never" }), await serve({ cloud: "allow" }, true)]) {
      const before = teacher.chatCount;
      const post = (body: unknown) => fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify(body) });
      const refused = await post({ model: "auto", messages: long });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(await refused.json())).toMatch(/Cloud use is off.*openai:gpt-4o-mini was not called/);
      expect((await post({ model: "openai:gpt-4.1", messages: short })).status).toBe(403);
      const local = await post({ model: "auto", messages: short });
      expect(local.status).toBe(200);
      expect(local.headers.get("x-wren-provider")).toBe("local");
      expect(teacher.chatCount).toBe(before);
    }
  });

  it("the local model behind auto loads on demand, escalates with reason loading meanwhile, and still unloads when idle", async () => {
    const server = await serve({ cloud: "allow" }, false, { idleUnloadMs: 300 });
    const auto = () => fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "auto", messages: short, max_tokens: 8 }) });
    const loaded = () => server.models.list()[0]!.loaded;
    expect(loaded()).toBe(false);

    const loading = server.models.acquire("chat");
    expect(server.models.isLoading("chat")).toBe(true);
    const meanwhile = await auto();
    expect(headersOf(meanwhile.headers)).toMatchObject({ provider: "openai", reason: "loading" });
    (await loading).release();

    expect(headersOf((await auto()).headers)).toMatchObject({ provider: "local", reason: "local" });
    const deadline = Date.now() + 5000;
    while (loaded() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(loaded()).toBe(false);
    // Unloaded and not loading: the lease loads it again for the request.
    const again = await auto();
    expect(again.status).toBe(200);
    expect(headersOf(again.headers)).toMatchObject({ provider: "local", reason: "local" });
  });

  it("auto obeys the local model's sequences and queue: past them 429 + retry-after, the teacher only where the route allows", async () => {
    const server = await serve(
      {
        cloud: "allow",
        retry: { maxRetries: 0 },
        // `strict` moves on only for a 5xx: a busy local model is the client's 429. `auto` (the default route) moves on for anything.
        routes: { strict: { type: "fallback", targets: ["local:chat", "openai:gpt-4o-mini"], onStatus: [500] } },
      },
      false,
      undefined,
      { sequences: 1, maxQueue: 1 },
    );
    const post = (model: string) =>
      fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model, messages: short, max_tokens: 16 }) });
    const lease = await server.models.acquire("chat");
    const model = lease.model.language;
    if (!(model instanceof LocalModel)) throw new Error("chat is served by the local engine");
    const held = await model.reserve(); // the model's one sequence is busy
    const before = teacher.chatCount;

    const queued = post("strict");
    const deadline = Date.now() + 5000;
    while (model.stats().queued < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(model.stats().queued).toBe(1); // the routed request waits in the model's own line, the same as direct ones
    // /metrics and /status read that line: the server keeps none of its own.
    expect((await (await fetch(`${server.url}/metrics`)).text()).split("\n")).toContain('wren_queue_depth{model="chat"} 1');
    expect(((await (await fetch(`${server.url}/status`)).json()) as { models: unknown[] }).models).toContainEqual({ id: "chat", loaded: true, active: 1, queued: 1, files: [expect.stringMatching(/\.gguf$/)] });

    const flood = await Promise.all([post("strict"), post("strict"), post("chat")]);
    for (const res of flood) {
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(JSON.stringify(await res.json())).toMatch(/Model 'chat' is busy/);
    }
    expect(teacher.chatCount).toBe(before);

    // The default route allows any failure to move on: the busy local model hands over to the teacher.
    const fellBack = await post("auto");
    expect(fellBack.status).toBe(200);
    expect(headersOf(fellBack.headers)).toEqual({ provider: "openai", model: "gpt-4o-mini", route: "default", reason: "fallback" });
    expect(teacher.chatCount).toBe(before + 1);

    held.release();
    lease.release();
    const answered = await queued;
    expect(answered.status).toBe(200);
    expect(headersOf(answered.headers)).toMatchObject({ provider: "local", model: "chat", route: "strict" });
    // A busy local model is not an unwell one: its circuit stays closed, the next request is local.
    expect(headersOf((await post("auto")).headers)).toMatchObject({ provider: "local", reason: "local" });
  });

  it("refusals and failed targets still say which target, route and reason, in every dialect", async () => {
    const never = await serve({ cloud: "never" });
    const post = (server: RunningServer, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const refused = { provider: "openai", model: "gpt-4o-mini", route: "default", reason: "consent" };
    for (const res of [
      await post(never, "/v1/chat/completions", { model: "auto", messages: long }),
      await post(never, "/v1/chat/completions", { model: "auto", messages: long, stream: true }),
      await post(never, "/v1/messages", { model: "auto", max_tokens: 16, messages: long, stream: true }),
      await post(never, "/api/chat", { model: "auto", messages: long }),
      await post(never, "/api/generate", { model: "auto", prompt: long[0]!.content, stream: false }),
    ]) {
      expect(res.status).toBe(403);
      expect(headersOf(res.headers)).toEqual(refused);
    }
    const direct = await post(never, "/v1/chat/completions", { model: "openai:gpt-4.1", messages: short });
    expect(direct.status).toBe(403);
    expect(headersOf(direct.headers)).toEqual({ provider: "openai", model: "gpt-4.1", route: "direct", reason: "consent" });

    // A target that fails: the error names it, with the reason it was tried for.
    const allow = await serve({ cloud: "allow" });
    teacher.fail({ kind: "status", status: 400 });
    const failed = await post(allow, "/v1/messages", { model: "openai:gpt-4.1", max_tokens: 16, messages: short });
    expect(failed.status).toBe(400);
    expect(headersOf(failed.headers)).toEqual({ provider: "openai", model: "gpt-4.1", route: "direct", reason: "direct" });
    expect(await failed.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("count_tokens and message_start count auto with the local tokenizer; a route that starts in the cloud names the model to count with", async () => {
    const server = await serve({ cloud: "allow", routes: { cloudy: { type: "fallback", targets: ["openai:gpt-4o-mini", "local:chat"] } } });
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const count = (model: string) => post("/v1/messages/count_tokens", { model, messages: short });

    const byName = (await (await count("chat")).json()) as { input_tokens: number };
    expect(byName.input_tokens).toBeGreaterThan(0);
    const auto = await count("auto");
    expect(auto.status).toBe(200);
    expect(await auto.json()).toEqual(byName);

    const streamed = await (await post("/v1/messages", { model: "auto", max_tokens: 16, messages: short, stream: true })).text();
    const start = streamed
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)) as { type: string; message?: { usage: { input_tokens: number } } })
      .find((e) => e.type === "message_start");
    expect(start?.message?.usage.input_tokens).toBe(byName.input_tokens);

    for (const [model, first] of [["cloudy", "openai:gpt-4o-mini"], ["openai:gpt-4.1", "openai:gpt-4.1"]] as const) {
      const refused = await count(model);
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe("invalid_request_error");
      expect(body.error.message).toContain(`Model '${model}' cannot count tokens: its route starts at ${first}, not at the local model.`);
      expect(body.error.message).toContain('Count with the local model instead: model "chat".');
    }
  });
});
