import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { writeTruncatedGguf } from "../../test/helpers/gguf-corrupt.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { loadConfig } from "../config/index.js";
import { Engine } from "../engine/index.js";
import { openLocalModel } from "./local.js";

/**
 * `wren run` refuses a damaged model file or an adapter that does not fit before it starts
 * llama.cpp (which tests its prebuilt binary in a child process on Linux, about 2 s of CPU).
 */
describe("openLocalModel checks the files before it starts llama.cpp", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-local-checks-"));
  const config = async () => (await loadConfig({ cwd: dir, home: dir, env: { WREN_HOME: path.join(dir, "wren") } })).config;
  const create = vi.spyOn(Engine, "create");
  afterEach(() => create.mockClear());
  afterAll(() => {
    create.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a model whose header is cut short", async () => {
    const file = await writeTruncatedGguf(path.join(dir, "cut.gguf"));
    await expect(openLocalModel({ config: await config(), ref: file })).rejects.toThrow(/cut\.gguf is truncated/);
    expect(create).not.toHaveBeenCalled();
  });

  it.runIf(hasSharedModels)("refuses an adapter made for another model, and a file that is no adapter", async () => {
    const opened = (lora: string) => config().then((c) => openLocalModel({ config: c, ref: sharedModels.chat, lora: [{ path: lora, scale: 1 }] }));
    await expect(opened(sharedModels.lora)).rejects.toThrow(/The LoRA adapter \S+ does not fit synthetic-bigram-chatml/);
    await expect(opened(sharedModels.stories)).rejects.toThrow(/is not a LoRA adapter/);
    expect(create).not.toHaveBeenCalled();
  });
});
