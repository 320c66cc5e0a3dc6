import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { refusedUrl, startFakeUpstream, type DialectName, type FakeUpstream, type Fault } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { userText, type StreamPart } from "../protocol/index.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { FakeClock } from "./clock.js";
import { Router } from "./router.js";

/** Events to send before the first text delta has gone out, per dialect (for a cut after partial output). */
const afterFirstText: Record<DialectName, number> = { openai: 2, anthropic: 4, gemini: 1, ollama: 1 };

/** Events that carry no text yet (a role chunk, `message_start`, …): a stream cut after them has said nothing. */
const beforeAnyText: Record<DialectName, number> = { openai: 1, anthropic: 3, gemini: 0, ollama: 0 };

const text = (parts: StreamPart[]) => parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("");

describe.each(["openai", "anthropic", "gemini", "ollama"] as const)("fault injection on a fake %s upstream", (dialect) => {
  let primary: FakeUpstream;
  let backup: FakeUpstream;
  beforeAll(async () => {
    primary = await startFakeUpstream(dialect);
    backup = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    await primary.close();
    await backup.close();
  });
  // The two servers are shared by this block's tests, which may run in any order (--sequence.shuffle):
  // each must find them idle with no fault queued. The server notices a connection it cut closed a
  // moment after the router has read the cut, so wait for that; a fault left queued is a test's
  // mistake, and would be suffered by whichever test runs next.
  afterEach(async () => {
    await expect.poll(() => [primary.inFlight, backup.inFlight], { timeout: 5_000 }).toEqual([0, 0]);
    expect([primary.clearFaults(), backup.clearFaults()]).toEqual([0, 0]);
  });

  function build(primaryUrl = primary.url, extra: { totalMs?: number } = {}) {
    const clock = new FakeClock();
    const main = providerModelFor(dialect, primaryUrl);
    const router = new Router({
      targets: [
        { id: "primary", model: main, leavesMachine: true, timeouts: { connectMs: 2000, firstTokenMs: 300, idleMs: 2000, ...extra } },
        { id: "backup", model: new OpenAICompatibleModel({ provider: "groq", modelId: "llama", baseURL: `${backup.url}/v1` }), leavesMachine: true },
      ],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "primary" }, { type: "target", target: "backup" }] } },
      consent: { policy: "allow" },
      retry: { maxRetries: 1, baseDelayMs: 100, jitter: 0 },
      clock,
    });
    return { router, clock, main };
  }

  async function run(router: Router) {
    const before = { primary: primary.chatCount, backup: backup.chatCount };
    const parts = await streamParts(router.doStream({ messages: [userText("Hi")] }));
    return {
      parts,
      primaryCalls: primary.chatCount - before.primary,
      backupCalls: backup.chatCount - before.backup,
      decision: router.log.list()[0]!,
    };
  }

  it("answers a streamed and a non-streamed tool call through the router, non-streamed upstream too", async () => {
    const { router, main } = build();
    const tools = [{ name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
    const streamed = await streamParts(router.doStream({ messages: [userText("Weather in Paris?")], tools }));
    expect(streamed.find((p) => p.type === "tool-call")).toMatchObject({ toolName: "get_weather" });
    expect(streamed.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls", provenance: { provider: main.provider, reason: "primary" } });
    const generated = await router.doGenerate({ messages: [userText("Weather in Paris?")], tools });
    expect(generated.content.find((p) => p.type === "tool-call")).toMatchObject({ toolName: "get_weather", input: { city: "Paris" } });
    expect(generated.provenance).toMatchObject({ provider: main.provider });
    const sent = primary.requests.at(-1)!;
    if (dialect === "gemini") expect(sent.path).toMatch(/:generateContent$/);
    else expect(sent.body["stream"]).toBe(false);
  });

  it("HTTP 500 once: retried on the same target after a backoff", async () => {
    primary.fail({ kind: "status", status: 500 });
    const { router, clock, main } = build();
    const r = await run(router);
    expect(text(r.parts)).toBe("Hello from the cloud.");
    expect(r.parts[0]).toMatchObject({ provenance: { provider: main.provider, reason: "primary" } });
    expect(clock.sleeps).toEqual([100]);
    expect([r.primaryCalls, r.backupCalls]).toEqual([2, 0]);
    expect(r.decision.attempts.map((a) => [a.outcome, a.status])).toEqual([["retried", 500], ["ok", undefined]]);
  });

  it("HTTP 500 twice: falls back to the next target, provenance says fallback", async () => {
    primary.fail({ kind: "status", status: 500 }, 2);
    const { router } = build();
    const r = await run(router);
    expect(text(r.parts)).toBe("Hello from the cloud.");
    expect(r.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "fallback" } });
    expect([r.primaryCalls, r.backupCalls]).toEqual([2, 1]);
  });

  it("429 with retry-after: waits exactly that long and retries the same target", async () => {
    primary.fail({ kind: "status", status: 429, retryAfter: 3 });
    const { router, clock, main } = build();
    const r = await run(router);
    expect(clock.sleeps).toEqual([3000]);
    expect(r.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: main.provider } });
    expect(r.decision.attempts[0]).toMatchObject({ outcome: "retried", detail: "rate_limited", status: 429 });
  });

  it("connection refused: retried, then the next target answers", async () => {
    const { router } = build(await refusedUrl());
    const r = await run(router);
    expect(text(r.parts)).toBe("Hello from the cloud.");
    expect(r.parts[0]).toMatchObject({ provenance: { provider: "groq", reason: "fallback" } });
    expect(r.decision.attempts.map((a) => [a.outcome, a.detail])).toEqual([["retried", "network_error"], ["failed", "network_error"], ["ok", undefined]]);
  });

  it("a stall before the first token: the first-token timeout moves on transparently", async () => {
    primary.fail({ kind: "stall" }, 2);
    const { router } = build();
    const r = await run(router);
    expect(r.parts.map((p) => p.type)).not.toContain("error");
    expect(r.parts[0]).toMatchObject({ provenance: { provider: "groq", reason: "fallback" } });
    expect(r.decision.attempts.map((a) => a.detail)).toEqual(["timeout", "timeout", undefined]);
  });

  it("a non-streamed call that stalls after its headers: the whole-call limit (totalMs) moves on", async () => {
    primary.fail({ kind: "stall" }, 2);
    const { router: withTotal } = build(primary.url, { totalMs: 400 });
    const before = { primary: primary.chatCount, backup: backup.chatCount };
    const answer = await withTotal.doGenerate({ messages: [userText("Hi")] });
    expect(answer.content).toEqual([{ type: "text", text: "Hello from the cloud." }]);
    expect(answer.provenance).toMatchObject({ provider: "groq", reason: "fallback" });
    expect([primary.chatCount - before.primary, backup.chatCount - before.backup]).toEqual([2, 1]);
    const attempts = withTotal.log.list()[0]!.attempts;
    expect(attempts.map((a) => a.detail)).toEqual(["timeout", "timeout", undefined]);
  });

  it("a cut after partial output: an explicit error event, never a splice", async () => {
    primary.fail({ kind: "cut", afterEvents: afterFirstText[dialect] });
    const { router, main } = build();
    const r = await run(router);
    expect(r.parts[0]).toMatchObject({ provenance: { provider: main.provider } });
    expect(text(r.parts)).toBe("Hello");
    expect(r.parts.at(-1)).toMatchObject({ type: "error", error: { code: "network_error", message: expect.stringMatching(/^[^ ]+ closed the connection mid-answer \([^)]+\)\.$/) } });
    expect(r.parts.filter((p) => p.type === "finish")).toHaveLength(0);
    expect([r.primaryCalls, r.backupCalls]).toEqual([1, 0]);
    expect(r.decision).toMatchObject({ outcome: "error", provider: main.provider });
  });

  it("a stream that ends cleanly before its finish: moves on before any text, an explicit error after it", async () => {
    primary.fail({ kind: "truncated", afterEvents: beforeAnyText[dialect] }, 2);
    const first = await run(build().router);
    expect(text(first.parts)).toBe("Hello from the cloud.");
    expect(first.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "fallback" } });
    expect(first.decision.attempts.map((a) => [a.outcome, a.detail])).toEqual([["retried", "upstream_error"], ["failed", "upstream_error"], ["ok", undefined]]);

    primary.fail({ kind: "truncated", afterEvents: afterFirstText[dialect] });
    const { router, main } = build();
    const second = await run(router);
    expect(text(second.parts)).toBe("Hello");
    expect(second.parts.filter((p) => p.type === "finish")).toHaveLength(0);
    expect(second.parts.at(-1)).toMatchObject({
      type: "error",
      error: { code: "upstream_error", message: expect.stringMatching(/^primary failed after part of the answer was sent: [a-z]+ sent a malformed response: the (event )?stream ended /) },
      provenance: { provider: main.provider },
    });
    expect([second.primaryCalls, second.backupCalls]).toEqual([1, 0]);
    expect(second.decision).toMatchObject({ outcome: "error", provider: main.provider });
  });

  it("an overload reported inside the stream: retried or moved on before any text, after text an error in the upstream's words", async () => {
    primary.fail({ kind: "overload-event", afterEvents: beforeAnyText[dialect] }, 2);
    const first = await run(build().router);
    expect(text(first.parts)).toBe("Hello from the cloud.");
    expect(first.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "fallback" } });
    expect(first.decision.attempts.map((a) => a.outcome)).toEqual(["retried", "failed", "ok"]);
    expect(first.decision.attempts[0]!.detail).not.toBe("network_error");

    primary.fail({ kind: "overload-event", afterEvents: afterFirstText[dialect] });
    const { router, main } = build();
    const second = await run(router);
    expect(text(second.parts)).toBe("Hello");
    expect(second.parts.filter((p) => p.type === "finish")).toHaveLength(0);
    expect(second.parts.at(-1)).toMatchObject({
      type: "error",
      error: { message: `primary failed after part of the answer was sent: ${main.provider} reported an error mid-stream: The model is overloaded.`, isRetryable: true },
      provenance: { provider: main.provider },
    });
    expect(second.backupCalls).toBe(0);
  });

  it("a client that goes away before the first token: the upstream sees its connection close, streamed or not", async () => {
    // No first-token limit here: the stall lasts until the client goes, however slow the machine.
    const router = new Router({
      targets: [{ id: "primary", model: providerModelFor(dialect, primary.url), leavesMachine: true }],
      routes: { default: { type: "target", target: "primary" } },
      consent: { policy: "allow" },
    });
    for (const mode of ["stream", "generate"] as const) {
      primary.fail({ kind: "stall" });
      const before = primary.chatCount;
      const controller = new AbortController();
      const call = mode === "stream" ? streamParts(router.doStream({ messages: [userText("Hi")] }, { signal: controller.signal })) : router.doGenerate({ messages: [userText("Hi")] }, { signal: controller.signal });
      // Its own request has arrived and stalls: only then does the client go away.
      await expect.poll(() => [primary.chatCount - before, primary.inFlight], { timeout: 5_000 }).toEqual([1, 1]);
      controller.abort();
      const ended = await call;
      if (Array.isArray(ended)) {
        expect(ended.at(-1)).toMatchObject({ type: "finish", finishReason: "abort" });
        expect(ended.filter((p) => p.type !== "stream-start" && p.type !== "finish")).toEqual([]);
      } else expect(ended).toMatchObject({ finishReason: "abort", content: [] });
      await expect.poll(() => primary.inFlight, { timeout: 5_000 }).toBe(0);
      expect([primary.chatCount - before, router.log.list()[0]!.error]).toEqual([1, "aborted"]);
    }
  });

  it("sends nothing upstream for a request whose caller left before a target was tried", async () => {
    const router = new Router({
      targets: [{ id: "primary", model: providerModelFor(dialect, primary.url), leavesMachine: true }],
      routes: { default: { type: "target", target: "primary" } },
      consent: { policy: "allow" },
    });
    for (const mode of ["stream", "generate"] as const) {
      const before = primary.chatCount;
      const signal = AbortSignal.abort();
      const ended = mode === "stream" ? await streamParts(router.doStream({ messages: [userText("Hi")] }, { signal })) : await router.doGenerate({ messages: [userText("Hi")] }, { signal });
      if (Array.isArray(ended)) expect(ended.at(-1)).toMatchObject({ type: "finish", finishReason: "abort" });
      else expect(ended).toMatchObject({ finishReason: "abort", content: [] });
      expect([primary.chatCount - before, router.log.list()[0]!.error, router.log.list()[0]!.attempts]).toEqual([0, "aborted", []]);
    }
  });

  it("a malformed chunk before any output is retried; after output it is an explicit error", async () => {
    primary.fail({ kind: "malformed", afterEvents: 0 });
    const first = await run(build().router);
    expect(text(first.parts)).toBe("Hello from the cloud.");
    expect(first.decision.attempts.map((a) => a.outcome)).toEqual(["retried", "ok"]);

    primary.fail({ kind: "malformed", afterEvents: afterFirstText[dialect] });
    const second = await run(build().router);
    expect(text(second.parts)).toBe("Hello");
    expect(second.parts.at(-1)).toMatchObject({ type: "error", error: { code: "upstream_error" } });
    expect(second.backupCalls).toBe(0);
  });
});

