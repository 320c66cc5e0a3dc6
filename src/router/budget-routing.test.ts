import { describe, expect, it } from "vitest";
import { ScriptedModel, textAnswer, type Script } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { loadRecordings, startFakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { openaiLimited } from "../../test/helpers/fake-upstreams/token-limited.js";
import { AnthropicModel } from "../providers/anthropic/model.js";
import { estimateTokens } from "../providers/local.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { userText, type ChatRequest } from "../protocol/index.js";
import { Budgets, type BudgetLimit } from "./budget.js";
import type { PriceTable } from "./cost.js";
import { FakeClock } from "./clock.js";
import { Router } from "./router.js";
import { MemoryStateStore } from "./state/memory-store.js";
import type { RouterTarget } from "./target.js";

// The scripted answer reports 4 output tokens; at $1 per output token (and nothing for input) it
// costs $4, and a request with maxOutputTokens 4 holds exactly that.
const request: ChatRequest = { messages: [userText("hi there")], maxOutputTokens: 4 };

function setup(onBudgetExceeded: "refuse" | "local", teacherScripts: Script[] = [textAnswer("teacher answer")], limits: BudgetLimit[] = [{ usd: 6, period: "day", provider: "openai" }]) {
  const clock = new FakeClock(Date.parse("2026-11-30T10:00:00Z"));
  const localModel = new ScriptedModel("local", "tiny", [textAnswer("local answer")]);
  const teacher = new ScriptedModel("openai", "gpt", teacherScripts);
  const targets: RouterTarget[] = [
    { id: "local:tiny", model: localModel, leavesMachine: false, local: { contextLength: 500, tokenCounter: localModel } },
    { id: "openai:gpt", model: teacher, leavesMachine: true },
  ];
  const budgets = new Budgets(limits, new MemoryStateStore(clock), clock);
  const router = new Router({
    targets,
    routes: { default: { type: "target", target: "openai:gpt" } },
    consent: { policy: "allow" },
    prices: { "openai:*": { input: 0, output: 1_000_000 } },
    budgets,
    onBudgetExceeded,
    clock,
    random: () => 0.5,
  });
  return { router, teacher, localModel, budgets };
}

describe("router budgets", () => {
  it("refuses the request that would pass the budget with a 429 that names it, without calling the teacher", async () => {
    const { router, teacher, budgets } = setup("refuse");
    expect((await streamParts(router.doStream(request))).at(-1)).toMatchObject({ type: "finish" });
    const parts = await streamParts(router.doStream(request));
    const last = parts.at(-1);
    expect(last).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(JSON.stringify(last)).toContain("openai's daily budget (day:openai) of $6");
    expect(teacher.calls).toBe(1);
    expect(router.log.list()[0]?.attempts).toEqual([{ target: "openai:gpt", outcome: "skipped", detail: "budget", ms: 0 }]);
    expect(await budgets.status()).toMatchObject([{ spentUsd: 4, remainingUsd: 2 }]);
  });

  it('with onBudgetExceeded = "local", the local model answers instead, with reason budget', async () => {
    const { router, teacher, localModel } = setup("local");
    await streamParts(router.doStream(request));
    const parts = await streamParts(router.doStream(request));
    expect(parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "local", model: "tiny", reason: "budget" } });
    expect(teacher.calls).toBe(1);
    expect(localModel.calls).toBe(1);
  });

  it("a failed attempt gives its hold back", async () => {
    const { router, teacher, budgets } = setup("refuse", [[{ type: "error", error: { code: "bad_request", message: "no", isRetryable: false } }]]);
    expect((await streamParts(router.doStream(request))).at(-1)).toMatchObject({ type: "error" });
    expect(teacher.calls).toBe(1);
    expect(await budgets.status()).toMatchObject([{ spentUsd: 0 }]);
  });

  it("counts a per-key budget against the client the call is for: alice is refused, bob is answered, and the log says whose each was", async () => {
    const { router, teacher } = setup("refuse", [textAnswer("one"), textAnswer("two")], [{ usd: 6, period: "day", key: "alice" }]);
    const alice = { client: { keyId: "alice" } };
    expect((await streamParts(router.doStream(request, alice))).at(-1)).toMatchObject({ type: "finish" });
    const refused = (await streamParts(router.doStream(request, alice))).at(-1);
    expect(refused).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(JSON.stringify(refused)).toContain("the daily budget of client key 'alice' (day:*@alice) of $6");
    expect((await streamParts(router.doStream(request, { client: { keyId: "bob" } }))).at(-1)).toMatchObject({ type: "finish" });
    expect(teacher.calls).toBe(2);
    expect(router.log.list().map((d) => [d.keyId, d.outcome])).toEqual([
      ["bob", "ok"],
      ["alice", "error"],
      ["alice", "ok"],
    ]);
  });

  it("a budget's own onExceeded decides for the requests it refuses: alice's goes to the local model, while the router refuses the others", async () => {
    const { router, teacher, localModel } = setup("refuse", [textAnswer("one"), textAnswer("two")], [
      { usd: 6, period: "day", key: "alice", onExceeded: "local" },
      { usd: 6, period: "day", key: "bob" },
    ]);
    for (const keyId of ["alice", "bob"]) expect((await streamParts(router.doStream(request, { client: { keyId } }))).at(-1)).toMatchObject({ type: "finish" });
    const alice = await streamParts(router.doStream(request, { client: { keyId: "alice" } }));
    expect(alice.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "local", reason: "budget" } });
    const bob = await streamParts(router.doStream(request, { client: { keyId: "bob" } }));
    expect(bob.at(-1)).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(JSON.stringify(bob.at(-1))).toContain("client key 'bob'");
    expect(teacher.calls).toBe(2);
    expect(localModel.calls).toBe(1);
  });

  it("an answer that failed or was cancelled after part of it came keeps its hold: the upstream was paid for what it sent", async () => {
    await using upstream = await startFakeUpstream("openai");
    const clock = new FakeClock(Date.parse("2026-11-30T10:00:00Z"));
    // $6 a day; each request holds $4 (4 output tokens at $1 each): two cannot both be held.
    const budgets = new Budgets([{ usd: 6, period: "day", provider: "openai" }], new MemoryStateStore(clock), clock);
    const router = new Router({
      targets: [{ id: "openai:gpt", model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt", baseURL: `${upstream.url}/v1` }), leavesMachine: true }],
      routes: { default: { type: "target", target: "openai:gpt" } },
      consent: { policy: "allow" },
      prices: { "openai:*": { input: 0, output: 1_000_000 } },
      retry: { maxRetries: 0 },
      budgets,
      clock,
    });
    // Cut by the upstream after its first words.
    upstream.fail({ kind: "cut", afterEvents: 2 });
    const cut = await streamParts(router.doStream(request));
    expect(cut.at(-1)).toMatchObject({ type: "error", error: { details: { partial: true } } });
    expect(await budgets.status()).toMatchObject([{ spentUsd: 4 }]);
    const refused = await streamParts(router.doStream(request));
    expect(refused.at(-1)).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(upstream.chatCount).toBe(1);

    // Cancelled by the client after its first words (a new day: the budget is whole again).
    clock.advance(24 * 3_600_000);
    upstream.fail({ kind: "pause", afterEvents: 2 });
    const controller = new AbortController();
    for await (const part of router.doStream(request, { signal: controller.signal })) if (part.type === "text-delta") controller.abort();
    expect(await budgets.status()).toMatchObject([{ spentUsd: 4 }]);
    expect(upstream.chatCount).toBe(2);
  });
});

