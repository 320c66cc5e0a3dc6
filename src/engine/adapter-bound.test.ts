import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText } from "../protocol/index.js";
import { inspectGgufFile } from "../models/gguf-check.js";
import { estimateMemory } from "../models/gguf-info.js";
import { isWrenError } from "../shared/errors.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";

const request = { messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 8 };
const adapter = (scale: number) => ({ name: "synthetic", path: sharedModels.lora, scale });

/** Polls until `check` holds; fails after a generous deadline (never a timing assertion). */
async function eventually(check: () => boolean, what: string, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`still waiting after ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts a request with `scale` and waits for its first text: its context is held until `end()`. */
async function holding(model: LocalModel, scale: number): Promise<{ end: () => Promise<void> }> {
  const iterator = model.withAdapter(adapter(scale)).doStream({ ...request, maxOutputTokens: 64 })[Symbol.asyncIterator]();
  for (let part = await iterator.next(); !part.done && part.value.type !== "text-delta"; part = await iterator.next());
  return { end: async () => void (await iterator.return?.(undefined)) };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe.runIf(hasSharedModels)("adapter contexts a client can make", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1, promptCache: { maxEntries: 0 } });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("stay at the cap however many scales requests name, the least recently used idle one making room", async () => {
    await using model = await engine.loadModel(sharedModels.stories, { contextSize: 64, sequences: 1 });
    const most = { seen: 0 };
    for (let i = 1; i <= 12; i++) {
      await model.withAdapter(adapter(i / 100)).doGenerate(request);
      most.seen = Math.max(most.seen, model.stats().adapterContexts);
    }
    // Before: one context (and KV cache) per scale named, 12 here, each kept for 30 s.
    expect(most.seen).toBe(4);
    // A scale still held is served from its context; one replaced is made again, with the same text.
    const again = resultText(await model.withAdapter(adapter(0.12)).doGenerate(request));
    expect(resultText(await model.withAdapter(adapter(0.01)).doGenerate(request))).not.toBe("");
    expect(again).toBe(resultText(await model.withAdapter(adapter(0.12)).doGenerate(request)));
    expect(model.stats().adapterContexts).toBe(4);
  });

  it("makes a request wait while every context is in use, and refuses it (429) when the line is full", async () => {
    await using model = await engine.loadModel(sharedModels.stories, { contextSize: 64, sequences: 1, adapterContexts: 2, maxQueued: 1 });
    const a = await holding(model, 0.1);
    const b = await holding(model, 0.2);
    expect(model.stats().adapterContexts).toBe(2);
    const waiting = model.withAdapter(adapter(0.3)).doGenerate(request);
    await eventually(() => model.stats().queued === 1, "the third scale's request to wait in line");
    expect(model.stats().adapterContexts).toBe(2);
    const refused = await failure(model.withAdapter(adapter(0.4)).doGenerate(request));
    expect(isWrenError(refused) && refused.code).toBe("overloaded");
    expect(isWrenError(refused) && refused.status).toBe(429);
    expect(isWrenError(refused) && refused.hint).toContain("engine.adapterContexts");
    // A request with a scale already held, and one with no adapter, do not wait for that line.
    expect(resultText(await model.doGenerate(request))).not.toBe("");
    await a.end();
    expect(resultText(await waiting)).not.toBe("");
    expect(model.stats().adapterContexts).toBe(2);
    await b.end();
  });

  it("leaves the line when the request is cancelled", async () => {
    await using model = await engine.loadModel(sharedModels.stories, { contextSize: 64, sequences: 1, adapterContexts: 1 });
    const a = await holding(model, 0.5);
    const controller = new AbortController();
    const waiting = model.withAdapter(adapter(0.6)).doGenerate(request, { signal: controller.signal });
    await eventually(() => model.stats().queued === 1, "the request to wait in line");
    controller.abort();
    await waiting.catch(() => undefined);
    await eventually(() => model.stats().queued === 0, "the request to leave the line");
    expect(model.stats().adapterContexts).toBe(1);
    await a.end();
  });

  it("are refused (503) when memory cannot take one, while requests without an adapter go on", async () => {
    const summary = await inspectGgufFile(sharedModels.stories);
    // Room for the weights and the default context, not for a second context.
    const limit = estimateMemory(summary, 64).totalBytes + 1024;
    await using model = await engine.loadModel(sharedModels.stories, { contextSize: 64, sequences: 1, memoryLimitBytes: limit });
    const refused = await failure(model.withAdapter(adapter(1)).doGenerate(request));
    expect(isWrenError(refused) && refused.status).toBe(503);
    expect(isWrenError(refused) && refused.message).toContain("not enough memory");
    expect(model.stats().adapterContexts).toBe(0);
    expect(resultText(await model.doGenerate(request))).not.toBe("");
  });
});
