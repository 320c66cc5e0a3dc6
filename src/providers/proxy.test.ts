import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { userText } from "../protocol/index.js";
import { startConnectProxy, type ConnectProxy } from "../../test/helpers/connect-proxy.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { AnthropicModel } from "./anthropic/model.js";
import { OpenAICompatibleModel } from "./openai-compatible/model.js";

/**
 * Behind a company's proxy, a teacher is reached only through it: `teacher.internal` resolves
 * nowhere but at the proxy, so an answer proves the request went through it.
 */
describe("teachers behind the proxy the environment names", () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let proxy: ConnectProxy;
  const saved = { HTTP_PROXY: process.env["HTTP_PROXY"], NO_PROXY: process.env["NO_PROXY"], http_proxy: process.env["http_proxy"], no_proxy: process.env["no_proxy"] };
  beforeAll(async () => {
    openai = await startFakeUpstream("openai");
    anthropic = await startFakeUpstream("anthropic");
    proxy = await startConnectProxy({ "openai.internal": Number(new URL(openai.url).port), "anthropic.internal": Number(new URL(anthropic.url).port) }, "me:s3cret");
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close(), proxy.close()]);
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const set = (env: Record<string, string>): void => {
    delete process.env["http_proxy"];
    delete process.env["no_proxy"];
    for (const [name, value] of Object.entries(env)) process.env[name] = value;
  };
  const portOf = (upstream: FakeUpstream): string => new URL(upstream.url).port;

  it("sends an OpenAI-compatible teacher's request through HTTP_PROXY, with the proxy's credentials", async () => {
    set({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
    const before = proxy.tunnels.length;
    const model = new OpenAICompatibleModel({ provider: "acme", modelId: "gpt-4o-mini", apiKey: "sk-test", baseURL: `http://openai.internal:${portOf(openai)}/v1` });
    const answer = await model.doGenerate({ messages: [userText("hi")] });
    expect(answer.content.length).toBeGreaterThan(0);
    expect(proxy.tunnels.slice(before)).toEqual([{ target: `openai.internal:${portOf(openai)}`, authorization: `Basic ${Buffer.from("me:s3cret").toString("base64")}` }]);
  });

  it("sends an SDK provider's request (Anthropic) through it too", async () => {
    set({ HTTP_PROXY: proxy.url, NO_PROXY: "" });
    const before = proxy.tunnels.length;
    const model = new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: `http://anthropic.internal:${portOf(anthropic)}` });
    const answer = await model.doGenerate({ messages: [userText("hi")] });
    expect(answer.content.length).toBeGreaterThan(0);
    expect(proxy.tunnels.slice(before).map((t) => t.target)).toEqual([`anthropic.internal:${portOf(anthropic)}`]);
  });

  it("reaches a host NO_PROXY lists, and this machine's loopback, directly", async () => {
    set({ HTTP_PROXY: proxy.url, NO_PROXY: "openai.internal" });
    const before = proxy.tunnels.length;
    const listed = new OpenAICompatibleModel({ provider: "acme", modelId: "gpt-4o-mini", baseURL: `http://openai.internal:${portOf(openai)}/v1` });
    // Not through the proxy, the name resolves nowhere.
    await expect(listed.doGenerate({ messages: [userText("hi")] })).rejects.toMatchObject({ code: "network_error" });
    const local = new OpenAICompatibleModel({ provider: "acme", modelId: "gpt-4o-mini", baseURL: `${openai.url}/v1` });
    expect((await local.doGenerate({ messages: [userText("hi")] })).content.length).toBeGreaterThan(0);
    expect(proxy.tunnels.length).toBe(before);
  });

  it("says the proxy refused, when it asks for credentials wren was not given", async () => {
    set({ HTTP_PROXY: proxy.url.replace("me:s3cret@", ""), NO_PROXY: "" });
    const model = new OpenAICompatibleModel({ provider: "acme", modelId: "gpt-4o-mini", baseURL: `http://openai.internal:${portOf(openai)}/v1` });
    const error = await model.doGenerate({ messages: [userText("hi")] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: "network_error", message: expect.stringContaining("the proxy set in HTTPS_PROXY or HTTP_PROXY refused to connect to it (HTTP 407: it asks for credentials)") });
    const sdk = new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: `http://anthropic.internal:${portOf(anthropic)}` });
    const sdkError = await sdk.doGenerate({ messages: [userText("hi")] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(sdkError).toMatchObject({ code: "network_error", message: expect.stringContaining("(HTTP 407: it asks for credentials)") });
  });
});
