import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText } from "../protocol/index.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";

describe.runIf(hasSharedModels)("LoRA adapters at run time", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const story = async (lora?: Array<{ path: string; scale: number }>): Promise<string> => {
    const model = await engine.loadModel(sharedModels.stories, { contextSize: 256, ...(lora ? { lora } : {}) });
    try {
      return resultText(await model.doGenerate({ messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 32 }));
    } finally {
      await model.dispose();
    }
  };

  it("changes the text at scale 1 and leaves it as the base model's at scale 0", async () => {
    const base = await story();
    expect(base).toContain("She loved to play outside in the park");
    expect(await story([{ path: sharedModels.lora, scale: 0 }])).toBe(base);
    const adapted = await story([{ path: sharedModels.lora, scale: 1 }]);
    expect(adapted).toContain("She loved to play with her toys");
  });
});
