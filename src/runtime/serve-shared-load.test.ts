import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ollama } from "ollama";
import { Ollama as BrowserOllama } from "ollama/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "../engine/index.js";
import { startServer, type RunningServer } from "./serve.js";

const say = [{ role: "user" as const, content: "Say hello." }];

describe.runIf(hasSharedModels)("one load per GGUF file and load options, whatever names the server gives it", () => {
  let engine: Engine;
  let modelsDir: string;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-shared-load-"));
  });
  afterAll(async () => {
    await engine?.dispose();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  /** A wren serve on loopback over the shared engine, so that `engine.models` counts what it loaded. */
  const serve = (models: Parameters<typeof startServer>[0]["models"]): Promise<RunningServer> =>
    startServer({ models, host: "127.0.0.1", port: 0, engine, store: { modelsDir } });

  it("a name copied, or created from a served model or its file, answers from the model already loaded: one load, one line", async () => {
    await using server = await serve([
      { path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 },
      { path: sharedModels.chat, id: "chat", contextSize: 256, sequences: 1 },
    ]);
    const ollama = new Ollama({ host: server.url });
    const browser = new BrowserOllama({ host: server.url });
    expect((await ollama.chat({ model: "chat", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    expect(engine.models).toHaveLength(1);

    // The answers of copy and create are Ollama's, as before.
    expect(await ollama.copy({ source: "chat", destination: "chat-copy" })).toEqual({ status: "success" });
    expect(await ollama.create({ model: "chat-made", from: "chat" })).toEqual({ status: "success" });
    expect(await browser.create({ model: "chat-file", from: sharedModels.chat })).toEqual({ status: "success" });
    for (const model of ["chat-copy", "chat-made", "chat-file"]) {
      expect((await ollama.chat({ model, messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    }
    expect(engine.models).toHaveLength(1);
    // Every name of it is loaded; the one model's line is reported once.
    expect((await ollama.ps()).models.map((m) => m.name).sort()).toEqual(["chat", "chat-copy", "chat-file", "chat-made"]);
    const leases = await Promise.all(["chat", "chat-copy"].map((id) => server.models.acquire(id)));
    expect(leases[0]!.model.language).toBe(leases[1]!.model.language);
    for (const lease of leases) lease.release();
    expect(server.models.queues().filter((q) => q.id.startsWith("chat"))).toEqual([{ id: "chat", active: 0, queued: 0, capacity: 1 }]);

    // Deleting the name it was loaded under leaves it loaded for the others.
    await ollama.delete({ model: "chat" });
    expect((await ollama.chat({ model: "chat-copy", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    expect(engine.models).toHaveLength(1);
    // keep_alive 0 through any name unloads the one model: no name of it is loaded then.
    await ollama.chat({ model: "chat-made", messages: [], keep_alive: 0 });
    expect(engine.models).toHaveLength(0);
    expect((await ollama.ps()).models).toEqual([]);
    for (const model of ["chat-copy", "chat-made", "chat-file"]) await ollama.delete({ model });
    expect((await ollama.list()).models.map((m) => m.name)).toEqual(["stories"]);
  }, 120_000);

  it("names of one file with other load options load it apart; names with the same ones share it", async () => {
    await using server = await serve([
      { path: sharedModels.chat, id: "small", contextSize: 256, sequences: 1 },
      { path: sharedModels.chat, id: "large", contextSize: 512, sequences: 1 },
      { path: sharedModels.chat, id: "small-too", contextSize: 256, sequences: 1 },
    ]);
    const ollama = new Ollama({ host: server.url });
    for (const model of ["small", "small-too"]) expect((await ollama.chat({ model, messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    expect(engine.models).toHaveLength(1);
    expect((await ollama.chat({ model: "large", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    expect(engine.models.map((m) => m.info.contextSize).sort()).toEqual([256, 512]);
    // A copy takes its source's options: it shares the source's load.
    await ollama.copy({ source: "large", destination: "large-copy" });
    expect((await ollama.chat({ model: "large-copy", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    expect(engine.models).toHaveLength(2);
    // Ollama's /api/ps says each model's context (ollama-js leaves the field out of its types).
    const running = (await ollama.ps()).models as Array<{ name: string; context_length?: number }>;
    expect(running.find((m) => m.name === "large-copy")?.context_length).toBe(512);
  }, 120_000);
});