describe("failures in the provider's own words", () => {
  async function routed(dialect: DialectName, fault: Fault) {
    await using primary = await startFakeUpstream(dialect);
    await using backup = await startFakeUpstream("openai");
    primary.fail(fault, 3);
    const clock = new FakeClock();
    const router = new Router({
      targets: [
        { id: "primary", model: providerModelFor(dialect, primary.url), leavesMachine: true },
        { id: "backup", model: new OpenAICompatibleModel({ provider: "groq", modelId: "llama", baseURL: `${backup.url}/v1` }), leavesMachine: true },
      ],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "primary" }, { type: "target", target: "backup" }] } },
      consent: { policy: "allow" },
      retry: { maxRetries: 2, baseDelayMs: 100, jitter: 0 },
      clock,
    });
    const parts = await streamParts(router.doStream({ messages: [userText("Hi")] }));
    return { parts, sleeps: clock.sleeps, primaryCalls: primary.chatCount, attempts: router.log.list()[0]!.attempts };
  }

  it("Gemini's RetryInfo delay is waited for exactly, as retry-after is; one past the cap moves on at once", async () => {
    const exhausted = (retryDelay: string) => ({
      kind: "body" as const,
      status: 429,
      body: {
        error: {
          code: 429,
          message: "You exceeded your current quota.",
          status: "RESOURCE_EXHAUSTED",
          details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }],
        },
      },
    });
    const short = await routed("gemini", exhausted("3s"));
    expect(short.sleeps).toEqual([3000, 3000]);
    expect(short.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "fallback" } });
    const long = await routed("gemini", exhausted("53.5s"));
    expect(long.sleeps).toEqual([]);
    expect(long.primaryCalls).toBe(1);
    expect(long.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "fallback" } });
  });
  it("OpenAI's insufficient_quota (no credit left) is not retried on the same target: it moves on at once", async () => {
    const r = await routed("openai", {
      kind: "body",
      status: 429,
      body: { error: { message: "You exceeded your current quota, please check your plan and billing details.", type: "insufficient_quota", param: null, code: "insufficient_quota" } },
    });
    expect(r.sleeps).toEqual([]);
    expect(r.primaryCalls).toBe(1);
    expect(r.attempts.map((a) => [a.outcome, a.status])).toEqual([["failed", 429], ["ok", undefined]]);
    expect(r.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "fallback" } });
  });
  it.each([
    ["anthropic", { type: "error", error: { type: "invalid_request_error", message: "prompt is too long: 210519 tokens > 200000 maximum" } }],
    ["gemini", { error: { code: 400, message: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).", status: "INVALID_ARGUMENT" } }],
  ] as const)("a prompt too long for %s is a context overflow: the next target answers with reason context", async (dialect, body) => {
    const r = await routed(dialect, { kind: "body", status: 400, body });
    expect(r.primaryCalls).toBe(1);
    expect(r.attempts.map((a) => [a.outcome, a.detail])).toEqual([["failed", "context_overflow"], ["ok", undefined]]);
    expect(r.parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "groq", reason: "context" } });
  });
});

describe("cloud use never", () => {
  it("sends nothing beyond loopback: the fakes standing in for the cloud see no request at all", async () => {
    await using openai = await startFakeUpstream("openai");
    await using anthropic = await startFakeUpstream("anthropic");
    const router = new Router({
      targets: [
        { id: "openai:gpt", model: providerModelFor("openai", openai.url), leavesMachine: true },
        { id: "anthropic:claude", model: providerModelFor("anthropic", anthropic.url), leavesMachine: true },
      ],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "openai:gpt" }, { type: "target", target: "anthropic:claude" }] } },
      consent: { policy: "never" },
    });
    const parts = await streamParts(router.doStream({ messages: [userText("Hi")] }));
    // The refusal names the target that was not called, for the server's provenance headers.
    expect(parts).toEqual([
      { type: "error", error: expect.objectContaining({ code: "forbidden" }), provenance: { provider: "openai", model: "gpt-4o-mini", reason: "consent", route: "default" } },
    ]);
    await expect(router.model("anthropic:claude").doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "forbidden" });
    expect(openai.requests).toHaveLength(0);
    expect(anthropic.requests).toHaveLength(0);
  });
});
