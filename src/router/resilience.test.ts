import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { startFakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { userText, type StreamPart } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { classifyFailure } from "./classify.js";
import { HealthChecker, httpProbe } from "./health.js";
import { retryDelay } from "./retry.js";
import { Router } from "./router.js";
import { withDeadline, withTimeouts } from "./timeouts.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* slow(delays: { start: number; first: number; gap: number }, signal?: AbortSignal): AsyncIterable<StreamPart> {
  await sleep(delays.start);
  if (signal?.aborted) return;
  yield { type: "stream-start", provider: "p", modelId: "m" };
  await sleep(delays.first);
  yield { type: "text-start", id: "t" };
  yield { type: "text-delta", id: "t", delta: "a" };
  await sleep(delays.gap);
  yield { type: "text-delta", id: "t", delta: "b" };
  yield { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } };
}

async function drain(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe("per-target timeouts", () => {
  it.each([
    ["connect", { start: 200, first: 0, gap: 0 }, { connectMs: 50 }, /sent no response within 50 ms/],
    ["first-token", { start: 0, first: 200, gap: 0 }, { firstTokenMs: 50 }, /answered, then sent no first token within 50 ms/],
    ["idle", { start: 0, first: 0, gap: 200 }, { idleMs: 50 }, /no next token within 50 ms/],
  ] as const)("a %s timeout aborts the call with a retryable timeout naming the phase", async (phase, delays, limits, message) => {
    let seen: AbortSignal | undefined;
    const stream = withTimeouts((o) => ((seen = o.signal), slow(delays, o.signal)), limits, "openai:gpt");
    const error = await drain(stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrenError);
    expect(error).toMatchObject({ code: "timeout", isRetryable: true, details: { phase }, message: expect.stringMatching(message) });
    expect(seen?.aborted).toBe(true);
  });

  it("a whole-call limit (totalMs) ends a stream whose every wait is within its phase's limit", async () => {
    let seen: AbortSignal | undefined;
    const stream = withTimeouts((o) => ((seen = o.signal), slow({ start: 80, first: 80, gap: 80 }, o.signal)), { connectMs: 1000, firstTokenMs: 1000, idleMs: 1000, totalMs: 150 }, "openai:gpt");
    const error = await drain(stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "timeout", isRetryable: true, details: { phase: "total" }, message: "openai:gpt sent no complete answer within 150 ms." });
    expect(seen?.aborted).toBe(true);
  });

  it("a non-streamed call past its totalMs is aborted with a retryable timeout; within it, its answer comes back", async () => {
    let seen: AbortSignal | undefined;
    const hung = (o: { signal?: AbortSignal }) => ((seen = o.signal), new Promise<string>(() => undefined));
    await expect(withDeadline(hung, { totalMs: 50 }, "openai:gpt")).rejects.toMatchObject({ code: "timeout", details: { phase: "total" } });
    expect(seen?.aborted).toBe(true);
    expect(await withDeadline(async () => "whole", { totalMs: 1000 }, "openai:gpt")).toBe("whole");
    // No totalMs: the call is the model's own, with the caller's signal.
    const caller = new AbortController();
    await withDeadline(async (o) => ((seen = o.signal), "x"), {}, "t", caller.signal);
    expect(seen).toBe(caller.signal);
  });

  it("a call done under a totalMs leaves no listener on its signal or the caller's (none holds its answer afterwards)", async () => {
    let seen: AbortSignal | undefined;
    const caller = new AbortController();
    expect(await withDeadline(async (o) => ((seen = o.signal), "whole"), { totalMs: 60_000 }, "t", caller.signal)).toBe("whole");
    expect(seen).toBeDefined();
    expect(getEventListeners(seen as AbortSignal, "abort")).toHaveLength(0);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    await expect(withDeadline(async (o) => ((seen = o.signal), Promise.reject(new Error("refused"))), { totalMs: 60_000 }, "t", caller.signal)).rejects.toThrow("refused");
    expect(getEventListeners(seen as AbortSignal, "abort")).toHaveLength(0);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("under a totalMs, the caller's cancel reaches the call with the caller's reason, and the call's signal says the timeout once past it", async () => {
    let seen: AbortSignal | undefined;
    const caller = new AbortController();
    const pending = withDeadline((o) => ((seen = o.signal), new Promise<string>((_, reject) => o.signal?.addEventListener("abort", () => reject(o.signal?.reason as Error)))), { totalMs: 60_000 }, "t", caller.signal);
    caller.abort(new Error("client went away"));
    await expect(pending).rejects.toThrow("client went away");
    expect(seen?.reason).toMatchObject({ message: "client went away" });
    const late = withDeadline((o) => ((seen = o.signal), new Promise<string>(() => undefined)), { totalMs: 20 }, "t");
    await expect(late).rejects.toMatchObject({ code: "timeout" });
    expect(seen?.reason).toMatchObject({ code: "timeout", details: { phase: "total" } });
  });

  it("a later phase's shorter limit still bounds its wait, while the call's earlier waits had longer ones", async () => {
    const started = performance.now();
    const error = await drain(withTimeouts((o) => slow({ start: 0, first: 0, gap: 2_000 }, o.signal), { connectMs: 1_500, firstTokenMs: 1_500, idleMs: 50 }, "t")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "timeout", details: { phase: "idle" } });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a stream whose phases share one limit arms one timer for the whole call, not one per phase", async () => {
    const real = globalThis.setTimeout;
    let armed = 0;
    const counting = ((handler: () => void, ms?: number) => {
      if (ms !== undefined && ms >= 30_000) armed++;
      return real(handler, ms);
    }) as typeof setTimeout;
    globalThis.setTimeout = counting;
    try {
      const parts = await drain(withTimeouts((o) => slow({ start: 0, first: 0, gap: 0 }, o.signal), { connectMs: 60_000, firstTokenMs: 60_000, idleMs: 60_000 }, "t"));
      expect(parts.map((p) => p.type)).toEqual(["stream-start", "text-start", "text-delta", "text-delta", "finish"]);
    } finally {
      globalThis.setTimeout = real;
    }
    expect(armed).toBe(1);
  });

  it("within its limits the stream passes through untouched", async () => {
    const parts = await drain(withTimeouts((o) => slow({ start: 5, first: 5, gap: 5 }, o.signal), { connectMs: 500, firstTokenMs: 500, idleMs: 500 }, "t"));
    expect(parts.map((p) => p.type)).toEqual(["stream-start", "text-start", "text-delta", "text-delta", "finish"]);
  });

  it("a caller that aborts and stops reading still closes the target's stream, so what it holds is given back", async () => {
    const controller = new AbortController();
    let closed = false;
    async function* holding(): AsyncIterable<StreamPart> {
      try {
        yield { type: "stream-start", provider: "p", modelId: "m" };
        yield { type: "text-start", id: "t" };
        yield { type: "text-delta", id: "t", delta: "a" };
      } finally {
        closed = true;
      }
    }
    for await (const part of withTimeouts(() => holding(), { idleMs: 60_000 }, "local:m", controller.signal)) {
      if (part.type === "text-start") {
        controller.abort();
        break;
      }
    }
    await sleep(0);
    expect(closed).toBe(true);
  });
});

describe("retry policy", () => {
  it("does not wait for a retry-after longer than the cap, and never retries client errors", () => {
    const limited = classifyFailure(new WrenError("rate_limited", "x", { retryAfter: 120, status: 429 }));
    expect(retryDelay(limited, 0)).toBeUndefined();
    expect(retryDelay(limited, 0, { maxRetryAfterMs: 200_000 })).toBe(120_000);
    expect(retryDelay(classifyFailure(new WrenError("bad_request", "x", { status: 400 })), 0)).toBeUndefined();
    expect(retryDelay(classifyFailure(new WrenError("upstream_error", "x", { status: 502 })), 5, { maxRetries: 10, baseDelayMs: 1000, maxDelayMs: 4000, jitter: 0 })).toBe(4000);
  });
});

describe("background health checks", () => {
  it("mark a target that stops answering unhealthy, and the router skips it", async () => {
    const upstream = await startFakeUpstream("openai");
    const probes = new Map([["openai:gpt", httpProbe(`${upstream.url}/v1/models`)]]);
    using health = new HealthChecker(probes, { intervalMs: 60_000, timeoutMs: 1000 });
    const primary = new ScriptedModel("openai", "gpt", [textAnswer("primary")]);
    const router = new Router({
      targets: [
        { id: "openai:gpt", model: primary, leavesMachine: true },
        { id: "groq:llama", model: new ScriptedModel("groq", "llama", [textAnswer("backup")]), leavesMachine: true },
      ],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "openai:gpt" }, { type: "target", target: "groq:llama" }] } },
      consent: { policy: "allow" },
      health,
    });
    await health.checkNow();
    expect(health.isHealthy("openai:gpt")).toBe(true);
    expect((await router.doGenerate({ messages: [userText("hi")] })).provenance?.provider).toBe("openai");
    expect(upstream.requests.map((r) => r.path)).toEqual(["/v1/models"]);

    await upstream.close();
    await health.checkNow();
    expect(health.isHealthy("openai:gpt")).toBe(false);
    const result = await router.doGenerate({ messages: [userText("hi")] });
    expect(result.provenance).toMatchObject({ provider: "groq", reason: "unhealthy" });
    expect(router.log.list()[0]!.attempts[0]).toMatchObject({ outcome: "skipped", detail: "unhealthy" });
    expect(primary.calls).toBe(1);
  });
});
