import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import { CHAT_MODEL_REPLY, sharedModels } from "../../test/helpers/shared-models.js";

/**
 * `wren run` takes its model with --model; `wren probe MODEL`, `wren bench MODEL` and `ollama run
 * MODEL` take it first. A user who types `wren run ./model.gguf "hi"` must hear that, not have the
 * path sent as the start of the prompt to another model: the default, which wren downloads first
 * (about 500 MB) when none is configured, or the configured one.
 */
describe("wren run given a model as the first word of the prompt", () => {
  let home: string;
  let model: string;
  let env: Record<string, string>;

  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-run-model-word-"));
    mkdirSync(path.join(home, "my models"));
    model = path.join(home, "my models", "tiny (v2).gguf");
    copyFileSync(sharedModels.chat, model);
    // Nothing may reach a Hub: a port nobody listens on.
    env = { WREN_HOME: home, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), HF_ENDPOINT: "http://127.0.0.1:9" };
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each([
    ["a GGUF file in a folder with spaces", () => model],
    ["a GGUF file that is not there", () => "./missing.gguf"],
    ["a Hub reference", () => "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M"],
    ["a catalog name", () => "qwen2.5-0.5b"],
    ["the URL of a GGUF file", () => "https://example.com/models/tiny.gguf"],
  ])("%s: exits 2 and shows the command with --model, fetching and running nothing", async (_what, word) => {
    const result = await runCli(["run", word(), "Say", "hi"], { env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    const quoted = word().includes(" ") ? `"${word()}"` : word();
    expect(result.stderr).toBe(
      `wren: "${word()}" is a model, but \`wren run\` reads its words as the prompt. ` +
        `Name the model with --model: wren run --model ${quoted} "Say hi"\n`,
    );
  });

  it("refuses it too when a default model is configured, instead of running that one on the path", async () => {
    const result = await runCli(["run", "./other.gguf", "hi"], { env: { ...env, WREN_MODELS_DEFAULT: model } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("Name the model with --model: wren run --model ./other.gguf hi");
  });

  it("the command it shows runs the model", async () => {
    const result = await runCli(["run", "--model", model, "Say hi"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(CHAT_MODEL_REPLY);
  });

  it("a prompt that only mentions a model runs as before", async () => {
    for (const args of [
      ["run", "--model", model, "qwen2.5-0.5b", "or", "model.gguf?"],
      ["run", "What", "is", "model.gguf?"],
    ]) {
      const result = await runCli(args, { env: { ...env, WREN_MODELS_DEFAULT: model } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe(CHAT_MODEL_REPLY);
    }
  });
});
