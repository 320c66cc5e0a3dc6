import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ScriptedModel, textAnswer } from "../../../test/helpers/fake-upstreams/scripted-model.js";
import { userText } from "../../protocol/index.js";
import { Router } from "../../router/router.js";
import type { WrenError} from "../../shared/errors.js";
import { httpStatusOf } from "../../shared/errors.js";
import { routerRoutes } from "./router.js";

describe("/v1/router routes", () => {
  it("list recent decisions newest first, and totals", async () => {
    const router = new Router({
      targets: [{ id: "openai:gpt", model: new ScriptedModel("openai", "gpt", [textAnswer("hi")]), leavesMachine: true }],
      routes: { default: { type: "target", target: "openai:gpt" } },
      consent: { policy: "allow" },
      prices: { "openai:*": { input: 1, output: 1 } },
    });
    await router.doGenerate({ messages: [userText("one")] });
    await router.doGenerate({ messages: [userText("two")] });
    const app = new Hono();
    app.onError((error, c) => c.json({ error: (error as WrenError).message }, httpStatusOf(error as WrenError) as 400));
    app.route("/v1", routerRoutes(router.log));

    const res = await app.request("/v1/router/decisions?limit=1");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ id: number; provider: string; reason: string }> };
    expect(body.data).toEqual([expect.objectContaining({ id: 2, provider: "openai", reason: "primary" })]);

    const stats = (await (await app.request("/v1/router/stats")).json()) as { requests: number; costUsd: number };
    expect(stats.requests).toBe(2);
    expect(stats.costUsd).toBeCloseTo(28 / 1e6);

    const bad = await app.request("/v1/router/decisions?limit=zero");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining("limit must be") });
  });
});
