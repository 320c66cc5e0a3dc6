import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../engine/index.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { collectStream, resultText, userText } from "../protocol/index.js";
import { LocalModelHost } from "./serve-host.js";

describe.runIf(hasSharedModels)("LocalModelHost", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("loads on first use, resolves aliases, evicts the least recently used idle model, and unloads idle ones", async () => {
    const events: string[] = [];
    await using host = new LocalModelHost({
      engine,
      models: [
        { path: sharedModels.chat, id: "chat", aliases: ["hello"], contextSize: 256, sequences: 1 },
        { path: sharedModels.stories, contextSize: 256, sequences: 1 },
      ],
      maxLoaded: 1,
      idleUnloadMs: 300,
      onEvent: (event, fields) => events.push(`${event}:${JSON.stringify(fields["model"])}:${JSON.stringify(fields["reason"] ?? "")}`),
    });
    expect(host.list().map((m) => [m.id, m.loaded])).toEqual([["chat", false], ["stories260K", false]]);
    expect(host.resolve("hello")?.id).toBe("chat");
    expect(host.resolve("nope")).toBeUndefined();

    const chat = await host.acquire("chat");
    expect(resultText(await collectStream(chat.model.language.doStream({ messages: [userText("hi")] })))).toBe(CHAT_MODEL_REPLY);
    expect(host.resolve("chat")).toMatchObject({ loaded: true, contextLength: 256, family: "llama" });

    // The only slot is busy: loading another model must not evict it.
    await expect(host.acquire("stories260K")).rejects.toMatchObject({ code: "overloaded" });
    chat.release();

    const stories = await host.acquire("stories260K");
    expect(host.list().map((m) => [m.id, m.loaded])).toEqual([["chat", false], ["stories260K", true]]);
    stories.release();
    expect(host.resolve("stories260K")?.expiresAt).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    expect(host.list().every((m) => !m.loaded)).toBe(true);
    expect(events).toEqual([
      'model-loading:"chat":""',
      'model-loaded:"chat":""',
      'model-unloaded:"chat":"lru"',
      'model-loading:"stories260K":""',
      'model-loaded:"stories260K":""',
      'model-unloaded:"stories260K":"idle"',
    ]);
  });

  it("refuses two models with the same id", () => {
    expect(() => new LocalModelHost({ engine, models: [{ path: sharedModels.chat }, { path: sharedModels.chat }] })).toThrow(/both named 'synthetic-bigram-chatml'/);
  });
});
