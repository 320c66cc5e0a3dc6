import { describe, expect, it } from "vitest";
import { HealthChecker, type HealthProbe } from "./health.js";

/** A probe that counts its calls and answers what `state.ok` says. */
function countingProbe(state: { ok: boolean; calls: number }): HealthProbe {
  return () => {
    state.calls++;
    return Promise.resolve(state.ok);
  };
}

describe("HealthChecker with targets sharing one endpoint", () => {
  it("probes an endpoint once a round, and every target of it reads the result", async () => {
    const endpoint = { ok: true, calls: 0 };
    using health = new HealthChecker(new Map(), { intervalMs: 60_000 });
    for (let i = 0; i < 50; i++) health.watch(`openai:m${i}`, "http://upstream/v1/models", countingProbe(endpoint));
    await health.checkNow();
    expect(endpoint.calls).toBe(1);
    endpoint.ok = false;
    await health.checkNow();
    expect(endpoint.calls).toBe(2);
    for (let i = 0; i < 50; i++) expect(health.isHealthy(`openai:m${i}`)).toBe(false);
    expect(health.isHealthy("openai:never-watched")).toBe(true);
  });

  it("keeps an endpoint's probe while any target of it is watched, and drops it with the last", async () => {
    const endpoint = { ok: false, calls: 0 };
    using health = new HealthChecker(new Map(), { intervalMs: 60_000 });
    health.watch("openai:a", "http://upstream/v1/models", countingProbe(endpoint));
    health.watch("openai:b", "http://upstream/v1/models", countingProbe(endpoint));
    await health.checkNow();
    health.forget("openai:a");
    expect(health.isHealthy("openai:a")).toBe(true);
    expect(health.isHealthy("openai:b")).toBe(false);
    await health.checkNow();
    expect(endpoint.calls).toBe(2);
    health.forget("openai:b");
    await health.checkNow();
    expect(endpoint.calls).toBe(2);
    expect(health.isHealthy("openai:b")).toBe(true);
  });

  it("keeps probing targets given at construction by their own name", async () => {
    const a = { ok: false, calls: 0 };
    using health = new HealthChecker(new Map([["openai:a", countingProbe(a)]]), { intervalMs: 60_000 });
    await health.checkNow();
    expect(health.isHealthy("openai:a")).toBe(false);
    health.forget("openai:a");
    await health.checkNow();
    expect(a.calls).toBe(1);
  });

  it("starts its rounds when the first target is watched after start()", async () => {
    const endpoint = { ok: true, calls: 0 };
    using health = new HealthChecker(new Map(), { intervalMs: 60_000 });
    health.start();
    health.watch("openai:a", "http://upstream/v1/models", countingProbe(endpoint));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(endpoint.calls).toBe(1);
  });
});
