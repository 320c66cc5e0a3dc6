import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAdapter } from "../../src/runtime/adapters.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { storiesBase } from "../helpers/adapter-server.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve holds a bounded number of adapter contexts, whatever requests name", () => {
  let dir: string;
  let server: RunningServer;
  const contexts = (): number => server.models.loaded().find((m) => m.id === "stories")?.stats.adapterContexts ?? -1;
  const complete = (model: string, dialect: "openai" | "anthropic" = "openai", init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}${dialect === "openai" ? "/v1/completions" : "/v1/messages"}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        dialect === "openai"
          ? { model, prompt: "Once upon a time", temperature: 0, max_tokens: 8 }
          : { model, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8 },
      ),
      ...init,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-adapter-bound-"));
    const registry = path.join(dir, "adapters.json");
    await addAdapter(registry, sharedModels.lora, { name: "synthetic", base: storiesBase });
    server = await startServer({
      models: [{ path: sharedModels.stories, id: "stories", contextSize: 64, sequences: 1 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
      adapterRegistry: registry,
      adapterContexts: 2,
      maxQueue: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves a client cycling through scales from at most engine.adapterContexts contexts", async () => {
    for (let i = 1; i <= 8; i++) {
      const res = await complete(`stories+synthetic:0.0${i}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-wren-adapter")).toBe(`synthetic:0.0${i}`);
      await res.body?.cancel();
      expect(contexts()).toBeLessThanOrEqual(2);
    }
    expect(contexts()).toBe(2);
  });

  it("answers 429 in the caller's dialect when every context is busy and the line is full", async () => {
    // Two requests hold both contexts (as long streams would: held until their iterators end).
    const model = server.engine?.models[0];
    if (!model) throw new Error("the model is not loaded");
    const held = await Promise.all(
      [0.5, 0.6].map(async (scale) => {
        const iterator = model.withAdapter({ name: "synthetic", path: sharedModels.lora, scale }).doStream({ messages: [], rawPrompt: "Once upon a time", temperature: 0, maxOutputTokens: 16 })[Symbol.asyncIterator]();
        for (let part = await iterator.next(); !part.done && part.value.type !== "text-delta"; part = await iterator.next());
        return iterator;
      }),
    );
    try {
      const openai = await complete("stories+synthetic:0.7");
      expect(openai.status).toBe(429);
      expect(openai.headers.get("retry-after")).toBe("1");
      const body = (await openai.json()) as { error: { message: string } };
      expect(body.error.message).toContain("adapter contexts are in use");
      const anthropic = await complete("stories+synthetic:0.7", "anthropic");
      expect(anthropic.status).toBe(429);
      expect(((await anthropic.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");
      // A request with no adapter does not wait for that.
      expect((await complete("stories")).status).toBe(200);
      expect(contexts()).toBe(2);
    } finally {
      for (const iterator of held) await iterator.return?.(undefined);
    }
  });
});
