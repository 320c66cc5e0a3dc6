import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { defaultConfig } from "../config/index.js";
import { createServerApp } from "../server/app.js";
import { buildRouter } from "./router.js";
import { knownModelRef } from "../providers/registry.js";
import { RoutedModelHost } from "./router-host.js";

describe("the server with the router in front", () => {
  let openai: FakeUpstream;
  beforeAll(async () => {
    openai = await startFakeUpstream("openai");
  });
  afterAll(() => openai.close());

  function app(cloud: "allow" | "ask") {
    const config = defaultConfig({ env: {} }, {
      router: { cloud, proxyOnly: true, healthIntervalMs: 0, teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${openai.url}/v1`, cloud: true } } },
    }).router;
    const { router } = buildRouter({ config, env: { OPENAI_API_KEY: "sk" } });
    return createServerApp({ host: new RoutedModelHost({ router }) }).app;
  }

  const post = (a: ReturnType<typeof app>, body: unknown) =>
    a.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("model auto goes through the policy and an explicit provider:model straight to it", async () => {
    const a = app("allow");
    const res = await post(a, { model: "auto", messages: [{ role: "user", content: "Hi" }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe("Hello from the cloud.");
    expect(openai.requests.at(-1)!.body["model"]).toBe("gpt-4o-mini");

    const direct = await post(a, { model: "openai:gpt-4.1", stream: true, messages: [{ role: "user", content: "Hi" }] });
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain("Hello");
    expect(openai.requests.at(-1)!.body["model"]).toBe("gpt-4.1");
  });

  it("a name whose part before the colon is no provider is a model not served here (404), never a cloud call to consent to", async () => {
    const a = app("ask");
    const before = openai.chatCount;
    const chat = await post(a, { model: "nope:x", messages: [{ role: "user", content: "Hi" }] });
    expect(chat.status).toBe(404);
    expect(await chat.json()).toMatchObject({ error: { code: "model_not_found", message: expect.stringContaining("'nope:x' is not served here") } });
    const ollama = await a.request("/api/chat", { method: "POST", body: JSON.stringify({ model: "llama3:latest", messages: [{ role: "user", content: "Hi" }] }) });
    expect(ollama.status).toBe(404);
    expect((await a.request("/v1/models/foo:bar")).status).toBe(404);
    expect((await a.request("/api/show", { method: "POST", body: JSON.stringify({ model: "foo:bar" }) })).status).toBe(404);
    // A known provider's model is still a name the router answers.
    expect((await a.request("/v1/models/anthropic:claude-sonnet-4-6")).status).toBe(200);
    expect(openai.chatCount).toBe(before);
  });

  it("a provider set in router.providers is known too", () => {
    const { router } = buildRouter({
      config: defaultConfig({ env: {} }, { router: { proxyOnly: true, healthIntervalMs: 0, teachers: ["openai:gpt-4o-mini"] } }).router,
      env: { OPENAI_API_KEY: "sk" },
    });
    const providers = { acme: { baseURL: "http://127.0.0.1:9/v1" } };
    const host = new RoutedModelHost({ router, isTarget: (name) => knownModelRef(name, providers) !== undefined });
    expect(host.resolve("acme:m1")).toMatchObject({ id: "acme:m1", routed: true });
    expect(host.resolve("other:m1")).toBeUndefined();
    expect(new RoutedModelHost({ router }).resolve("acme:m1")).toBeUndefined();
  });

  it("with cloud use ask, the server refuses with a clear error and calls nothing", async () => {
    const before = openai.requests.length;
    const res = await post(app("ask"), { model: "auto", messages: [{ role: "user", content: "Hi" }] });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toMatch(/Cloud use needs consent/);
    expect(openai.requests.length).toBe(before);
  });

  it("without a local model, token counting through a route says a local model is needed", async () => {
    const res = await app("allow").request("/v1/messages/count_tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/Model 'auto' cannot count tokens: its route starts at openai:gpt-4o-mini.*Token counting needs a local model/);
  });
});
