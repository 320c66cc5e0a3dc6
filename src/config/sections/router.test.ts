import { describe, expect, it } from "vitest";
import { z } from "zod";
import { section } from "./router.js";

describe("router config section", () => {
  it("has defaults: ask before cloud use, one retry, a breaker, health checks", () => {
    const config = section().parse(undefined);
    expect(config).toMatchObject({ cloud: "ask", offline: false, proxyOnly: false, teachers: [], retry: { maxRetries: 1 }, breaker: { failureThreshold: 5 } });
  });

  it("accepts nested routes with target shorthand, and rejects unknown strategies", () => {
    const config = section().parse({
      routes: {
        default: {
          type: "conditional",
          branches: [{ when: { any: [{ hasImages: true }, { exceedsLocalContext: true }] }, then: "anthropic:claude" }],
          otherwise: { type: "fallback", targets: ["local:qwen", { type: "loadbalance", targets: [{ weight: 1, route: "openai:gpt" }] }] },
        },
      },
    });
    expect(Object.keys(config.routes)).toEqual(["default"]);
    expect(() => section().parse({ routes: { default: { type: "random", targets: [] } } })).toThrow();
    expect(() => section().parse({ cloud: "sometimes" })).toThrow();
  });

  it("takes continueFinalMessage on a pool only", () => {
    const pool = { kind: "pool", replicas: ["http://10.0.0.5:8000/v1"], continueFinalMessage: true };
    expect(section().parse({ providers: { gpus: pool } }).providers["gpus"]).toMatchObject({ continueFinalMessage: true });
    expect(() => section().parse({ providers: { gpus: { ...pool, continueFinalMessage: "yes" } } })).toThrow();
    expect(() => section().parse({ providers: { myvllm: { baseURL: "http://10.0.0.5:8000/v1", continueFinalMessage: true } } })).toThrow(/continueFinalMessage/);
  });

  it("converts to JSON Schema (recursive routes included)", () => {
    const json = z.toJSONSchema(section(), { io: "input" }) as { properties?: Record<string, unknown> };
    expect(json.properties).toHaveProperty("routes");
  });
});
