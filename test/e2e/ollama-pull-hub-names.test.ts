import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/models/manifest.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** `ollama pull hf.co/org/repo:quant`, as Ollama's clients name Hub models, from two clients at once. */
describe.runIf(hasSharedModels)("pulling a Hub model by Ollama's hf.co name through /api/pull", () => {
  let hub: FakeHub;
  let modelsDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { "wren-test/chat-GGUF": { files: [{ path: "synthetic-bigram-chatml-F32.gguf", source: sharedModels.chat }] } } });
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-ollama-hf-co-"));
    server = await startServer({
      models: [{ path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      env: { HF_ENDPOINT: hub.url },
      store: { modelsDir },
    });
  });
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  it("two clients pulling it at once share one download; the model is stored once and served under the name pulled", async () => {
    hub.faults.chunkSize = 16_384;
    hub.faults.delayMsPerChunk = 2;
    const name = "hf.co/wren-test/chat-GGUF:F32";
    const [a, b] = await Promise.all([new Ollama({ host: server.url }).pull({ model: name }), new Ollama({ host: server.url }).pull({ model: name })]);
    expect(a.status).toBe("success");
    expect(b.status).toBe("success");
    expect(hub.downloads("synthetic-bigram-chatml-F32.gguf").length).toBe(1);
    const entries = (await readManifest(modelsDir)).models;
    expect(entries.map((e) => e.ref)).toEqual(["hf:wren-test/chat-GGUF:F32"]);
    expect(readFileSync(path.join(modelsDir, entries[0]?.file ?? "")).equals(readFileSync(sharedModels.chat))).toBe(true);
    expect((await new Ollama({ host: server.url }).list()).models.map((m) => m.name)).toContain(name);
  });
});