describe("router cost of a teacher's cached prompt", () => {
  /** Anthropic's own counts of a prompt of 5,212 tokens: 5,000 read from its cache, 200 written to it. */
  const CACHED = { input_tokens: 12, cache_creation_input_tokens: 200, cache_read_input_tokens: 5000 };

  function anthropicTeacher(url: string, limits: BudgetLimit[], prices: PriceTable = { "anthropic:*": { input: 3, output: 15 } }) {
    const clock = new FakeClock(Date.parse("2026-11-30T10:00:00Z"));
    const budgets = new Budgets(limits, new MemoryStateStore(clock), clock);
    const router = new Router({
      targets: [{ id: "anthropic:claude-sonnet-4-6", model: new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-test", baseURL: url }), leavesMachine: true }],
      routes: { default: { type: "target", target: "anthropic:claude-sonnet-4-6" } },
      consent: { policy: "allow" },
      prices,
      retry: { maxRetries: 0 },
      budgets,
      clock,
    });
    return { router, budgets };
  }

  it("charges an Anthropic teacher's cache reads at 10% of the input price and its cache writes at 125%, in the log and the budget", async () => {
    const recorded = loadRecordings("anthropic");
    const withCache = (event: unknown) => {
      const e = event as { type: string; message?: { usage: object } };
      return e.type === "message_start" ? { ...e, message: { ...e.message, usage: { ...e.message!.usage, ...CACHED } } } : event;
    };
    const body = recorded.text.body as { usage: object };
    const text = { body: { ...body, usage: { ...body.usage, ...CACHED } }, stream: recorded.text.stream.map(withCache) };
    await using upstream = await startFakeUpstream("anthropic", { recordings: { ...recorded, text } });
    const { router, budgets } = anthropicTeacher(upstream.url, [{ usd: 100, period: "day", provider: "anthropic" }]);
    // 12 plain input tokens at $3 per million, 5,000 read at $0.30, 200 written at $3.75, 5 output at $15.
    const cost = (12 * 3 + 5000 * 0.3 + 200 * 3.75 + 5 * 15) / 1_000_000;
    expect((await streamParts(router.doStream(request))).at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 5212, cachedInputTokens: 5000 } });
    expect(router.log.list()[0]!.costUsd).toBeCloseTo(cost, 12);
    expect((await budgets.status())[0]!.spentUsd).toBeCloseTo(cost, 12);
    await router.doGenerate(request);
    expect(router.log.list()[0]!.costUsd).toBeCloseTo(cost, 12);
    expect((await budgets.status())[0]!.spentUsd).toBeCloseTo(2 * cost, 12);
  });

  it("holds an Anthropic request's prompt at the cache-write price, the most it can cost", async () => {
    await using upstream = await startFakeUpstream("anthropic");
    // $1 per input token: the hold of a prompt of n tokens, all of them written to the cache, is 1.25n.
    const n = estimateTokens(request);
    const { router } = anthropicTeacher(upstream.url, [{ usd: 1.2 * n, period: "day", provider: "anthropic" }], { "anthropic:*": { input: 1_000_000, output: 0 } });
    expect((await streamParts(router.doStream(request))).at(-1)).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("router budgets and answers longer than the hold", () => {
  it("two requests without max_tokens, held at reserveOutputTokens each, cannot together spend past the budget", async () => {
    // The teacher writes 40 tokens unless told fewer (max_tokens), as api.openai.com does.
    await using upstream = await startFakeUpstream("openai", { recordings: openaiLimited(() => "a long answer ".repeat(20)) });
    const clock = new FakeClock(Date.parse("2026-11-30T10:00:00Z"));
    // $10 a day; each request holds $4 (reserveOutputTokens 4, at $1 an output token): both are let through.
    const budgets = new Budgets([{ usd: 10, period: "day", provider: "openai" }], new MemoryStateStore(clock), clock);
    const router = new Router({
      targets: [{ id: "openai:gpt", model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt", baseURL: `${upstream.url}/v1` }), leavesMachine: true }],
      routes: { default: { type: "target", target: "openai:gpt" } },
      consent: { policy: "allow" },
      prices: { "openai:*": { input: 0, output: 1_000_000 } },
      reserveOutputTokens: 4,
      retry: { maxRetries: 0 },
      budgets,
      clock,
    });
    const open: ChatRequest = { messages: [userText("tell me everything")] };
    const [a, b] = await Promise.all([streamParts(router.doStream(open)), router.doGenerate(open)]);
    expect(a.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
    expect(b.finishReason).toBe("length");
    expect(upstream.requests.map((r) => r.body["max_tokens"])).toEqual([4, 4]);
    const [status] = await budgets.status();
    expect(status!.spentUsd).toBeLessThanOrEqual(10);
  });
});

describe("router budgets and a teacher that timed out", () => {
  it("keeps the hold of a call that timed out (the teacher may have answered, and billed, after wren stopped waiting)", async () => {
    await using upstream = await startFakeUpstream("openai");
    const clock = new FakeClock(Date.parse("2026-11-30T10:00:00Z"));
    // $6 a day; each request holds $4 (4 output tokens at $1 each): two cannot both be held.
    const budgets = new Budgets([{ usd: 6, period: "day", provider: "openai" }], new MemoryStateStore(clock), clock);
    const router = new Router({
      targets: [{ id: "openai:gpt", model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt", baseURL: `${upstream.url}/v1` }), leavesMachine: true, timeouts: { totalMs: 1_000 } }],
      routes: { default: { type: "target", target: "openai:gpt" } },
      consent: { policy: "allow" },
      prices: { "openai:*": { input: 0, output: 1_000_000 } },
      retry: { maxRetries: 0 },
      budgets,
      clock,
    });
    // The request went out; the answer had not come when wren gave up on it.
    upstream.fail({ kind: "stall" });
    const error = await router.doGenerate(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "timeout" });
    expect(await budgets.status()).toMatchObject([{ spentUsd: 4 }]);
    const sent = upstream.chatCount;
    const refused = await streamParts(router.doStream(request));
    expect(refused.at(-1)).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(upstream.chatCount).toBe(sent);
    upstream.clearFaults();
  });
});

describe("router budgets and a request's tools", () => {
  it("holds the tools' definitions as prompt too: a teacher reads (and bills) them as input", async () => {
    await using upstream = await startFakeUpstream("openai");
    const clock = new FakeClock(Date.parse("2026-11-30T10:00:00Z"));
    // A tool whose definition is some 1,000 tokens long, as coding agents send dozens of.
    const tools = [{ name: "edit_file", description: "Edits a file. ".repeat(300), inputSchema: { type: "object", properties: { path: { type: "string" } } } }];
    const withTools: ChatRequest = { ...request, tools };
    // $1 per input token: a budget that holds the messages many times over, but not the tool.
    const budgets = new Budgets([{ usd: 10 * estimateTokens(request), period: "day", provider: "openai" }], new MemoryStateStore(clock), clock);
    const router = new Router({
      targets: [{ id: "openai:gpt", model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt", baseURL: `${upstream.url}/v1` }), leavesMachine: true }],
      routes: { default: { type: "target", target: "openai:gpt" } },
      consent: { policy: "allow" },
      prices: { "openai:*": { input: 1_000_000, output: 0 } },
      retry: { maxRetries: 0 },
      budgets,
      clock,
    });
    expect((await streamParts(router.doStream(withTools))).at(-1)).toMatchObject({ type: "error", error: { code: "rate_limited" } });
    expect(upstream.requests).toHaveLength(0);
    expect((await streamParts(router.doStream(request))).at(-1)).toMatchObject({ type: "finish" });
  });
});
