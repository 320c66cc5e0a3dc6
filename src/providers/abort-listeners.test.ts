import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { userText } from "../protocol/index.js";

describe.each(["openai", "anthropic", "gemini", "ollama"] as const)("the %s provider and a caller's signal", (dialect) => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream(dialect);
  });
  afterAll(() => upstream.close());

  it("keeps no listener on a signal shared by many calls once each has ended: answered, cancelled, streamed or not", async () => {
    const model = providerModelFor(dialect, upstream.url);
    // A session's signal, given to every call of the session: each call must take its listener back.
    const session = new AbortController();
    const listeners = () => getEventListeners(session.signal, "abort").length;
    for (let i = 0; i < 12; i++) {
      const parts = await streamParts(model.doStream({ messages: [userText("Hi")] }, { signal: session.signal }));
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
      await model.doGenerate({ messages: [userText("Hi")] }, { signal: session.signal });
      // A streamed call its reader left after the first text.
      for await (const part of model.doStream({ messages: [userText("Hi")] }, { signal: session.signal })) if (part.type === "text-delta") break;
    }
    // (undici takes its listener back as the response closes, a moment after the call ended.)
    await expect.poll(listeners, { timeout: 5_000 }).toBe(0);
    // Cancelled calls, each with its own signal that follows the session's, as a server's request does.
    for (let i = 0; i < 12; i++) {
      const request = new AbortController();
      const follow = () => request.abort();
      session.signal.addEventListener("abort", follow, { once: true });
      for await (const part of model.doStream({ messages: [userText("Hi")] }, { signal: request.signal })) if (part.type === "text-delta") request.abort();
      session.signal.removeEventListener("abort", follow);
    }
    await expect.poll(listeners, { timeout: 5_000 }).toBe(0);
  });
});
