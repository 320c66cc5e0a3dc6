import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { CHAT_MODEL_REPLY, sharedModels } from "../helpers/shared-models.js";

/**
 * A model written in a config file as `./m.gguf` is the file beside that config file, wherever wren
 * runs from: a project's wren.toml is read from its subfolders too, and the user's file from anywhere.
 */
const root = mkdtempSync(path.join(os.tmpdir(), "wren-config-model-paths-"));
const home = path.join(root, "home");
const project = path.join(root, "project");
const env = { HOME: home, WREN_HOME: undefined, XDG_CONFIG_HOME: "", XDG_DATA_HOME: "", XDG_CACHE_HOME: "", HF_ENDPOINT: "http://127.0.0.1:9" };
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("relative model paths in config files", () => {
  it("models.default = \"./…\" in a project's wren.toml is found from a subfolder", async () => {
    mkdirSync(path.join(project, "models"), { recursive: true });
    mkdirSync(path.join(project, "src", "deep"), { recursive: true });
    copyFileSync(sharedModels.chat, path.join(project, "models", "chat.gguf"));
    writeFileSync(path.join(project, "wren.toml"), '[models]\ndefault = "./models/chat.gguf"\n');
    const result = await runCli(["run", "--offline", "--max-tokens", "16", "hi"], { env, cwd: path.join(project, "src", "deep") });
    expect(result.stderr).not.toContain("There is no model file");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(CHAT_MODEL_REPLY);
  });

  it("an alias to \"../…\" in the user's config.toml is found from any folder", async () => {
    const configDir = path.join(home, ".config", "wren");
    mkdirSync(configDir, { recursive: true });
    mkdirSync(path.join(home, ".config", "models"), { recursive: true });
    copyFileSync(sharedModels.chat, path.join(home, ".config", "models", "tiny.gguf"));
    writeFileSync(path.join(configDir, "config.toml"), '[models.aliases]\ntiny = "../models/tiny.gguf"\n');
    const result = await runCli(["run", "--offline", "--model", "tiny", "--max-tokens", "16", "hi"], { env, cwd: root });
    expect(result.stderr).not.toContain("There is no model file");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(CHAT_MODEL_REPLY);
    const shown = await runCli(["config", "show", "--json"], { env, cwd: root });
    expect(shown.stdout).toContain(JSON.stringify(path.join(home, ".config", "models", "tiny.gguf")));
  });
});
