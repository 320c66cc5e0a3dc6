import { describe, expect, it } from "vitest";
import { ScriptedModel, textAnswer, toolAnswer, type Script } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { resultText, userText, type ChatRequest, type StreamPart } from "../protocol/index.js";
import { FakeClock } from "./clock.js";
import { Router, type RouterOptions } from "./router.js";
import type { RouterTarget } from "./target.js";

const rateLimited: StreamPart & { type: "error" } = {
  type: "error",
  error: { code: "rate_limited", message: "slow down", isRetryable: true, status: 429, retryAfter: 2 },
};
const serverError: StreamPart & { type: "error" } = {
  type: "error",
  error: { code: "upstream_error", message: "boom", isRetryable: true, status: 500 },
};

function local(scripts: Script[] = [textAnswer("local answer")], info: Partial<NonNullable<RouterTarget["local"]>> = {}) {
  const model = new ScriptedModel("local", "tiny", scripts);
  const target: RouterTarget = { id: "local:tiny", model, leavesMachine: false, local: { contextLength: 50, tokenCounter: model, ...info } };
  return { model, target };
}

function cloud(id: string, scripts: Script[] = [textAnswer(`${id} answer`)]) {
  const [provider, modelId] = id.split(":") as [string, string];
  const model = new ScriptedModel(provider, modelId, scripts);
  const target: RouterTarget = { id, model, leavesMachine: true };
  return { model, target };
}

function router(targets: RouterTarget[], extra: Partial<RouterOptions> = {}) {
  const clock = new FakeClock(1_000_000);
  const r = new Router({
    targets,
    routes: { default: { type: "fallback", targets: targets.map((t) => ({ type: "target" as const, target: t.id })) } },
    consent: { policy: "allow" },
    clock,
    random: () => 0.5,
    ...extra,
  });
  return { r, clock };
}

const hi: ChatRequest = { messages: [userText("hi there")] };

