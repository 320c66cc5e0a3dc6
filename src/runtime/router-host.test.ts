import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { defaultConfig } from "../config/index.js";
import { createServerApp } from "../server/app.js";
import { buildRouter } from "./router.js";
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
