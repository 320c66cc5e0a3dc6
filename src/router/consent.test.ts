import { describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { userText } from "../protocol/index.js";
import { Router } from "./router.js";

describe("asking before a cloud teacher is used", () => {
  it("a client that cancels while wren waits for the answer ends its request; the question is not taken as a no", async () => {
    await using upstream = await startFakeUpstream("openai");
    const asked: Array<AbortSignal | undefined> = [];
    let answer: ((yes: boolean) => void) | undefined;
    const router = new Router({
      targets: [{ id: "openai:gpt", model: providerModelFor("openai", upstream.url), leavesMachine: true }],
      routes: { default: { type: "target", target: "openai:gpt" } },
      consent: {
        policy: "ask",
        // Someone who does not answer until told to, and who, cancelled, says no (as a dialog taken down does).
        ask: (_target, signal) => {
          asked.push(signal);
          return new Promise<boolean>((resolve) => {
            answer = resolve;
            signal?.addEventListener("abort", () => resolve(false), { once: true });
          });
        },
      },
    });

    const controller = new AbortController();
    const cancelled = streamParts(router.doStream({ messages: [userText("Hi")] }, { signal: controller.signal }));
    await expect.poll(() => asked.length).toBe(1);
    controller.abort();
    const parts = await cancelled;
    expect(parts).toEqual([{ type: "finish", finishReason: "abort", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } }]);
    expect(asked[0]?.aborted).toBe(true);
    expect(router.log.list()[0]).toMatchObject({ outcome: "error", error: "aborted" });

    // The next request is asked again, and a yes lets it through.
    const next = streamParts(router.doStream({ messages: [userText("Hi")] }));
    await expect.poll(() => asked.length).toBe(2);
    answer!(true);
    const answered = await next;
    expect(answered.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "openai" } });
    expect(upstream.chatCount).toBe(1);
  });
});
