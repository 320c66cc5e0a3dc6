import { describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { userText } from "../protocol/index.js";
import { ConsentGate } from "./consent.js";
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

describe("one question for requests that wait together", () => {
  /** Someone who answers when told to and who, when the question is taken down, says no or goes away (rejects). */
  function user(onWithdraw: "says no" | "goes away") {
    const asked: Array<AbortSignal | undefined> = [];
    let answer: ((yes: boolean) => void) | undefined;
    const ask = (_target: string, signal?: AbortSignal): Promise<boolean> => {
      asked.push(signal);
      return new Promise<boolean>((resolve, reject) => {
        answer = resolve;
        signal?.addEventListener("abort", () => (onWithdraw === "says no" ? resolve(false) : reject(new Error("the dialog was closed"))), { once: true });
      });
    };
    return { ask, asked, answer: (yes: boolean) => answer!(yes) };
  }

  for (const onWithdraw of ["says no", "goes away"] as const) {
    it(`the first asker cancelling leaves the question up for the second, who gets the user's answer (asker ${onWithdraw} when taken down)`, async () => {
      const u = user(onWithdraw);
      const gate = new ConsentGate({ policy: "ask", ask: u.ask });
      const first = new AbortController();
      const second = new AbortController();
      const firstCheck = gate.check("openai:gpt", first.signal);
      const secondCheck = gate.check("openai:gpt", second.signal);
      expect(u.asked).toHaveLength(1);

      first.abort();
      // Its own cancellation ends the first request's wait at once.
      expect(await firstCheck).toMatchObject({ code: "aborted" });
      u.answer(true);
      expect(await secondCheck).toBeUndefined();
      // The question stayed up for the second request.
      expect(u.asked[0]?.aborted).toBe(false);
      // The answer holds for the session.
      expect(await gate.check("openai:gpt")).toBeUndefined();
      expect(u.asked).toHaveLength(1);
    });
  }

  it("the question is withdrawn when the last request waiting on it goes, and asked again next time", async () => {
    const u = user("says no");
    const gate = new ConsentGate({ policy: "ask", ask: u.ask });
    const first = new AbortController();
    const second = new AbortController();
    const firstCheck = gate.check("openai:gpt", first.signal);
    const secondCheck = gate.check("openai:gpt", second.signal);

    second.abort();
    expect(await secondCheck).toMatchObject({ code: "aborted" });
    // Still up, and one more request waits on the same question rather than asking another.
    const third = new AbortController();
    const thirdCheck = gate.check("openai:gpt", third.signal);
    expect(u.asked).toHaveLength(1);
    first.abort();
    expect(await firstCheck).toMatchObject({ code: "aborted" });
    expect(u.asked[0]?.aborted).toBe(false);
    third.abort();
    expect(await thirdCheck).toMatchObject({ code: "aborted" });
    expect(u.asked[0]?.aborted).toBe(true);

    const next = gate.check("openai:gpt");
    expect(u.asked).toHaveLength(2);
    u.answer(false);
    expect(await next).toMatchObject({ code: "forbidden", message: expect.stringContaining("declined") });
  });
});
