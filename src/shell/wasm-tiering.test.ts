import { describe, expect, it } from "vitest";
import { keepWebAssemblyOnBaseline, processTieringBudget, startupTieringBudget, withoutTierUp } from "./wasm-tiering.js";

describe("startupTieringBudget", () => {
  it("is V8's default for the running version when node was given none", () => {
    expect(startupTieringBudget([], "", "11.3.244.8-node.38")).toBe(1_800_000);
    expect(startupTieringBudget([], "", "12.4.254.21-node.33")).toBe(13_000_000);
    expect(startupTieringBudget(["--max-old-space-size=4096"], "--enable-source-maps", "13.6.233.10-node.28")).toBe(13_000_000);
  });

  it("is the one node was started with, from its command line over NODE_OPTIONS", () => {
    expect(startupTieringBudget(["--wasm-tiering-budget=5000"], "", "11.3.244.8")).toBe(5000);
    expect(startupTieringBudget([], "--wasm_tiering_budget=7000", "11.3.244.8")).toBe(7000);
    expect(startupTieringBudget(["--wasm-tiering-budget", "9000"], "--wasm-tiering-budget=7000", "12.4.254.21")).toBe(9000);
  });
});

describe("keepWebAssemblyOnBaseline", () => {
  it("leaves a tiering budget the user gave node as given", () => {
    expect(keepWebAssemblyOnBaseline(["--wasm-tiering-budget=5000"], "")).toBe(false);
    expect(keepWebAssemblyOnBaseline([], "--max-old-space-size=4096 --wasm_tiering_budget 7000")).toBe(false);
    expect(processTieringBudget()).toBe(startupTieringBudget());
  });

  it("keeps later instances on baseline code, and the grammar's own instantiation sets that back, not V8's default", async () => {
    expect(keepWebAssemblyOnBaseline([], "")).toBe(true);
    expect(processTieringBudget()).toBe(2 ** 31 - 1);
    await withoutTierUp(() => Promise.resolve());
    expect(processTieringBudget()).toBe(2 ** 31 - 1);
  });
});