describe("router", () => {
  it("answers locally first and says so on stream-start, finish and in the log", async () => {
    const l = local();
    const c = cloud("openai:gpt");
    const { r } = router([l.target, c.target]);
    const parts = await streamParts(r.doStream(hi));
    const provenance = { provider: "local", model: "tiny", reason: "local", route: "default" };
    expect(parts[0]).toEqual({ type: "stream-start", provider: "local", modelId: "tiny", provenance });
    expect(parts.at(-1)).toMatchObject({ type: "finish", provenance });
    expect(c.model.calls).toBe(0);
    expect(r.log.list()[0]).toMatchObject({ outcome: "ok", provider: "local", reason: "local", attempts: [{ target: "local:tiny", outcome: "ok" }] });
  });

  it("passes the local model's prompt count on after its own stream-start, and drops it when the local model fails before its first token", async () => {
    const input: StreamPart = { type: "input-usage", usage: { inputTokens: 10, cachedInputTokens: 7 } };
    const [start, ...rest] = textAnswer("local answer");
    const l = local([[start!, input, ...rest]]);
    const { r } = router([l.target, cloud("openai:gpt").target]);
    const parts = await streamParts(r.doStream(hi));
    expect(parts.slice(0, 3)).toMatchObject([{ type: "stream-start", provider: "local" }, input, { type: "text-start" }]);
    const failing = local([[start!, input, serverError]]);
    const c = cloud("openai:gpt");
    const routed = router([failing.target, c.target]);
    const answered = await streamParts(routed.r.doStream(hi));
    expect(answered[0]).toMatchObject({ type: "stream-start", provider: "openai" });
    expect(answered.filter((p) => p.type === "input-usage")).toEqual([]);
  });

  it("sends a request longer than the local context to the teacher with reason context", async () => {
    const l = local();
    const c = cloud("openai:gpt");
    const { r } = router([l.target, c.target]);
    const long = { messages: [userText(Array.from({ length: 80 }, (_, i) => `word${i}`).join(" "))] };
    const result = await r.doGenerate(long);
    expect(resultText(result)).toBe("openai:gpt answer");
    expect(result.provenance).toMatchObject({ provider: "openai", model: "gpt", reason: "context" });
    expect(l.model.calls).toBe(0);
    expect(r.log.list()[0]!.attempts[0]).toMatchObject({ target: "local:tiny", outcome: "skipped", detail: "context" });
  });

  it("keeps a short prompt local when max_tokens is a large ceiling (coding agents send 32,000), reserving at most a quarter of the context", async () => {
    const l = local();
    const c = cloud("openai:gpt");
    const { r } = router([l.target, c.target]);
    const short = { messages: [userText("hi")], maxOutputTokens: 32_000 };
    const result = await r.doGenerate(short);
    expect(result.provenance).toMatchObject({ provider: "local", reason: "local" });
    expect(c.model.calls).toBe(0);
    // A prompt that leaves less than a quarter of the context free still goes to the teacher.
    const tight = { messages: [userText(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "))], maxOutputTokens: 32_000 };
    const tokens = await l.target.local!.tokenCounter!.countTokens(tight);
    expect(tokens).toBeLessThan(l.target.local!.contextLength);
    expect(tokens).toBeGreaterThan(l.target.local!.contextLength * 0.75);
    const escalated = await r.doGenerate(tight);
    expect(escalated.provenance).toMatchObject({ provider: "openai", reason: "context" });
  });

  it("refuses a prompt that no target of the route can hold as the client's context_overflow (400), not an outage", async () => {
    const l = local();
    const { r } = router([l.target]);
    const long = { messages: [userText(Array.from({ length: 80 }, (_, i) => `word${i}`).join(" "))] };
    const error = await r.doGenerate(long).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "context_overflow", isRetryable: false, message: expect.stringMatching(/too long for every target.*local:tiny: skipped \(context\)/) });
    expect(l.model.calls).toBe(0);
    // The numbers of the target with the most room, for the dialects' own "prompt is too long" errors.
    const { promptTokens, maxPromptTokens } = (error as { details: { promptTokens: number; maxPromptTokens: number } }).details;
    expect(maxPromptTokens).toBe(l.target.local!.contextLength);
    expect(promptTokens).toBeGreaterThan(maxPromptTokens);
  });

  it("escalates with reason loading while the local model loads", async () => {
    let ready = false;
    const l = local(undefined, { isReady: () => ready });
    const c = cloud("anthropic:claude");
    const { r } = router([l.target, c.target]);
    expect((await r.doGenerate(hi)).provenance?.reason).toBe("loading");
    ready = true;
    expect((await r.doGenerate(hi)).provenance?.reason).toBe("local");
  });

  it("retries a 429 on the same target after exactly its retry-after, then answers", async () => {
    const c = cloud("openai:gpt", [{ fail: rateLimited }, textAnswer("second try")]);
    const b = cloud("groq:llama");
    const { r, clock } = router([c.target, b.target]);
    const result = await r.doGenerate(hi);
    expect(resultText(result)).toBe("second try");
    expect(clock.sleeps).toEqual([2000]);
    expect(result.provenance).toMatchObject({ provider: "openai", reason: "primary" });
    expect(r.log.list()[0]!.attempts.map((a) => a.outcome)).toEqual(["retried", "ok"]);
    expect(b.model.calls).toBe(0);
  });

  it("backs off exponentially with jitter, then falls back with reason fallback", async () => {
    const c = cloud("openai:gpt", [{ fail: serverError }]);
    const b = cloud("groq:llama");
    const { r, clock } = router([c.target, b.target], { retry: { maxRetries: 2, baseDelayMs: 100, jitter: 0.5 } });
    const result = await r.doGenerate(hi);
    expect(clock.sleeps).toEqual([75, 150]);
    expect(c.model.calls).toBe(3);
    expect(result.provenance).toMatchObject({ provider: "groq", reason: "fallback" });
  });

  it("opens the circuit after N failures, skips the target, probes after the cooldown and closes on success", async () => {
    const flaky = cloud("openai:gpt", [{ fail: serverError }, { fail: serverError }, textAnswer("recovered")]);
    const backup = cloud("groq:llama");
    const { r, clock } = router([flaky.target, backup.target], {
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 10_000 },
    });
    await r.doGenerate(hi);
    await r.doGenerate(hi);
    expect(r.breaker("openai:gpt").state).toBe("open");
    expect(flaky.model.calls).toBe(2);

    const skipped = await r.doGenerate(hi);
    expect(flaky.model.calls).toBe(2);
    expect(skipped.provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(r.log.list()[0]!.attempts[0]).toMatchObject({ outcome: "skipped", detail: "circuit-open" });

    clock.advance(10_000);
    expect(r.breaker("openai:gpt").state).toBe("half-open");
    const probe = await r.doGenerate(hi);
    expect(flaky.model.calls).toBe(3);
    expect(resultText(probe)).toBe("recovered");
    expect(r.breaker("openai:gpt").state).toBe("closed");
  });

  it("a circuit that opens during a target's retries ends them with that target's own failure, not 'no target could take the request'", async () => {
    const flaky = cloud("openai:gpt", [{ fail: serverError }, { fail: serverError }, { fail: serverError }]);
    const { r } = router([flaky.target], { retry: { maxRetries: 3, baseDelayMs: 10 }, breaker: { failureThreshold: 2 } });
    const parts = await streamParts(r.doStream(hi));
    expect(flaky.model.calls).toBe(2);
    expect(parts).toEqual([
      {
        type: "error",
        error: expect.objectContaining({ code: "upstream_error", status: 500, message: expect.stringMatching(/^Every target of route "default" failed \(openai:gpt: upstream_error \(HTTP 500\); openai:gpt: skipped \(circuit-open\)\)\. Last: boom$/) }),
        provenance: { provider: "openai", model: "gpt", reason: "primary", route: "default" },
      },
    ]);
    expect(r.log.list()[0]!.attempts.map((a) => [a.outcome, a.detail])).toEqual([["retried", "upstream_error"], ["failed", "upstream_error"], ["skipped", "circuit-open"]]);

    // With a target after it, that one answers as the fallback it is.
    const again = cloud("openai:gpt", [{ fail: serverError }, { fail: serverError }]);
    const { r: r2 } = router([again.target, cloud("groq:llama").target], { retry: { maxRetries: 3, baseDelayMs: 10 }, breaker: { failureThreshold: 2 } });
    const answer = await r2.doGenerate(hi);
    expect(answer.provenance).toMatchObject({ provider: "groq", reason: "fallback" });
  });

  it("a failed half-open probe reopens the circuit", async () => {
    const flaky = cloud("openai:gpt", [{ fail: serverError }]);
    const { r, clock } = router([flaky.target, cloud("groq:llama").target], {
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: 5_000 },
    });
    await r.doGenerate(hi);
    clock.advance(5_000);
    await r.doGenerate(hi);
    expect(flaky.model.calls).toBe(2);
    expect(r.breaker("openai:gpt").state).toBe("open");
  });

  it("a request let through before the circuit opened, cancelled while the half-open probe is out, does not free the probe for a second one", async () => {
    const flaky = cloud("openai:gpt", [{ hang: true }, { fail: serverError }, { hang: true }, textAnswer("after the probe")]);
    const { r, clock } = router([flaky.target, cloud("groq:llama").target], {
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: 1_000 },
    });
    const early = new AbortController();
    const earlyParts = streamParts(r.doStream(hi, { signal: early.signal }));
    await expect.poll(() => flaky.model.calls).toBe(1);
    await r.doGenerate(hi);
    expect(r.breaker("openai:gpt").state).toBe("open");
    clock.advance(1_000);
    const probing = new AbortController();
    const probeParts = streamParts(r.doStream(hi, { signal: probing.signal }));
    await expect.poll(() => flaky.model.calls).toBe(3);

    early.abort();
    await earlyParts;
    // The probe is still out: no second request goes to the target.
    expect((await r.doGenerate(hi)).provenance).toMatchObject({ provider: "groq", reason: "circuit-open" });
    expect(flaky.model.calls).toBe(3);

    // The probe's own end frees it.
    probing.abort();
    await probeParts;
    expect(resultText(await r.doGenerate(hi))).toBe("after the probe");
  });

  it("fails over before the first token, and after partial output ends with an explicit error (no splice)", async () => {
    const early = cloud("openai:gpt", [{ fail: { type: "error", error: { code: "network_error", message: "refused", isRetryable: true } } }]);
    const late = cloud("mistral:large", [
      [
        { type: "stream-start", provider: "mistral", modelId: "large" },
        { type: "text-start", id: "t" },
        { type: "text-delta", id: "t", delta: "Half an ans" },
        { type: "error", error: { code: "network_error", message: "terminated", isRetryable: true } },
      ],
    ]);
    const backup = cloud("groq:llama");
    const { r } = router([early.target, late.target, backup.target], { retry: { maxRetries: 0 } });
    const parts = await streamParts(r.doStream(hi));
    expect(parts[0]).toMatchObject({ type: "stream-start", provenance: { provider: "mistral", reason: "fallback" } });
    expect(parts.map((p) => p.type)).toEqual(["stream-start", "text-start", "text-delta", "error"]);
    // The host was reached: the cut is worded as one, and the hint follows as a sentence of its own.
    expect(parts.at(-1)).toMatchObject({
      type: "error",
      error: { code: "network_error", message: "mistral:large closed the connection mid-answer (terminated).", hint: expect.stringMatching(/^The answer above is incomplete/) },
    });
    expect(backup.model.calls).toBe(0);
    expect(r.log.list()[0]!.attempts.map((a) => a.outcome)).toEqual(["failed", "error-after-partial"]);
  });

  it("with fallback onStatus, a status not listed ends the route", async () => {
    const c = cloud("openai:gpt", [{ fail: { type: "error", error: { code: "bad_request", message: "bad", status: 400 } } }]);
    const b = cloud("groq:llama");
    const { r } = router([c.target, b.target], {
      routes: { default: { type: "fallback", onStatus: [429, 500], targets: [{ type: "target", target: "openai:gpt" }, { type: "target", target: "groq:llama" }] } },
    });
    // The route chose the teacher that found the request bad: a 502 about it, not the client's bad request.
    await expect(r.doGenerate(hi)).rejects.toMatchObject({ code: "upstream_error", status: 502, message: expect.stringContaining("openai:gpt") });
    expect(b.model.calls).toBe(0);
  });

  it("load-balances by weight and routes conditionally on tools, model name and match rules, nested", async () => {
    const a = cloud("openai:a");
    const b = cloud("openai:b");
    const t = cloud("anthropic:tools");
    const routes: RouterOptions["routes"] = {
      default: {
        type: "conditional",
        branches: [
          { when: { hasTools: true }, then: { type: "target", target: "anthropic:tools" } },
          { when: { match: "\\bcode\\b" }, then: { type: "target", target: "openai:b" }, reason: "coding" },
        ],
        otherwise: { type: "loadbalance", targets: [{ node: { type: "target", target: "openai:a" }, weight: 3 }, { node: { type: "target", target: "openai:b" }, weight: 1 }] },
      },
      cheap: { type: "target", target: "openai:b" },
    };
    let roll = 0.1;
    const { r } = router([a.target, b.target, t.target], { routes, random: () => roll });
    expect((await r.doGenerate(hi)).provenance).toMatchObject({ model: "a", reason: "weighted" });
    roll = 0.9;
    expect((await r.doGenerate(hi)).provenance).toMatchObject({ model: "b", reason: "weighted" });
    const withTools = await r.doGenerate({ ...hi, tools: [{ name: "x", inputSchema: { type: "object" } }] });
    expect(withTools.provenance).toMatchObject({ model: "tools", reason: "tools" });
    expect((await r.doGenerate({ messages: [userText("write code please")] })).provenance).toMatchObject({ model: "b", reason: "coding" });
    expect((await r.model("cheap").doGenerate(hi)).provenance).toMatchObject({ model: "b", route: "cheap" });
    expect((await r.model("openai:a").doGenerate(hi)).provenance).toMatchObject({ model: "a", reason: "direct", route: "direct" });
  });

  it("a safety rule sends matching requests to the designated provider with reason safety", async () => {
    const l = local();
    const care = cloud("anthropic:care");
    const { r } = router([l.target, care.target], {
      safety: [{ name: "crisis", match: "\\b(suicide|kill myself)\\b", route: { type: "target", target: "anthropic:care" } }],
    });
    const result = await r.doGenerate({ messages: [userText("I want to kill myself")] });
    expect(result.provenance).toMatchObject({ provider: "anthropic", model: "care", reason: "safety" });
    expect(r.log.list()[0]).toMatchObject({ safetyRule: "crisis", reason: "safety" });
    expect(l.model.calls).toBe(0);
  });

  it("escalates a local tool call that fails its schema after one repair attempt, with reason tool-call", async () => {
    const tools = [{ name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
    const bad = toolAnswer("get_weather", '{"town":1}');
    const l = local([bad, bad]);
    const c = cloud("openai:gpt", [toolAnswer("get_weather", '{"city":"Paris"}')]);
    const { r } = router([l.target, c.target]);
    const result = await r.doGenerate({ messages: [userText("weather?")], tools });
    expect(result.provenance).toMatchObject({ provider: "openai", reason: "tool-call" });
    expect(l.model.calls).toBe(2);
    const repair = l.model.requests[1]!.messages.at(-1)!;
    expect(repair).toMatchObject({ role: "tool", content: [{ isError: true, output: expect.stringContaining("city") }] });

    const fixed = local([bad, toolAnswer("get_weather", '{"city":"Oslo"}')]);
    const { r: r2 } = router([fixed.target, cloud("openai:gpt").target]);
    const ok = await r2.doGenerate({ messages: [userText("weather?")], tools });
    expect(ok.provenance).toMatchObject({ provider: "local", reason: "local" });
    expect(ok.content).toEqual([{ type: "tool-call", toolCallId: "c1", toolName: "get_weather", input: { city: "Oslo" } }]);
  });

  it("cloud use never: cloud targets are not called and the error says how to allow them", async () => {
    const c = cloud("openai:gpt");
    const { r } = router([c.target], { consent: { policy: "never" } });
    await expect(r.doGenerate(hi)).rejects.toMatchObject({ code: "forbidden", hint: expect.stringContaining("router.cloud") });
    expect(c.model.calls).toBe(0);
    const { r: offline } = router([c.target], { consent: { policy: "allow", offline: true } });
    const refused = offline.doGenerate(hi);
    await expect(refused).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("--offline") });
    // Cloud use is already allowed: the hint names --offline alone, not the policy.
    await expect(refused).rejects.toMatchObject({ hint: "Drop --offline to let wren reach openai:gpt." });
    expect(c.model.calls).toBe(0);
  });

  it("cloud use ask: the CLI is asked once per session; without an asker the server refuses clearly", async () => {
    const c = cloud("openai:gpt");
    const asked: string[] = [];
    const { r } = router([c.target], { consent: { policy: "ask", ask: async (t) => (asked.push(t), true) } });
    await r.doGenerate(hi);
    await r.doGenerate(hi);
    expect(asked).toEqual(["openai:gpt"]);
    expect(c.model.calls).toBe(2);
    const { r: server } = router([c.target], { consent: { policy: "ask" } });
    await expect(server.doGenerate(hi)).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("needs consent") });
  });

  it("cloud use ask: a question that could not be asked (the terminal went away) refuses the call clearly, and is asked again next time", async () => {
    const c = cloud("openai:gpt");
    let asked = 0;
    const ask = async () => {
      asked++;
      if (asked === 1) throw new Error("the terminal closed");
      return true;
    };
    const { r } = router([c.target], { consent: { policy: "ask", ask } });
    const parts = await streamParts(r.doStream(hi));
    expect(parts).toEqual([
      {
        type: "error",
        error: expect.objectContaining({ code: "forbidden", message: "Cloud use could not be confirmed (the terminal closed): openai:gpt was not called." }),
        provenance: { provider: "openai", model: "gpt", reason: "consent", route: "default" },
      },
    ]);
    expect(c.model.calls).toBe(0);
    expect(r.log.list()[0]).toMatchObject({ outcome: "error", attempts: [{ target: "openai:gpt", outcome: "skipped", detail: "consent" }] });
    await r.doGenerate(hi);
    expect([asked, c.model.calls]).toEqual([2, 1]);
  });

  it("a teacher refusing wren's own API key is a failure of the upstream (502) for wren's client, not a 401 that says the client's key is wrong", async () => {
    const refused: StreamPart & { type: "error" } = {
      type: "error",
      error: { code: "unauthorized", message: "openai answered HTTP 401: Incorrect API key provided", hint: "Check the API key configured for openai.", status: 401 },
    };
    const c = cloud("openai:gpt", [{ fail: refused }]);
    const { r } = router([c.target]);
    const parts = await streamParts(r.doStream(hi));
    expect(parts).toEqual([
      {
        type: "error",
        error: expect.objectContaining({
          code: "upstream_error",
          status: 502,
          message: 'Every target of route "default" failed (openai:gpt: unauthorized (HTTP 401)). Last: openai answered HTTP 401: Incorrect API key provided',
          hint: "Check the API key configured for openai.",
        }),
        provenance: { provider: "openai", model: "gpt", reason: "primary", route: "default" },
      },
    ]);
    expect(parts[0]).not.toHaveProperty("error.isRetryable", true);
  });

  it("prices usage from the table and keeps totals", async () => {
    const c = cloud("openai:gpt");
    const { r } = router([c.target], { prices: { "openai:gpt": { input: 1, output: 10 } } });
    await r.doGenerate(hi);
    await r.doGenerate(hi);
    const cost = (10 * 1 + 4 * 10) / 1_000_000;
    expect(r.log.list()[0]!.costUsd).toBeCloseTo(cost);
    expect(r.log.stats()).toMatchObject({ requests: 2, errors: 0, byTarget: { "openai:gpt": { requests: 2, inputTokens: 20, outputTokens: 8 } } });
    expect(r.log.stats().costUsd).toBeCloseTo(2 * cost);
  });

  it("a client that cancels ends the stream with finish abort, and nothing else is tried", async () => {
    const hang = cloud("openai:gpt", [{ hang: true }]);
    const backup = cloud("groq:llama");
    const { r } = router([hang.target, backup.target]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const parts = await streamParts(r.doStream(hi, { signal: controller.signal }));
    expect(parts.map((p) => p.type)).toEqual(["stream-start", "finish"]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "abort", provenance: { provider: "openai" } });
    expect(backup.model.calls).toBe(0);
    expect(r.breaker("openai:gpt").state).toBe("closed");
  });

  it("a client that stops reading mid-answer frees a half-open probe and the decision is still logged", async () => {
    const flaky = cloud("openai:gpt", [{ fail: serverError }, textAnswer("probe"), textAnswer("again")]);
    const { r, clock } = router([flaky.target, cloud("groq:llama").target], {
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: 1_000 },
    });
    await r.doGenerate(hi);
    clock.advance(1_000);
    for await (const part of r.doStream(hi)) if (part.type === "text-delta") break;
    expect(r.log.list()[0]).toMatchObject({ outcome: "error", error: "cancelled by the client" });
    expect(r.breaker("openai:gpt").tryAcquire()).toEqual({ probe: true });
  });

  it("an unknown model name is an error with a hint", () => {
    const { r } = router([cloud("openai:gpt").target]);
    expect(() => r.model("nope")).toThrow(expect.objectContaining({ code: "model_not_found", hint: expect.stringContaining("auto") }));
  });
});

