import { describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { defaultConfig } from "../config/index.js";
import { userText } from "../protocol/index.js";
import { createServerApp } from "../server/app.js";
import { WrenError } from "../shared/errors.js";
import { buildRouter } from "./router.js";
import { RoutedModelHost } from "./router-host.js";

describe("a non-streamed request through the router", () => {
  function routerOf(first: FakeUpstream, second: FakeUpstream) {
    const config = defaultConfig({ env: {} }, {
      router: {
        cloud: "allow",
        proxyOnly: true,
        healthIntervalMs: 0,
        teachers: ["anthropic:claude-sonnet-4-6", "openai:gpt-4o-mini"],
        providers: { anthropic: { baseURL: first.url, cloud: true }, openai: { baseURL: `${second.url}/v1`, cloud: true } },
      },
    }).router;
    return buildRouter({ config, env: { OPENAI_API_KEY: "sk", ANTHROPIC_API_KEY: "sk" } }).router;
  }

  function app(first: FakeUpstream, second: FakeUpstream) {
    return createServerApp({ host: new RoutedModelHost({ router: routerOf(first, second) }) }).app;
  }

  const ask = (first: FakeUpstream, second: FakeUpstream, body: Record<string, unknown>) =>
    app(first, second).request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "Hi" }], ...body }),
    });

  it("stays non-streamed upstream, and a first teacher whose answer is cut halfway is replaced by the next", async () => {
    await using first = await startFakeUpstream("anthropic");
    await using second = await startFakeUpstream("openai");
    // Every try of the first teacher is cut (retries included), so only failover can answer.
    first.fail({ kind: "cut", afterEvents: 2 }, 10);
    const res = await ask(first, second, {});
    expect(res.status).toBe(200);
    expect(res.headers.get("x-wren-provider")).toBe("openai");
    expect(res.headers.get("x-wren-reason")).toBe("fallback");
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe("Hello from the cloud.");
    expect(first.chatCount).toBeGreaterThan(0);
    expect(second.chatCount).toBe(1);
    // Both teachers were asked for one whole response, not a stream.
    expect(first.requests.filter((r) => r.method === "POST").at(-1)!.body["stream"]).not.toBe(true);
    expect(second.requests.at(-1)!.body["stream"]).not.toBe(true);
  });

  it("a first teacher that fails before any byte is replaced by the next", async () => {
    await using first = await startFakeUpstream("anthropic");
    await using second = await startFakeUpstream("openai");
    first.fail({ kind: "status", status: 400 }, 1);
    const res = await ask(first, second, {});
    expect(res.status).toBe(200);
    expect(res.headers.get("x-wren-provider")).toBe("openai");
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe("Hello from the cloud.");
  });

  it("when every teacher fails, the error itself says which one failed last, thrown or answered", async () => {
    await using first = await startFakeUpstream("anthropic");
    await using second = await startFakeUpstream("openai");
    first.fail({ kind: "status", status: 400 }, 1);
    second.fail({ kind: "status", status: 400 }, 1);
    const error = await routerOf(first, second).model("auto").doGenerate({ messages: [userText("Hi")] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).provenance).toMatchObject({ provider: "openai", model: "gpt-4o-mini", route: "default" });

    first.fail({ kind: "status", status: 400 }, 1);
    second.fail({ kind: "status", status: 400 }, 1);
    const res = await ask(first, second, {});
    // The teachers wren chose refused it, not the client's request: a bad gateway, not a bad request.
    expect(res.status).toBe(502);
    expect(res.headers.get("x-wren-provider")).toBe("openai");
    expect(res.headers.get("x-wren-model")).toBe("gpt-4o-mini");
  });
});
