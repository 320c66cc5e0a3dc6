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

  it("adds a model at run time, and removes one only after the request holding it ends, unloading it", async () => {
    const events: string[] = [];
    await using host = new LocalModelHost({
      engine,
      models: [{ path: sharedModels.stories, contextSize: 256, sequences: 1 }],
      onEvent: (event, fields) => events.push(`${event}:${JSON.stringify(fields["model"])}:${JSON.stringify(fields["reason"] ?? "")}`),
    });
    await host.describe();
    const added = await host.add({ id: "chat", path: sharedModels.chat, contextSize: 256, sequences: 1 });
    expect(added).toMatchObject({ id: "chat", loaded: false, family: "llama", chatTemplate: true });
    expect(host.resolve("stories260K")).toMatchObject({ chatTemplate: false });
    await expect(host.add({ id: "chat", path: sharedModels.stories })).rejects.toThrow(/already served/);

    const lease = await host.acquire("chat");
    let removed = false;
    const removing = host.remove("chat").then(() => (removed = true));
    // Gone for new requests at once; the running one keeps its model until it ends.
    expect(host.resolve("chat")).toBeUndefined();
    await expect(host.acquire("chat")).rejects.toMatchObject({ code: "model_not_found" });
    expect(resultText(await collectStream(lease.model.language.doStream({ messages: [userText("hi")] })))).toBe(CHAT_MODEL_REPLY);
    expect(removed).toBe(false);
    expect(events).not.toContain('model-unloaded:"chat":"removed"');
    lease.release();
    await removing;
    expect(events.at(-1)).toBe('model-unloaded:"chat":"removed"');
  });

  it("keep_alive: 0 unloads once the last request ends; a duration sets the expiry; negative keeps the model", async () => {
    await using host = new LocalModelHost({ engine, models: [{ path: sharedModels.chat, id: "chat", contextSize: 256, sequences: 1 }] });
    const a = await host.acquire("chat");
    await host.keepAlive("chat", 0);
    expect(host.resolve("chat")?.loaded).toBe(true); // held: not yet
    a.release();
    expect(host.resolve("chat")?.loaded).toBe(false);

    (await host.acquire("chat")).release();
    const before = Date.now();
    await host.keepAlive("chat", 60_000);
    const expires = Date.parse(host.resolve("chat")!.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
    await host.keepAlive("chat", -1);
    expect(host.resolve("chat")).toMatchObject({ loaded: true });
    expect(host.resolve("chat")?.expiresAt).toBeUndefined();
  });

  it("keep_alive longer than a timer holds (about 24.8 days) keeps the model, and one past any date never throws", async () => {
    await using host = new LocalModelHost({ engine, models: [{ path: sharedModels.chat, id: "chat", contextSize: 256, sequences: 1 }] });
    (await host.acquire("chat")).release();
    const before = Date.now();
    await host.keepAlive("chat", 3_000_000_000); // 35 days: setTimeout alone fired it after 1 ms
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(host.resolve("chat")).toMatchObject({ loaded: true });
    expect(Date.parse(host.resolve("chat")!.expiresAt!)).toBeGreaterThanOrEqual(before + 3_000_000_000);
    await host.keepAlive("chat", Number.POSITIVE_INFINITY); // `keep_alive: 1e308` seconds: new Date(...) threw
    expect(host.resolve("chat")).toMatchObject({ loaded: true });
    expect(host.resolve("chat")?.expiresAt).toBeUndefined();
    const lease = await host.acquire("chat");
    expect(() => lease.release()).not.toThrow(); // it threw, failing whichever request held the model next
    expect(host.resolve("chat")).toMatchObject({ loaded: true });
  });

  it("refuses two models with the same id", () => {
    expect(() => new LocalModelHost({ engine, models: [{ path: sharedModels.chat }, { path: sharedModels.chat }] })).toThrow(/both named 'synthetic-bigram-chatml'/);
    // No flag names a served model: the hint points to where an id is given.
    expect(() => new LocalModelHost({ engine, models: [{ path: sharedModels.chat }, { path: sharedModels.chat }] })).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('[[server.models]] ref = "…" id = "synthetic-bigram-chatml-2"') }),
    );
  });
});