describe("firstTarget: which target a route tries first, when the request does not decide it", () => {
  it("a fallback's first child; a balancer or conditional only when every path agrees; a direct ref itself", () => {
    const t = (target: string) => ({ type: "target" as const, target });
    const { r } = router([local().target, cloud("openai:gpt").target], {
      routes: {
        default: { type: "fallback", targets: [t("local:tiny"), t("openai:gpt")] },
        agreed: { type: "loadbalance", targets: [{ weight: 1, node: t("local:tiny") }, { weight: 2, node: { type: "fallback", targets: [t("local:tiny")] } }] },
        split: { type: "conditional", branches: [{ when: { hasTools: true }, then: t("openai:gpt") }], otherwise: t("local:tiny") },
      },
    });
    expect(r.firstTarget("auto")).toBe("local:tiny");
    expect(r.firstTarget(undefined)).toBe("local:tiny");
    expect(r.firstTarget("agreed")).toBe("local:tiny");
    expect(r.firstTarget("split")).toBeUndefined();
    expect(r.firstTarget("openai:gpt-4.1")).toBe("openai:gpt-4.1");
  });
});

describe("provider:model names from clients", () => {
  it("are remembered up to a bound, least recently used first out, so client-chosen names cannot grow the router", async () => {
    const resolved: string[] = [];
    const { target } = local();
    const { r } = router([target], {
      resolveDirect: (ref) => {
        resolved.push(ref);
        return cloud(ref, [textAnswer("x"), textAnswer("y")]).target;
      },
    });
    const answer = await r.model("openai:m0").doGenerate(hi);
    expect(resultText(answer)).toBe("x");
    for (let i = 1; i <= 100; i++) r.model(`openai:m${i}`);
    // m0 was pushed out by the hundred names after it; the latest one is still known.
    r.model("openai:m0");
    r.model("openai:m100");
    expect(resolved.filter((n) => n === "openai:m0")).toHaveLength(2);
    expect(resolved.filter((n) => n === "openai:m100")).toHaveLength(1);
    expect(resolved).toHaveLength(102);
  });
});
