import { describe, expect, it } from "vitest";
import type { ConditionContext } from "./conditions.js";
import { fixedPlan, planRoute } from "./plan.js";
import type { RouteNode } from "./route.js";

const ctx: ConditionContext = { request: { messages: [] }, requestedModel: "auto", localContextLength: undefined, promptTokens: () => Promise.resolve(10) };

describe("route plans", () => {
  it("a route of targets and fallbacks has one plan, the one planRoute makes for every request", async () => {
    const routes: RouteNode[] = [
      { type: "target", target: "openai:a", reason: "direct" },
      { type: "fallback", targets: [{ type: "target", target: "local:q" }, { type: "target", target: "openai:a" }] },
      {
        type: "fallback",
        onStatus: [429],
        targets: [
          { type: "fallback", targets: [{ type: "target", target: "local:q" }, { type: "target", target: "groq:b" }] },
          { type: "target", target: "local:q" },
          { type: "fallback", onStatus: [500], targets: [{ type: "target", target: "openai:a" }] },
        ],
      },
    ];
    for (const route of routes) {
      const fixed = fixedPlan(route);
      expect(fixed).toBeDefined();
      expect(fixed).toEqual(await planRoute(route, ctx));
    }
    expect(fixedPlan(routes[2]!)!.map((c) => [c.target, c.reason, c.onStatus])).toEqual([
      ["local:q", "primary", [429]],
      ["groq:b", "fallback", [429]],
      ["openai:a", "fallback", [500]],
    ]);
  });

  it("a route with a weighted pick or a condition has none: it is planned per request", () => {
    expect(fixedPlan({ type: "loadbalance", targets: [{ weight: 1, node: { type: "target", target: "openai:a" } }] })).toBeUndefined();
    expect(fixedPlan({ type: "fallback", targets: [{ type: "target", target: "local:q" }, { type: "conditional", branches: [{ when: { hasTools: true }, then: { type: "target", target: "openai:a" } }] }] })).toBeUndefined();
  });
});
