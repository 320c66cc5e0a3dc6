import { describe, expect, it } from "vitest";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { resultText, userText, type ChatRequest } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { FakeClock } from "./clock.js";
import type { CloudPolicy } from "./consent.js";
import { Router } from "./router.js";
import type { RouterTarget } from "./target.js";

const hi: ChatRequest = { messages: [userText("hi there")] };

/** A local model whose load the test finishes by hand: `whenReady` settles only when `finish` is called. */
function loadingLocal() {
  const model = new ScriptedModel("local", "tiny", [textAnswer("local answer")]);
  let ready = false;
  let waits = 0;
  let settle!: (error?: Error) => void;
  const loaded = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  const target: RouterTarget = {
    id: "local:tiny",
    model,
    leavesMachine: false,
    local: {
      contextLength: 1000,
      isReady: () => ready,
      whenReady: async () => {
        waits++;
        await loaded;
      },
    },
  };
  return {
    model,
    target,
    waits: () => waits,
    finish: (error?: Error) => {
      if (!error) ready = true;
      settle(error);
    },
  };
}

function router(targets: RouterTarget[], policy: CloudPolicy = "allow") {
  return new Router({
    targets,
    routes: { default: { type: "fallback", targets: targets.map((t) => ({ type: "target" as const, target: t.id })) } },
    consent: { policy },
    clock: new FakeClock(1_000_000),
    random: () => 0.5,
  });
}

describe("router: a local model that can say when it is loaded", () => {
  it("lets the teacher answer with reason loading, without waiting, while the load goes on", async () => {
    const l = loadingLocal();
    const teacher = new ScriptedModel("openai", "gpt", [textAnswer("teacher answer")]);
    const r = router([l.target, { id: "openai:gpt", model: teacher, leavesMachine: true }]);
    const result = await r.doGenerate(hi);
    expect(resultText(result)).toBe("teacher answer");
    expect(result.provenance).toMatchObject({ provider: "openai", reason: "loading" });
    expect(l.waits()).toBe(0);
    l.finish();
    const after = await r.doGenerate(hi);
    expect(resultText(after)).toBe("local answer");
    expect(after.provenance).toMatchObject({ provider: "local", reason: "local" });
  });

  it("waits for the load when no teacher may answer (cloud use never), then answers locally", async () => {
    const l = loadingLocal();
    const teacher = new ScriptedModel("openai", "gpt", [textAnswer("teacher answer")]);
    const r = router([l.target, { id: "openai:gpt", model: teacher, leavesMachine: true }], "never");
    const answer = r.doGenerate(hi);
    // The request is parked on the load, not failed: finishing the load lets it through.
    await expect.poll(() => l.waits()).toBe(1);
    expect(l.model.calls).toBe(0);
    l.finish();
    const result = await answer;
    expect(resultText(result)).toBe("local answer");
    expect(result.provenance).toMatchObject({ provider: "local", reason: "local" });
    expect(teacher.calls).toBe(0);
    expect(r.log.list()[0]!.attempts.map((a) => [a.target, a.outcome, a.detail])).toEqual([
      ["local:tiny", "skipped", "loading"],
      ["openai:gpt", "skipped", "consent"],
      ["local:tiny", "ok", undefined],
    ]);
  });

  it("waits for the load when the local model is asked for directly", async () => {
    const l = loadingLocal();
    const r = router([l.target]);
    const answer = r.doGenerate(hi);
    await expect.poll(() => l.waits()).toBe(1);
    l.finish();
    expect((await answer).provenance).toMatchObject({ provider: "local", reason: "local" });
  });

  it("fails with the load's own error when the load fails and nothing else can answer", async () => {
    const l = loadingLocal();
    const r = router([l.target]);
    const answer = r.doGenerate(hi);
    await expect.poll(() => l.waits()).toBe(1);
    l.finish(new WrenError("model_not_found", "The daemon does not serve tiny."));
    await expect(answer).rejects.toMatchObject({ code: "model_not_found" });
  });

  it("stops waiting when the request is cancelled", async () => {
    const l = loadingLocal();
    const r = router([l.target]);
    const controller = new AbortController();
    // A load that is still going when the request is cancelled: the wait ends with the request.
    let waiting!: () => void;
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    l.target.local!.whenReady = (signal) =>
      new Promise<void>((_, reject) => {
        signal?.addEventListener("abort", () => reject(new WrenError("aborted", "cancelled")), { once: true });
        waiting();
      });
    const answer = r.doGenerate(hi, { signal: controller.signal });
    await waited;
    controller.abort();
    const result = await answer;
    expect(result.finishReason).toBe("abort");
    expect(l.model.calls).toBe(0);
  });
});
