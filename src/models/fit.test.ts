import { describe, expect, it } from "vitest";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { assertContextSupported, assertFits, checkFit, memoryBudget } from "./fit.js";
import { inspectGgufFile } from "./gguf-check.js";
import { estimateMemory } from "./gguf-info.js";
import { recommendModel } from "./recommend.js";

describe.runIf(hasSharedModels)("fit checks", () => {
  it("refuses a context that cannot fit and names the largest that can", async () => {
    const summary = await inspectGgufFile(sharedModels.stories);
    const budget = memoryBudget({ limitBytes: 4_000_000 });
    const fit = checkFit(summary, 2048, budget);
    expect(fit.fits).toBe(false);
    expect(estimateMemory(summary, fit.maxContext).totalBytes).toBeLessThanOrEqual(4_000_000);
    expect(estimateMemory(summary, fit.maxContext + 1).totalBytes).toBeGreaterThan(4_000_000);
    expect(() => assertFits(fit, "stories")).toThrow(WrenError);
    try {
      assertFits(fit, "stories");
    } catch (error) {
      expect((error as WrenError).code).toBe("model_too_large");
      expect((error as WrenError).hint).toContain(`The largest context that fits is ${fit.maxContext} tokens`);
    }
    expect(checkFit(summary, fit.maxContext, budget).fits).toBe(true);
  });

  it("says plainly when even the weights do not fit", async () => {
    const summary = await inspectGgufFile(sharedModels.stories);
    const fit = checkFit(summary, 512, memoryBudget({ limitBytes: 1_000_000 }));
    expect(fit.maxContext).toBe(0);
    expect(() => assertFits(fit, "stories")).toThrow(/It will not fit/);
  });

  it("refuses a context beyond the model's training context, naming the most it supports", () => {
    expect(() => assertContextSupported(2048, 2048, "stories")).not.toThrow();
    expect(() => assertContextSupported(100_000_000, 0, "unknown")).not.toThrow();
    const error = (() => {
      try {
        assertContextSupported(100_000_000, 2048, "stories");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WrenError);
    expect(error).toMatchObject({ code: "model_too_large", message: "stories supports at most 2048 tokens of context, not the 100000000 asked for." });
    expect(exitCodeOf(error as WrenError)).toBe(3);
  });

  it("counts free RAM and VRAM when no limit is given", () => {
    expect(memoryBudget({ freeRamBytes: 8e9, freeVramBytes: 4e9 })).toEqual({ bytes: 12e9, description: "8.0 GB free RAM + 4.0 GB free VRAM" });
  });

  it("recommends the largest catalog model that fits", () => {
    expect(recommendModel({ bytes: 3e9, description: "" }).entry?.name).toBe("llama3.2-3b");
    expect(recommendModel({ bytes: 1e9, description: "" }).entry?.name).toBe("qwen2.5-0.5b");
    expect(recommendModel({ bytes: 64e9, description: "" }, "code").entry?.name).toBe("qwen2.5-coder-7b");
    expect(recommendModel({ bytes: 4e8, description: "" }, "embedding").entry?.name).toBe("bge-small-en-v1.5");
    expect(recommendModel({ bytes: 1e8, description: "" }).entry).toBeUndefined();
  });
});
