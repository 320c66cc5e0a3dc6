import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";

/** `wren models pull REF` (as `ollama pull`, beside `wren models list`) names the command that pulls. */
describe("wren models pull", () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-models-pull-"));
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it("exits 2 with the wren pull command line, downloading nothing", async () => {
    const env = { WREN_HOME: home, HOME: home, HF_ENDPOINT: "http://127.0.0.1:9" };
    const result = await runCli(["models", "pull", "qwen2.5-0.5b", "--quant", "Q8_0"], { env });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("wren: Models are downloaded with `wren pull`, not `wren models pull`. Run: wren pull qwen2.5-0.5b --quant Q8_0\n");
    expect(readdirSync(home)).toEqual([]);
  });

  it("is not listed in wren models --help", async () => {
    const result = await runCli(["models", "--help"]);
    expect(result.stdout).not.toMatch(/^\s+pull\b/m);
  });
});
