import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFakeOllamaStore } from "../../../test/helpers/fake-ollama-store.js";
import { modelOwner } from "../model-owner.js";
import { discoverLmStudioModels } from "./lmstudio.js";
import { discoverOllamaModels } from "./ollama-store.js";

/**
 * Ollama's and LM Studio's folders as those programs really lay them out: where each keeps its
 * models on each system (Ollama's `envconfig.Models()` and Linux installer, LM Studio's
 * `findLMStudioHome()` and `settings.json`), and the files they really write.
 */
function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

function weights(dir: string, text = "GGUF weights"): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "weights.gguf");
  writeFileSync(file, text);
  return file;
}

/** A blob as Ollama stores it: `blobs/sha256-<hex>`, and its layer. */
function blob(root: string, bytes: string, mediaType: string): { mediaType: string; digest: string; size: number } {
  const hex = createHash("sha256").update(bytes).digest("hex");
  mkdirSync(path.join(root, "blobs"), { recursive: true });
  writeFileSync(path.join(root, "blobs", `sha256-${hex}`), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: Buffer.byteLength(bytes) };
}

function manifest(root: string, name: string, tag: string, body: object): void {
  const dir = path.join(root, "manifests", "registry.ollama.ai", "library", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, tag), JSON.stringify(body));
}

describe("Ollama's models where Ollama keeps them", () => {
  it("finds the Linux installer's service store (/usr/share/ollama/.ollama/models) on Linux only", async () => {
    const home = tempDir("wren-real-home-");
    const root = tempDir("wren-real-root-");
    const service = path.join(root, "usr", "share", "ollama", ".ollama", "models");
    const blobs = writeFakeOllamaStore(service, [{ name: "llama3.2", tag: "1b", source: weights(root) }]);
    const linux = await discoverOllamaModels({ home, env: {}, platform: "linux", root });
    expect(linux).toEqual([{ name: "llama3.2:1b", path: blobs["llama3.2:1b"], size: 12, source: "ollama" }]);
    expect(modelOwner(blobs["llama3.2:1b"] ?? "", { home, env: {}, platform: "linux", root })).toBe("Ollama");
    expect(await discoverOllamaModels({ home, env: {}, platform: "darwin", root })).toEqual([]);
    expect(await discoverOllamaModels({ home, env: {}, platform: "win32", root })).toEqual([]);
    // OLLAMA_MODELS is where Ollama keeps them, whatever the platform's default.
    const elsewhere = tempDir("wren-real-env-");
    writeFakeOllamaStore(elsewhere, [{ name: "qwen", tag: "0.5b", source: weights(root) }]);
    expect((await discoverOllamaModels({ home, env: { OLLAMA_MODELS: elsewhere }, platform: "linux", root })).map((m) => m.name)).toEqual(["qwen:0.5b"]);
  });

  it("lists the user's own store and the service's together, a name in both once (the user's)", async () => {
    const home = tempDir("wren-real-home-");
    const root = tempDir("wren-real-root-");
    const own = writeFakeOllamaStore(path.join(home, ".ollama", "models"), [{ name: "llama3.2", tag: "1b", source: weights(home, "mine") }]);
    writeFakeOllamaStore(path.join(root, "usr", "share", "ollama", ".ollama", "models"), [
      { name: "llama3.2", tag: "1b", source: weights(root, "service's") },
      { name: "qwen", tag: "0.5b", source: weights(root, "service's") },
    ]);
    const found = await discoverOllamaModels({ home, env: {}, platform: "linux", root });
    expect(found.map((m) => m.name)).toEqual(["llama3.2:1b", "qwen:0.5b"]);
    expect(found[0]?.path).toBe(own["llama3.2:1b"]);
  });

  // A file name with ":" cannot be made on Windows (where Ollama always wrote sha256-<hex>).
  it.skipIf(process.platform === "win32")("reads blobs an Ollama before 0.1.30 named sha256:<hex> on macOS and Linux", async () => {
    const home = tempDir("wren-real-home-");
    const models = path.join(home, ".ollama", "models");
    const blobs = writeFakeOllamaStore(models, [{ name: "tinyllama", tag: "latest", source: weights(home) }]);
    const dashed = blobs["tinyllama:latest"] ?? "";
    const colon = path.join(path.dirname(dashed), path.basename(dashed).replace("sha256-", "sha256:"));
    renameSync(dashed, colon);
    const found = await discoverOllamaModels({ home, env: {}, platform: "linux", root: home });
    expect(found).toEqual([{ name: "tinyllama:latest", path: colon, size: 12, source: "ollama" }]);
  });

  it("takes the weights from a manifest with projector, adapter, template, system, params and license layers", async () => {
    const home = tempDir("wren-real-home-");
    const root = path.join(home, ".ollama", "models");
    const model = blob(root, "GGUF the model", "application/vnd.ollama.image.model");
    manifest(root, "llava", "7b", {
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: blob(root, JSON.stringify({ model_format: "gguf" }), "application/vnd.docker.container.image.v1+json"),
      layers: [
        blob(root, "GGUF the projector", "application/vnd.ollama.image.projector"),
        model,
        blob(root, "GGUF an adapter", "application/vnd.ollama.image.adapter"),
        blob(root, "{{ .Prompt }}", "application/vnd.ollama.image.template"),
        blob(root, "You are helpful.", "application/vnd.ollama.image.system"),
        blob(root, JSON.stringify({ stop: ["USER:"] }), "application/vnd.ollama.image.params"),
        blob(root, "Apache 2.0", "application/vnd.ollama.image.license"),
      ],
    });
    const found = await discoverOllamaModels({ home, env: {}, root: home });
    expect(found).toEqual([{ name: "llava:7b", path: path.join(root, "blobs", model.digest.replace(":", "-")), size: model.size, source: "ollama" }]);
  });

  it("leaves out a cloud model (its manifest names a remote host and has no weights)", async () => {
    const home = tempDir("wren-real-home-");
    const root = path.join(home, ".ollama", "models");
    manifest(root, "gpt-oss", "120b-cloud", {
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: blob(root, JSON.stringify({ remote_host: "https://ollama.com:443", remote_model: "gpt-oss:120b" }), "application/vnd.docker.container.image.v1+json"),
      layers: [blob(root, "{{ .Prompt }}", "application/vnd.ollama.image.template")],
    });
    manifest(root, "kimi", "cloud", { schemaVersion: 2, config: blob(root, "{}", "application/vnd.docker.container.image.v1+json"), layers: null });
    expect(await discoverOllamaModels({ home, env: {}, root: home })).toEqual([]);
  });
});

