import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkConfigFile } from "../check-file.js";

describe("engine.gpuSplit", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-gpu-split-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const check = async (toml: string) => {
    const file = path.join(dir, "wren.toml");
    await writeFile(file, toml);
    return (await checkConfigFile(file, { home: dir })).map((p) => p.message);
  };

  it("accepts layer, the split node-llama-cpp offers", async () => {
    expect(await check('[engine]\ngpuSplit = "layer"\n')).toEqual([]);
  });

  it("refuses row split, saying what the binding cannot do", async () => {
    const [message] = await check('[engine]\ngpuSplit = "row"\n');
    expect(message).toBe('"row" is not a valid GPU split mode (node-llama-cpp 3.21.1 splits by layer only: no row split, main GPU or proportions). Use one of: layer.');
  });
});
