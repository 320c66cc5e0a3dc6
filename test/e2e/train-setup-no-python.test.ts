import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonInstallHint } from "../../src/runtime/train/setup.js";
import { trainVenv } from "../../src/runtime/train/trainers.js";
import { runCli } from "../helpers/cli.js";

describe("wren train setup on a machine without Python", () => {
  let home: string;
  let emptyBin: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-setup-no-python-"));
    // The only folder on PATH: no python, python3, py or uv anywhere wren looks.
    emptyBin = path.join(home, "bin");
    await mkdir(emptyBin);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("says exactly what to install, and makes nothing", async () => {
    const env = { WREN_HOME: home, PATH: emptyBin, Path: emptyBin };
    const result = await runCli(["train", "setup"], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("wren's PEFT trainer needs Python 3 with venv");
    expect(result.stderr).toContain(pythonInstallHint());
    expect(existsSync(trainVenv(env).dir)).toBe(false);
  });
});
