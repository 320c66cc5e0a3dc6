import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { putEntry } from "./manifest.js";
import { resolveModelRef } from "./resolve.js";

/**
 * A model name that names nothing (`wren -p --model nope`, `wren run --model nope`): said plainly,
 * with the closest name there is (a model here before a catalog one) and how to list and get models.
 */
describe("a model name that names no model", () => {
  let root: string;
  let modelsDir: string;
  const resolveMissing = async (name: string): Promise<WrenError> => {
    const error = await resolveModelRef(name, { modelsDir, env: {}, offline: true, home: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    return error as WrenError;
  };
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "wren-resolve-missing-"));
    modelsDir = path.join(root, "models");
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("says there is no such model, and how to list the models here and pull one", async () => {
    const error = await resolveMissing("nope");
    expect(error.code).toBe("model_not_found");
    expect(error.message).toBe('There is no model "nope" (wren looked in its store, Ollama, LM Studio and the catalog).');
    expect(error.hint).toBe("`wren models list` shows the models here; `wren pull NAME` gets one (`wren models recommend` names one for this machine).");
  });

  it("offers the catalog name it is close to, with the pull that gets it", async () => {
    const error = await resolveMissing("qwen2.5-7");
    expect(error.message).toBe('There is no model "qwen2.5-7" (wren looked in its store, Ollama, LM Studio and the catalog).');
    expect(error.hint).toBe("Did you mean qwen2.5-7b? Run `wren pull qwen2.5-7b`.");
  });

  it("offers a model here that it is close to before any catalog name, and pulls nothing", async () => {
    const file = "url/example.test/tiny-chat-q8_0.gguf";
    await mkdir(path.join(modelsDir, "url", "example.test"), { recursive: true });
    await writeFile(path.join(modelsDir, file), "GGUF");
    const url = "https://example.test/tiny-chat-q8_0.gguf";
    await putEntry(modelsDir, { ref: url, file, parts: [], size: 4, sha256: null, partSha256: [], revision: null, source: "url", url, added: "2026-01-01T00:00:00.000Z", lastUsed: null });
    const error = await resolveMissing("tiny-chat-q8");
    expect(error.hint).toBe("Did you mean tiny-chat-q8_0? `wren models list` shows the models here.");
  });
});
