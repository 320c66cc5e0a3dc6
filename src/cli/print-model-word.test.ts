import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";

/**
 * `wren -p` takes its model with --model, like `wren run`. `wren -p ./model.gguf "hi"` must say so,
 * not send the path as the start of the task to the default model, which wren downloads first
 * (about 500 MB) when none is configured.
 */
describe("wren -p given a model as the first word of the task", () => {
  let home: string;
  let env: Record<string, string>;

  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-print-model-word-"));
    // Nothing may reach a Hub: a port nobody listens on.
    env = { WREN_HOME: home, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), HF_ENDPOINT: "http://127.0.0.1:9" };
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each(["./m.gguf", "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", "qwen2.5-0.5b"])(
    "%s: exits 2 with the wren -p --model command line, fetching and running nothing",
    async (word) => {
      const result = await runCli(["-p", word, "Say", "hi"], { env });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `wren: "${word}" is a model, but \`wren -p\` reads its words as the prompt.\n` + `  Name the model with --model: wren -p --model ${word} "Say hi"\n`,
      );
      // No session, no daemon, no download: the home stays empty.
      expect(readdirSync(home)).toEqual([]);
    },
  );
});
