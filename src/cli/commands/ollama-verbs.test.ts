import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";

/** `wren list`, `wren rm MODEL`, `wren ps` (as with `ollama`) name the wren command that does it. */
describe("Ollama's model commands typed to wren", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-ollama-verbs-"));
    env = { WREN_HOME: home, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), HF_ENDPOINT: "http://127.0.0.1:9" };
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each([
    [["list"], "Models are listed with `wren models list`, not `wren list`. Run: wren models list"],
    [["ls"], "Models are listed with `wren models list`, not `wren ls`. Run: wren models list"],
    [["rm", "qwen2.5-0.5b", "./m.gguf"], "Models are removed with `wren models rm`, not `wren rm`. Run: wren models rm qwen2.5-0.5b ./m.gguf"],
    [["ps"], "The models loaded are shown with `wren daemon status`, not `wren ps`. Run: wren daemon status"],
  ])("wren %s: exits 2 with the wren command line, doing nothing", async (args, message) => {
    const result = await runCli(args, { env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`wren: ${message}\n`);
    expect(readdirSync(home)).toEqual([]);
  });

  it("words that go on are still a task for the assistant", async () => {
    const result = await runCli(["list", "the", "files"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`wren -p "list the files"`);
  });
});