describe("LM Studio's models where LM Studio keeps them", () => {
  function lmFile(folder: string, file: string, text = "GGUF weights"): string {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, file), text);
    return path.join(folder, file);
  }

  it("finds the models folder chosen in LM Studio (settings.json downloadsFolder)", async () => {
    const home = tempDir("wren-real-home-");
    const disk = tempDir("wren-real-disk-");
    mkdirSync(path.join(home, ".lmstudio"), { recursive: true });
    writeFileSync(path.join(home, ".lmstudio", "settings.json"), JSON.stringify({ downloadsFolder: disk, other: 1 }));
    const file = lmFile(path.join(disk, "lmstudio-community", "Qwen2.5-7B-Instruct-GGUF"), "Qwen2.5-7B-Instruct-Q4_K_M.gguf");
    lmFile(path.join(home, ".lmstudio", "models", "bartowski", "Old-GGUF"), "old-Q8_0.gguf");
    const found = await discoverLmStudioModels({ home });
    expect(found.map((m) => m.name)).toEqual(["bartowski/Old-GGUF/old-Q8_0.gguf", "lmstudio-community/Qwen2.5-7B-Instruct-GGUF/Qwen2.5-7B-Instruct-Q4_K_M.gguf"]);
    expect(found[1]?.path).toBe(file);
    expect(modelOwner(file, { home })).toBe("LM Studio");
  });

  it("follows ~/.lmstudio-home-pointer to LM Studio's home, and that home's settings", async () => {
    const home = tempDir("wren-real-home-");
    const lmHome = tempDir("wren-real-lmhome-");
    const disk = tempDir("wren-real-disk-");
    writeFileSync(path.join(home, ".lmstudio-home-pointer"), `${lmHome}\n`);
    const inHome = lmFile(path.join(lmHome, "models", "pub", "A-GGUF"), "a-Q4_K_M.gguf");
    expect((await discoverLmStudioModels({ home })).map((m) => m.path)).toEqual([inHome]);
    writeFileSync(path.join(lmHome, "settings.json"), JSON.stringify({ downloadsFolder: disk }));
    lmFile(path.join(disk, "pub", "B-GGUF"), "b-Q4_K_M.gguf");
    expect((await discoverLmStudioModels({ home })).map((m) => m.name)).toEqual(["pub/A-GGUF/a-Q4_K_M.gguf", "pub/B-GGUF/b-Q4_K_M.gguf"]);
  });

  it("ignores a settings.json or pointer it cannot use", async () => {
    const home = tempDir("wren-real-home-");
    mkdirSync(path.join(home, ".lmstudio"), { recursive: true });
    writeFileSync(path.join(home, ".lmstudio", "settings.json"), "{ not json");
    writeFileSync(path.join(home, ".lmstudio-home-pointer"), "");
    const file = lmFile(path.join(home, ".lmstudio", "models", "pub", "A-GGUF"), "a-Q4_K_M.gguf");
    expect((await discoverLmStudioModels({ home })).map((m) => m.path)).toEqual([file]);
    writeFileSync(path.join(home, ".lmstudio", "settings.json"), JSON.stringify({ downloadsFolder: 42 }));
    expect((await discoverLmStudioModels({ home })).map((m) => m.path)).toEqual([file]);
  });

  it("lists a split model once, by its first part, with the size of all its parts; a projector beside it is not a model", async () => {
    const home = tempDir("wren-real-home-");
    const repo = path.join(home, ".lmstudio", "models", "unsloth", "Big-GGUF");
    const first = lmFile(repo, "Big-Q4_K_M-00001-of-00003.gguf", "1".repeat(100));
    lmFile(repo, "Big-Q4_K_M-00002-of-00003.gguf", "2".repeat(100));
    lmFile(repo, "Big-Q4_K_M-00003-of-00003.gguf", "3".repeat(50));
    lmFile(repo, "mmproj-Big-F16.gguf", "projector");
    lmFile(repo, "Big-mmproj-bf16.gguf", "projector");
    expect(await discoverLmStudioModels({ home })).toEqual([{ name: "unsloth/Big-GGUF/Big-Q4_K_M-00001-of-00003.gguf", path: first, size: 250, source: "lmstudio" }]);
  });
});
