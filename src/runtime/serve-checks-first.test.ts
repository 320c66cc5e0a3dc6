import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it, vi } from "vitest";
import { writeTruncatedGguf } from "../../test/helpers/gguf-corrupt.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { Engine } from "../engine/index.js";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import { addAdapter, promoteAdapter } from "./adapters.js";
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

/**
 * The first model's LoRA adapter (its `[[server.models]]` entry's `adapter`, or the one promoted for
 * its file) is checked with it: a missing or cut-short adapter file was found only after llama.cpp
 * had started and loaded the model (a file that is gone failed the start then; a cut-short one was
 * served and failed every request).
 */
describe.skipIf(!hasSharedModels)("startServerFromConfig checks the first model's adapter before it starts llama.cpp", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-serve-adapter-checks-"));
  const create = vi.spyOn(Engine, "create");
  afterAll(() => {
    create.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A home whose registry has `tales` (a copy of the real adapter, in the home); `config`: its config.toml. */
  async function home(name: string, config: string): Promise<{ env: Record<string, string>; adapter: string; registry: string }> {
    const root = path.join(dir, name);
    mkdirSync(root, { recursive: true });
    const adapter = path.join(root, "tales.gguf");
    copyFileSync(sharedModels.lora, adapter);
    const registry = path.join(root, "data", "adapters.json");
    await addAdapter(registry, adapter, { name: "tales" });
    writeFileSync(path.join(root, "config.toml"), config);
    return { env: { WREN_HOME: root, HOME: dir }, adapter, registry };
  }
  const configured = `[[server.models]]\nid = "stories"\nref = ${JSON.stringify(sharedModels.stories)}\nadapter = "tales"\n`;

  async function refusal(env: Record<string, string>, model: string[] = []): Promise<WrenError> {
    const started = startServerFromConfig({ model, port: "0", cors: [], offline: true }, env, pino({ level: "silent" }));
    const error = await started.then(
      async (server) => void (await server.close()),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrenError);
    return error as WrenError;
  }

  it("refuses a configured adapter whose file was cut short, naming it, as a damaged model (exit 3)", async () => {
    const { env, adapter } = await home("cut", configured);
    writeFileSync(adapter, readFileSync(sharedModels.lora).subarray(0, 10_000));
    const error = await refusal(env);
    expect(error.code).toBe("model_invalid");
    expect(exitCodeOf(error)).toBe(3);
    expect(error.message).toContain(`The LoRA adapter 'tales' that stories is served with (adapter = "tales" in its [[server.models]] entry) cannot be used: ${adapter} is truncated`);
    expect(error.hint).toMatch(/again/);
    expect(create).not.toHaveBeenCalled();
  });

  it("refuses a configured adapter whose file is gone, saying what to do", async () => {
    const { env, adapter } = await home("gone", configured);
    rmSync(adapter);
    const error = await refusal(env);
    expect(error.code).toBe("model_not_found");
    expect(exitCodeOf(error)).toBe(3);
    expect(error.message).toBe(`The LoRA adapter 'tales' that stories is served with (adapter = "tales" in its [[server.models]] entry) has no file at ${adapter}.`);
    expect(error.hint).toContain("wren adapters add");
    expect(create).not.toHaveBeenCalled();
  });

  it("refuses the adapter promoted for the file wren serve --model FILE serves, when it is cut short", async () => {
    const { env, adapter, registry } = await home("promoted", "");
    await promoteAdapter(registry, "tales", { name: "stories260K", path: sharedModels.stories }, { force: true });
    writeFileSync(adapter, readFileSync(sharedModels.lora).subarray(0, 10_000));
    const error = await refusal(env, [sharedModels.stories]);
    expect(error.code).toBe("model_invalid");
    expect(error.message).toContain(`The LoRA adapter 'tales' that stories260K is served with (promoted with \`wren adapters promote\`) cannot be used: ${adapter} is truncated`);
    expect(create).not.toHaveBeenCalled();
  });

  it("refuses a configured adapter that is not registered as a configuration error (exit 2)", async () => {
    const { env } = await home("unknown", configured.replace('adapter = "tales"', 'adapter = "tails"'));
    const error = await refusal(env);
    expect(error.code).toBe("config_invalid");
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(`The LoRA adapter 'tails' that stories is served with (adapter = "tails" in its [[server.models]] entry) is not registered.`);
    expect(error.hint).toBe("Use one of: tales.");
    expect(create).not.toHaveBeenCalled();
  });
});
