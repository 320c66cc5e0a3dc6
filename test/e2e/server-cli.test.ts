import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_CONTEXT_SIZE: "512" };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("serves until SIGTERM, ready once the first model is loaded", async () => {
    const child = spawnCli(["serve", "--model", sharedModels.chat, "--port", "0"], { env });
    const url = await watchServe(child, { pattern: /serving synthetic-bigram-chatml on (http:\/\/\S+)/ }).url;
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", loaded: ["synthetic-bigram-chatml"] });
    expect(await stopChild(child)).toEqual({ code: 0, signal: null });
  });

  it("with no model configured, serves the embedded default, and offline says to pass --model PATH", async () => {
    const r = await runCli(["serve", "--offline", "--port", "0"], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^wren: wren's default model \(\S+\) is not here.*offline.*Pass --model PATH/);
  });

  it("refuses a missing model file and a non-loopback bind without a key, saying what to do", async () => {
    const missing = await runCli(["serve", "--model", path.join(home, "nope.gguf"), "--port", "0"], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^wren: There is no model file at .*nope\.gguf/);
    const exposed = await runCli(["serve", "--model", sharedModels.chat, "--host", "0.0.0.0", "--port", "0"], { env });
    // A refusal of the flags given, as every usage or configuration error is (docs/architecture.md: exit codes).
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain("exposes the server beyond this machine");
    expect(exposed.stderr).toContain("--api-key");
  });
});
