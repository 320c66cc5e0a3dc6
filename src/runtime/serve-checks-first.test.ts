import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it, vi } from "vitest";
import { writeTruncatedGguf } from "../../test/helpers/gguf-corrupt.js";
import { Engine } from "../engine/index.js";
import { startServerFromConfig } from "./serve-main.js";

/**
 * `wren serve --model FILE` (and the daemon `wren -p` starts for a local model) loads its first
 * model at start: a damaged file is refused before llama.cpp starts (which tests its prebuilt binary
 * in a child process on Linux, about 2 s of CPU), by the check `wren run` makes.
 */
describe("startServerFromConfig checks the first model's file before it starts llama.cpp", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-serve-checks-"));
  const create = vi.spyOn(Engine, "create");
  afterAll(() => {
    create.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a model whose header is cut short", async () => {
    const file = await writeTruncatedGguf(path.join(dir, "cut.gguf"));
    const env = { WREN_HOME: path.join(dir, "wren"), HOME: dir };
    const started = startServerFromConfig({ model: [file], port: "0", cors: [], offline: true }, env, pino({ level: "silent" }));
    // On a failure to refuse, the server that started is closed again.
    await expect(started.then(async (server) => void (await server.close()))).rejects.toThrow(/cut\.gguf is truncated/);
    expect(create).not.toHaveBeenCalled();
  });
});
