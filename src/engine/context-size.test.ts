import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { checkFit } from "../models/fit.js";
import { inspectGgufFile } from "../models/gguf-check.js";
import { sharedModelsDir } from "../../test/helpers/shared-models.js";
import { AUTO_CONTEXT_BUDGET_SHARE, chooseContextSize } from "./context-size.js";

const long = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");
const MB = 1024 * 1024;
const budget = (bytes: number) => ({ bytes, description: `${bytes / MB} MB (--memory-limit)` });

describe.runIf(existsSync(long))("the context a served model gets", () => {
  it("takes the whole training context when it fits, for every sequence", async () => {
    const summary = await inspectGgufFile(long);
    const choice = chooseContextSize(summary, 4, "auto", budget(4096 * MB));
    expect(choice).toMatchObject({ contextSize: 131072, source: "auto", reason: expect.stringMatching(/training context.*4096 MB/) });
  });

  it("takes the largest context that fits three quarters of the budget when the training context does not", async () => {
    const summary = await inspectGgufFile(long);
    for (const sequences of [1, 4]) {
      const limit = budget(48 * MB);
      const choice = chooseContextSize(summary, sequences, "auto", limit);
      expect(choice.source).toBe("auto");
      expect(choice.contextSize % 256).toBe(0);
      expect(choice.contextSize).toBeLessThan(131072);
      const share = { ...limit, bytes: limit.bytes * AUTO_CONTEXT_BUDGET_SHARE };
      // It fits with every sequence's KV cache, and 256 tokens more would not.
      expect(checkFit(summary, choice.contextSize * sequences, share).fits).toBe(true);
      expect(checkFit(summary, (choice.contextSize + 256) * sequences, share).fits).toBe(false);
      expect(choice.reason).toMatch(/largest that fits 48 MB.*trained for 131072/);
    }
  });

  it("keeps what was asked for (up to the training context), and the old default when nothing was", async () => {
    const summary = await inspectGgufFile(long);
    expect(chooseContextSize(summary, 4, 8192, budget(MB))).toMatchObject({ contextSize: 8192, source: "requested" });
    expect(chooseContextSize(summary, 4, 1_000_000, budget(MB))).toMatchObject({ contextSize: 131072, source: "requested" });
    expect(chooseContextSize(summary, 4, undefined, budget(4096 * MB))).toMatchObject({ contextSize: 4096, source: "default" });
  });
});
