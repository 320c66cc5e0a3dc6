import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { memoryBudget } from "../models/fit.js";
import { recommendModel, TARGET_TOKENS_PER_SECOND } from "../models/recommend.js";
import { defaultModel } from "./default-model.js";

/** `wren models recommend` and the model `wren serve` picks by default are one decision. */
describe("the default model and wren models recommend agree", () => {
  const profiles = [
    { name: "2-core CPU, 24 GB free", freeRam: 24e9, speed: { cores: 2, gpu: false } },
    { name: "8-core CPU, 16 GB free", freeRam: 16e9, speed: { cores: 8, gpu: false } },
    { name: "16-core CPU, 3 GB free", freeRam: 3e9, speed: { cores: 16, gpu: false } },
    { name: "GPU, 12 GB free", freeRam: 12e9, speed: { cores: 8, gpu: true } },
    { name: "1 core, 64 GB free", freeRam: 64e9, speed: { cores: 1, gpu: false } },
  ];
  for (const p of profiles) {
    it(`on a ${p.name}`, () => {
      const recommended = recommendModel(memoryBudget({ freeRamBytes: p.freeRam }), "chat", undefined, p.speed);
      const chosen = defaultModel(defaultConfig({ env: {} }), p.freeRam, p.speed);
      expect(chosen.ref).toBe(recommended.entry?.name);
      expect(chosen.reason).toBe(recommended.reason);
    });
  }

  it("a 2-core CPU gets neither the 14B model nor one slower than the target, and is told the speed", () => {
    const { entry, reason, candidates } = recommendModel({ bytes: 24e9, description: "24 GB free RAM" }, "chat", undefined, { cores: 2, gpu: false });
    expect(entry?.name).not.toMatch(/14b|7b|3b/);
    expect(candidates.find((c) => c.entry === entry)!.tokensPerSecond).toBeGreaterThanOrEqual(TARGET_TOKENS_PER_SECOND);
    expect(reason).toMatch(/^fits in 24 GB free RAM \(needs about [\d.]+ [MG]B\), about \d+ tokens\/s here$/);
  });

  it("a GPU with the memory for it gets the larger model", () => {
    const gpu = recommendModel({ bytes: 24e9, description: "" }, "chat", undefined, { cores: 8, gpu: true });
    const cpu = recommendModel({ bytes: 24e9, description: "" }, "chat", undefined, { cores: 2, gpu: false });
    expect(gpu.entry!.sizeBytes).toBeGreaterThan(cpu.entry!.sizeBytes);
  });

  it("when nothing that fits is fast enough, the fastest that fits", () => {
    const { entry } = recommendModel({ bytes: 24e9, description: "" }, "chat", undefined, { cores: 1, gpu: false });
    expect(entry?.name).toBe("qwen2.5-0.5b");
  });
});
