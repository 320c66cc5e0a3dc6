import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { runCli } from "../../test/helpers/cli.js";
import { pullModel } from "./pull.js";

/** A full disk or a models folder wren cannot write: said as such, not as a network failure. */
describe("pulling onto a disk that cannot take the file", () => {
  let hub: FakeHub;
  let root: string;
  const content = randomBytes(200_000);

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { "wren-test/disk-GGUF": { files: [{ path: "disk-Q8_0.gguf", content }] } } });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-pull-disk-"));
    hub.requests.length = 0;
  });

  /** A models folder whose download file is the kernel's always-full device: every write fails with ENOSPC. */
  function fullModelsDir(): string {
    const modelsDir = path.join(root, "models");
    const dir = path.join(modelsDir, "hf/wren-test/disk-GGUF");
    mkdirSync(dir, { recursive: true });
    symlinkSync("/dev/full", path.join(dir, "disk-Q8_0.gguf.partial"));
    return modelsDir;
  }

  const downloads = (): number => hub.requests.filter((r) => r.method === "GET" && r.path.startsWith("/cdn-lfs/")).length;

  it.runIf(existsSync("/dev/full"))("a full disk is named as such, once, with what to free; not retried as a dropped connection", async () => {
    const modelsDir = fullModelsDir();
    const error = await pullModel("hf:wren-test/disk-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: hub.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    const wren = error as WrenError;
    expect(wren.message).toMatch(/no space left/i);
    expect(wren.message).toContain("disk-Q8_0.gguf");
    expect(wren.message).not.toMatch(/interrupted/i);
    expect(wren.hint).toMatch(/free/i);
    expect(wren.isRetryable).toBe(false);
    expect(downloads()).toBe(1);
  });

  it("a models folder that is a file is named as such", async () => {
    writeFileSync(path.join(root, "not-a-folder"), "");
    const modelsDir = path.join(root, "not-a-folder", "models");
    const error = await pullModel("hf:wren-test/disk-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: hub.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toMatch(/cannot write to the models folder/i);
    expect((error as WrenError).message).toContain(modelsDir);
    expect((error as WrenError).hint).toMatch(/--models-dir|WREN_MODELS_DIR/);
  });

  it.runIf(existsSync("/dev/full"))("`wren pull` onto a full disk exits 1 with one line that says so (not 4, a network failure)", async () => {
    const modelsDir = fullModelsDir();
    const home = path.join(root, "home");
    const result = await runCli(["pull", "hf:wren-test/disk-GGUF:Q8_0", "--models-dir", modelsDir], {
      env: { HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), XDG_DATA_HOME: path.join(home, ".local/share"), HF_ENDPOINT: hub.url },
    });
    expect(result.stderr).toMatch(/^wren: There is no space left/m);
    expect(result.stderr).not.toMatch(/resumes from where it stopped|interrupted/);
    expect(result.code).toBe(1);
  });
});
