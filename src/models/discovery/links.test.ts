import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeFakeOllamaStore } from "../../../test/helpers/fake-ollama-store.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { listModels } from "../listing.js";
import { resolveModelRef } from "../resolve.js";
import { discoverLmStudioModels } from "./lmstudio.js";
import { discoverOllamaModels } from "./ollama-store.js";

/**
 * Other tools' model folders as people keep them: folders moved to another disk and linked back,
 * and links left dangling when that disk is not mounted.
 */
describe.runIf(hasSharedModels)("models other tools downloaded, behind symbolic links", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "wren-links-"));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), "wren-links-disk-"));
  const modelsDir = path.join(home, "wren-models");
  const lm = path.join(home, ".lmstudio", "models");

  beforeAll(() => {
    mkdirSync(path.join(lm, "tinyorg", "Chat-GGUF"), { recursive: true });
    copyFileSync(sharedModels.chat, path.join(lm, "tinyorg", "Chat-GGUF", "chat-F32.gguf"));
    // A file whose target is gone (an external disk not mounted, a model deleted elsewhere).
    symlinkSync(path.join(elsewhere, "gone", "lost-Q4_K_M.gguf"), path.join(lm, "tinyorg", "Chat-GGUF", "lost-Q4_K_M.gguf"));
    // A repository folder and a publisher folder moved to another disk and linked back.
    mkdirSync(path.join(elsewhere, "Stories-GGUF"), { recursive: true });
    copyFileSync(sharedModels.stories, path.join(elsewhere, "Stories-GGUF", "stories-F32.gguf"));
    symlinkSync(path.join(elsewhere, "Stories-GGUF"), path.join(lm, "tinyorg", "Stories-GGUF"));
    mkdirSync(path.join(elsewhere, "farorg", "Far-GGUF"), { recursive: true });
    copyFileSync(sharedModels.chat, path.join(elsewhere, "farorg", "Far-GGUF", "far-Q8_0.gguf"));
    symlinkSync(path.join(elsewhere, "farorg"), path.join(lm, "farorg"));
    // Ollama's store with its model folders on another disk.
    const ollamaElsewhere = path.join(elsewhere, "ollama");
    writeFakeOllamaStore(ollamaElsewhere, [{ name: "someone/stories", tag: "f32", source: sharedModels.stories }]);
    const ollama = path.join(home, ".ollama", "models");
    mkdirSync(path.join(ollama, "manifests", "registry.ollama.ai"), { recursive: true });
    symlinkSync(path.join(ollamaElsewhere, "blobs"), path.join(ollama, "blobs"));
    symlinkSync(path.join(ollamaElsewhere, "manifests", "registry.ollama.ai", "someone"), path.join(ollama, "manifests", "registry.ollama.ai", "someone"));
  });

  it("a dangling link in LM Studio's folder neither breaks the list nor is listed", async () => {
    const found = await discoverLmStudioModels({ home });
    expect(found.map((m) => m.name)).toContain("tinyorg/Chat-GGUF/chat-F32.gguf");
    expect(found.map((m) => m.name)).not.toContain("tinyorg/Chat-GGUF/lost-Q4_K_M.gguf");
    const listing = await listModels({ modelsDir, home, env: {}, remote: false });
    expect(listing.models.map((m) => m.name)).toContain("tinyorg/Chat-GGUF/chat-F32.gguf");
    const resolved = await resolveModelRef("tinyorg/Chat-GGUF/chat-F32.gguf", { modelsDir, home, env: {}, offline: true });
    expect(resolved.source).toBe("lmstudio");
  });

  it("finds LM Studio models in linked repository and publisher folders", async () => {
    const names = (await discoverLmStudioModels({ home })).map((m) => m.name);
    expect(names).toContain("tinyorg/Stories-GGUF/stories-F32.gguf");
    expect(names).toContain("farorg/Far-GGUF/far-Q8_0.gguf");
  });

  it("finds Ollama models whose folders are linked", async () => {
    const found = await discoverOllamaModels({ home, env: {}, root: home });
    expect(found.map((m) => m.name)).toEqual(["someone/stories:f32"]);
  });
});
