import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { getLlama, LlamaCompletion } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WrenError } from "../../shared/errors.js";
import { writeFakeOllamaStore } from "../../../test/helpers/fake-ollama-store.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { listModels } from "../listing.js";
import { resolveModelRef } from "../resolve.js";
import { discoverLmStudioModels } from "./lmstudio.js";
import { listOllamaServerModels, ollamaHost } from "./ollama-server.js";
import { discoverOllamaModels } from "./ollama-store.js";

describe.runIf(hasSharedModels)("discovering models other tools downloaded", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "wren-home-"));
  const modelsDir = path.join(home, "wren-models");
  let blobs: Record<string, string>;
  let server: http.Server;
  let host: string;

  beforeAll(async () => {
    blobs = writeFakeOllamaStore(path.join(home, ".ollama", "models"), [
      { name: "stories", source: sharedModels.stories },
      { name: "someone/chat", tag: "tiny", source: sharedModels.chat },
    ]);
    const lm = path.join(home, ".lmstudio", "models", "tinyorg", "Chat-GGUF");
    mkdirSync(lm, { recursive: true });
    copyFileSync(sharedModels.chat, path.join(lm, "chat-F32.gguf"));
    writeFileSync(path.join(lm, "mmproj-chat-F16.gguf"), "not a model");
    server = http.createServer((req, res) => {
      if (req.url === "/api/tags") {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            models: [{ name: "qwen2.5:0.5b", model: "qwen2.5:0.5b", size: 397821319, modified_at: "2026-11-01T10:00:00Z", digest: "a".repeat(64), details: { format: "gguf", family: "qwen2", parameter_size: "494.03M", quantization_level: "Q4_K_M" } }],
          }),
        );
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it("lists Ollama's models by the names Ollama shows", async () => {
    const found = await discoverOllamaModels({ home, env: {}, root: home });
    expect(found.map((m) => m.name)).toEqual(["someone/chat:tiny", "stories:latest"]);
    expect(found.find((m) => m.name === "stories:latest")?.path).toBe(blobs["stories:latest"]);
  });

  it("honours OLLAMA_MODELS", async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), "wren-ollama-"));
    writeFakeOllamaStore(elsewhere, [{ name: "other", tag: "q8", source: sharedModels.chat }]);
    const found = await discoverOllamaModels({ home, env: { OLLAMA_MODELS: elsewhere } });
    expect(found.map((m) => m.name)).toEqual(["other:q8"]);
  });

  it("resolves an Ollama model in place (no copy) and it runs", async () => {
    const resolved = await resolveModelRef("stories", { modelsDir, home, env: {}, offline: true });
    expect(resolved).toEqual({ path: blobs["stories:latest"], ref: "stories:latest", source: "ollama" });
    expect(() => readdirSync(modelsDir)).toThrow();
    const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: "error" as never });
    const model = await llama.loadModel({ modelPath: resolved.path });
    const context = await model.createContext({ contextSize: 128, threads: 1 });
    const text = await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion("Once upon a time", { maxTokens: 8, temperature: 0 });
    expect(text).toContain("there was a little girl");
    await context.dispose();
    await model.dispose();
  });

  it("lists LM Studio's models (skipping projectors) and resolves them in place", async () => {
    const found = await discoverLmStudioModels({ home });
    expect(found.map((m) => m.name)).toEqual(["tinyorg/Chat-GGUF/chat-F32.gguf"]);
    const resolved = await resolveModelRef("tinyorg/Chat-GGUF", { modelsDir, home, env: {}, offline: true });
    expect(resolved.source).toBe("lmstudio");
    expect(resolved.path).toBe(found[0]?.path);
    const byFile = await resolveModelRef("tinyorg/Chat-GGUF/chat-F32.gguf", { modelsDir, home, env: {}, offline: true });
    expect(byFile).toEqual({ path: found[0]?.path, ref: "tinyorg/Chat-GGUF/chat-F32.gguf", source: "lmstudio" });
  });

  it("lists a running Ollama server's models as remote ones", async () => {
    expect(ollamaHost({ OLLAMA_HOST: host })).toBe(`http://${host}`);
    expect(ollamaHost({})).toBe("http://127.0.0.1:11434");
    const remote = await listOllamaServerModels({ env: { OLLAMA_HOST: host } });
    expect(remote?.models).toEqual([
      { name: "qwen2.5:0.5b", size: 397821319, family: "qwen2", parameterSize: "494.03M", quantization: "Q4_K_M", modifiedAt: "2026-11-01T10:00:00Z" },
    ]);
    const listing = await listModels({ modelsDir, home, env: { OLLAMA_HOST: host } });
    expect(listing.remote?.models.map((m) => m.name)).toEqual(["qwen2.5:0.5b"]);
    const stories = listing.models.find((m) => m.name === "stories:latest");
    expect(stories).toMatchObject({ source: "ollama", family: "llama", context: 2048, quant: "F32" });
  });

  it("reports no server when nothing answers at OLLAMA_HOST", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await listOllamaServerModels({ env: { OLLAMA_HOST: `127.0.0.1:${port}` } })).toBeUndefined();
  });

  it("says what to do for a name found nowhere", async () => {
    const error = await resolveModelRef("qwen2.5", { modelsDir, home, env: {}, offline: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).hint).toMatch(/wren pull qwen2\.5-/);
  });
});
