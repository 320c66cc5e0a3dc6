import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { collectStream, userText, type StreamPart } from "../protocol/index.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { Router } from "./router.js";

describe("a non-streamed answer through the router", () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    await upstream.close();
  });

  function router(): Router {
    return new Router({
      targets: [{ id: "openai:gpt-4o-mini", model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk" }), leavesMachine: true }],
      routes: { default: { type: "target", target: "openai:gpt-4o-mini" } },
      consent: { policy: "allow" },
    });
  }

  it("stays one object: a stream-start, then a finish that carries the whole answer and who gave it", async () => {
    const before = upstream.chatCount;
    const parts: StreamPart[] = [];
    for await (const part of router().doGenerateParts({ messages: [userText("Hi")] })) parts.push(part);
    expect(upstream.chatCount).toBe(before + 1);
    expect(parts.map((p) => p.type)).toEqual(["stream-start", "finish"]);
    const finish = parts[1] as StreamPart & { type: "finish" };
    expect(finish.content).toEqual([{ type: "text", text: "Hello from the cloud." }]);
    expect(finish.provenance).toMatchObject({ provider: "openai", model: "gpt-4o-mini", route: "default" });
    expect(finish.usage.outputTokens).toBeGreaterThan(0);
  });

  it("folds into the same result as the upstream's own non-streamed answer", async () => {
    const direct = await new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${upstream.url}/v1`, apiKey: "sk" }).doGenerate({ messages: [userText("Hi")] });
    const routed = await collectStream(router().doGenerateParts({ messages: [userText("Hi")] }));
    expect(routed.content).toEqual(direct.content);
    expect(routed.usage).toEqual(direct.usage);
    expect(routed.finishReason).toBe(direct.finishReason);
    expect(routed.provenance).toMatchObject({ provider: "openai", reason: "primary" });
  });
});
