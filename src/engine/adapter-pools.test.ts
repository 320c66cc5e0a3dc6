import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText } from "../protocol/index.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

describe.runIf(hasSharedModels)("adapters per request", () => {
  let engine: Engine;
  let model: LocalModel;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    model = await engine.loadModel(sharedModels.stories, { contextSize: 256, sequences: 2 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const request = { messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 32 };
  const adapter = (scale: number) => ({ name: "synthetic", path: sharedModels.lora, scale });

  it("applies the adapter to its own requests only; scale 0 is the base text", async () => {
    const base = resultText(await model.doGenerate(request));
    expect(base).toContain("She loved to play outside in the park");
    const adapted = model.withAdapter(adapter(1));
    expect(adapted.modelId).toBe("stories260K+synthetic");
    expect(resultText(await adapted.doGenerate(request))).toContain("She loved to play with her toys");
    expect(resultText(await model.withAdapter(adapter(0)).doGenerate(request))).toBe(base);
    // The default context never got the adapter.
    expect(resultText(await model.doGenerate(request))).toBe(base);
  });

  it("decodes requests with and without an adapter at the same time, each with its own text", async () => {
    const alone = [resultText(await model.doGenerate(request)), resultText(await model.withAdapter(adapter(1)).doGenerate(request))];
    const together = await Promise.all([model.doGenerate(request), model.withAdapter(adapter(1)).doGenerate(request)]);
    expect(together.map(resultText)).toEqual(alone);
    expect(alone[0]).not.toBe(alone[1]);
  });
});
