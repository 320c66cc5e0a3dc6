import { describe, expect, it } from "vitest";
import { ScriptedModel, textAnswer, type Script } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { userText, type StreamPart } from "../protocol/index.js";
import { FakeClock } from "./clock.js";
import { DecisionLog, type Decision } from "./decisions.js";
import { routerMetricsText, statsOf } from "./report.js";
import { Router } from "./router.js";
import type { RouterTarget } from "./target.js";

const serverError: StreamPart & { type: "error" } = {
  type: "error",
  error: { code: "upstream_error", message: "boom", isRetryable: true, status: 500 },
};

function cloud(id: string, scripts: Script[]): RouterTarget {
  const [provider, modelId] = id.split(":") as [string, string];
  return { id, model: new ScriptedModel(provider, modelId, scripts), leavesMachine: true };
}

function router(targets: RouterTarget[]): Router {
  return new Router({
    targets,
    routes: { default: { type: "fallback", targets: targets.map((t) => ({ type: "target" as const, target: t.id })) } },
    consent: { policy: "allow" },
    clock: new FakeClock(1_000_000),
    random: () => 0.5,
    retry: { maxRetries: 0 },
  });
}

const hi = { messages: [userText("hi there")] };
const row = (requests: number, errors: number): unknown => expect.objectContaining({ requests, errors }) as unknown;

describe("router totals per target count each target's failures", () => {
  it("a request every target failed counts an error against each of them, in the log, read back and in /metrics", async () => {
    const r = router([cloud("openai:gpt", [{ fail: serverError }]), cloud("groq:llama", [{ fail: serverError }])]);
    const parts = await streamParts(r.doStream(hi));
    expect(parts.at(-1)).toMatchObject({ type: "error" });
    const decisions = r.log.list();
    for (const stats of [r.log.stats(), statsOf(decisions)]) {
      expect(stats).toMatchObject({ requests: 1, errors: 1, fallbacks: 0 });
      expect(stats.byTarget).toEqual({ "openai:gpt": row(1, 1), "groq:llama": row(1, 1) });
    }
    const text = routerMetricsText(r.log.stats());
    expect(text).toContain('wren_router_target_errors_total{target="openai:gpt"} 1');
    expect(text).toContain('wren_router_target_requests_total{target="groq:llama"} 1');
    expect(text).toContain("wren_router_errors_total 1");
  });

  it("a target that failed before another answered counts its error; the answer counts once, against the target that gave it", async () => {
    const r = router([cloud("openai:gpt", [{ fail: serverError }]), cloud("groq:llama", [textAnswer("hello")])]);
    await r.doGenerate(hi);
    for (const stats of [r.log.stats(), statsOf(r.log.list())]) {
      expect(stats).toMatchObject({ requests: 1, errors: 0, fallbacks: 1 });
      expect(stats.byTarget).toEqual({ "openai:gpt": row(1, 1), "groq:llama": row(1, 0) });
    }
  });

  it("an answer cut mid-stream counts once against its target, as before", () => {
    const cut: Decision = {
      id: 1,
      at: "2026-12-05T10:00:00.000Z",
      route: "default",
      requestedModel: "auto",
      provider: "openai",
      model: "gpt",
      outcome: "error",
      error: "cut",
      attempts: [{ target: "openai:gpt", outcome: "error-after-partial", detail: "upstream_error", ms: 5 }],
      costUsd: 0,
      ms: 5,
    };
    const log = new DecisionLog();
    log.record(cut);
    for (const stats of [log.stats(), statsOf([cut])]) expect(stats.byTarget).toEqual({ "openai:gpt": row(1, 1) });
  });
});
