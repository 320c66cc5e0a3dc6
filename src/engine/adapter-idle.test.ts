import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText } from "../protocol/index.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

/** Polls until `check` holds; fails after a generous deadline (never a timing assertion). */
async function eventually(check: () => boolean, what: string, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`still waiting after ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(hasSharedModels)("an idle adapter's context", () => {
  let engine: Engine;
  let model: LocalModel;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    model = await engine.loadModel(sharedModels.stories, { contextSize: 128, sequences: 1, adapterIdleMs: 150 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const request = { messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 16 };
  const adapter = { name: "synthetic", path: sharedModels.lora, scale: 1 };

  /** Starts a request with the adapter and waits for its first text: its context is held until `end()`. */
  async function holding(): Promise<{ end: () => Promise<void> }> {
    const iterator = model.withAdapter(adapter).doStream({ ...request, maxOutputTokens: 64 })[Symbol.asyncIterator]();
    for (let part = await iterator.next(); !part.done && part.value.type !== "text-delta"; part = await iterator.next());
    return { end: async () => void (await iterator.return?.(undefined)) };
  }

  it("is freed after the idle time with no request, and made again on the next one", async () => {
    expect(model.stats().adapterContexts).toBe(0);
    const first = resultText(await model.withAdapter(adapter).doGenerate(request));
    await eventually(() => model.stats().adapterContexts === 0, "the adapter's context to be freed");
    const held = await holding();
    expect(model.stats().adapterContexts).toBe(1);
    await held.end();
    await eventually(() => model.stats().adapterContexts === 0, "the adapter's context to be freed again");
    // Made again from the adapter's file: the same text as the first time.
    expect(resultText(await model.withAdapter(adapter).doGenerate(request))).toBe(first);
    await eventually(() => model.stats().adapterContexts === 0, "the last context to be freed");
  });

  it("is kept while a request uses it, however long that takes", async () => {
    const held = await holding();
    // Three idle times pass (waited for, not asserted): the request still holds its context.
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(model.stats().adapterContexts).toBe(1);
    await held.end();
    await eventually(() => model.stats().adapterContexts === 0, "the context to be freed once the request ended");
  });
});
