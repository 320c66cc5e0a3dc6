import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { sharedModels } from "../helpers/shared-models.js";

/** A catalog name mistyped, or written without its size, as a new user types it. No network is reached. */
const home = mkdtempSync(path.join(os.tmpdir(), "wren-model-typos-"));
const env = { HOME: home, WREN_HOME: home, OLLAMA_MODELS: path.join(home, "no-ollama"), OLLAMA_HOST: "127.0.0.1:9", HF_ENDPOINT: "http://127.0.0.1:9" };
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("a model name that is not in the catalog", () => {
  it("wren pull names the catalog models it is closest to, and pulls the closest", async () => {
    const typo = await runCli(["pull", "qwen2.5-15b"], { env, cwd: home });
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('"qwen2.5-15b" is not a model wren knows. Did you mean qwen2.5-1.5b, qwen2.5-14b or qwen2.5-0.5b? Run `wren pull qwen2.5-1.5b`');
    const noSize = await runCli(["pull", "llama3.2"], { env, cwd: home });
    expect(noSize.code).toBe(3);
    expect(noSize.stderr).toContain("Did you mean llama3.2-3b? Run `wren pull llama3.2-3b`");
  });

  it("--model suggests the same names, closest first", async () => {
    const result = await runCli(["run", "--model", "qwen2.5-15b", "hi"], { env, cwd: home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Did you mean qwen2.5-1.5b, qwen2.5-14b or qwen2.5-0.5b? Run `wren pull qwen2.5-1.5b`.");
  });

  it("a name like none says where names are listed", async () => {
    const result = await runCli(["pull", "mistral-nemo"], { env, cwd: home });
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain("Did you mean");
    expect(result.stderr).toContain("`wren models list --catalog`");
  });
});

describe("a model path with no file", () => {
  it("names the GGUF file in that folder it was likely meant as, or the ones the folder has", async () => {
    const models = path.join(home, "models");
    mkdirSync(models, { recursive: true });
    copyFileSync(sharedModels.chat, path.join(models, "tiny-chat.gguf"));
    const typo = await runCli(["run", "--model", "./models/tiny-chta.gguf", "hi"], { env, cwd: home });
    expect(typo.code).toBe(3);
    expect(typo.stderr).toBe(`wren: There is no model file at ${path.join(models, "tiny-chta.gguf")}. Did you mean ${path.join(models, "tiny-chat.gguf")}?\n`);
    const other = await runCli(["serve", "--model", "./models/qwen.gguf", "--port", "0"], { env, cwd: home });
    expect(other.code).toBe(3);
    expect(other.stderr).toContain(`${models} has tiny-chat.gguf. Check the path`);
    const noFolder = await runCli(["run", "--model", "./nowhere/qwen.gguf", "hi"], { env, cwd: home });
    expect(noFolder.stderr).toContain(`There is no folder ${path.join(home, "nowhere")}.`);
  });
});
