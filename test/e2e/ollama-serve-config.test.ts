import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve's Ollama settings from config", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-ollama-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("reports server.ollamaVersion, refuses pulls with server.allowPull = false, and still creates and copies", async () => {
    const env = {
      WREN_HOME: home,
      WREN_ENGINE_GPU: "cpu",
      WREN_ENGINE_THREADS: "1",
      WREN_ENGINE_CONTEXT_SIZE: "512",
      WREN_SERVER_OLLAMA_VERSION: "0.14.2",
      WREN_SERVER_ALLOW_PULL: "false",
      // Nothing answers here: a pull that got through would fail with another message.
      HF_ENDPOINT: "http://127.0.0.1:9",
    };
    const child = spawnCli(["serve", "--model", sharedModels.stories, "--port", "0"], { env });
    const served = watchServe(child, { pattern: /serving stories260K on (http:\/\/\S+)/ });
    let stopped: Awaited<ReturnType<typeof stopChild>> | undefined;
    try {
      const url = await served.url;
      const ollama = new Ollama({ host: url });
      expect(await ollama.version()).toEqual({ version: "0.14.2" });
      const refused = await ollama.pull({ model: "hf:wren-test/chat-GGUF:F32" }).catch((e: unknown) => e as { status_code: number; message: string });
      expect(refused).toMatchObject({ status_code: 403, message: expect.stringContaining("server.allowPull = true") as string });

      const { Ollama: BrowserOllama } = await import("ollama/browser");
      await new BrowserOllama({ host: url }).create({ model: "chat", from: sharedModels.chat });
      await ollama.copy({ source: "chat", destination: "chat-2" });
      expect((await ollama.list()).models.map((m) => m.name)).toEqual(["stories260K", "chat", "chat-2"]);
      expect((await ollama.chat({ model: "chat-2", messages: [{ role: "user", content: "hi" }] })).message.content).toBe(CHAT_MODEL_REPLY);
    } finally {
      stopped = await stopChild(child);
    }
    expect(stopped).toEqual({ code: 0, signal: null });
  });
});
