import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { sharedModels } from "../helpers/shared-models.js";

describe("wren probe reports the GPUs in use", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-probe-gpus-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "256" };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("on the CPU backend: no devices, no GPU memory, the layer split, in --json and in text", async () => {
    const json = await runCli(["probe", sharedModels.stories, "--json", "--max-tokens", "4"], { env });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { backend: { used: string; devices: string[] }; gpus: unknown };
    expect(report.backend.used).toBe("cpu");
    expect(report.gpus).toEqual({ split: "layer", devices: [] });

    const text = await runCli(["probe", sharedModels.stories, "--max-tokens", "4"], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^GPUs: +none in use \(CPU backend\)$/m);
    expect(text.stdout).not.toMatch(/^GPU (memory|split|\d+):/m);
  });
});
