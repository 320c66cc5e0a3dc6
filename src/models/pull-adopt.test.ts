import { rmSync } from "node:fs";
import { mkdtempSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { runCli } from "../../test/helpers/cli.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import type { DownloadProgress } from "./download.js";
import { manifestPath, readManifest } from "./manifest.js";
import { createProgressRenderer } from "./progress.js";
import { pullModel } from "./pull.js";

/**
 * A model whose file is in the store but not in its index (manifest.json deleted or replaced, as
 * its own error message once suggested): pulling it again checks the file against the Hub's SHA-256
 * and keeps it, instead of downloading gigabytes that are already there.
 */
describe("pulling a model whose file is already in the store but not in its index", () => {
  let hub: FakeHub;
  const content = randomBytes(2_500_000);

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { "wren-test/kept-GGUF": { files: [{ path: "kept-Q8_0.gguf", content }] } } });
  });
  afterAll(async () => hub.close());

  it("adopts the file once its SHA-256 matches, with no download", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-"));
    const env = { HF_ENDPOINT: hub.url };
    const first = await pullModel("hf:wren-test/kept-GGUF:Q8_0", { modelsDir, env });
    rmSync(manifestPath(modelsDir));
    hub.requests.length = 0;
    const again = await pullModel("hf:wren-test/kept-GGUF:Q8_0", { modelsDir, env });
    expect(again.path).toBe(first.path);
    expect(readFileSync(again.path).equals(content)).toBe(true);
    expect(hub.downloads("kept-Q8_0.gguf")).toHaveLength(0);
    expect((await readManifest(modelsDir)).models.map((m) => m.sha256)).toEqual([first.entry.sha256]);
  });

  it("shows the pull's progress while it checks the file, not minutes of silence on a large one", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-"));
    const env = { HF_ENDPOINT: hub.url };
    await pullModel("hf:wren-test/kept-GGUF:Q8_0", { modelsDir, env });
    rmSync(manifestPath(modelsDir));
    const reports: DownloadProgress[] = [];
    let text = "";
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const render = createProgressRenderer(stream, { tty: false });
    await pullModel("hf:wren-test/kept-GGUF:Q8_0", {
      modelsDir,
      env,
      onProgress: (progress) => {
        reports.push(progress);
        render(progress);
      },
    });
    expect(reports.length).toBeGreaterThan(3);
    expect(reports.every((r) => r.verifying === true && r.total === content.length && r.resumedFrom === 0)).toBe(true);
    expect(reports.map((r) => r.received)).toEqual([...reports.map((r) => r.received)].sort((a, b) => a - b));
    expect(reports.at(-1)).toMatchObject({ received: content.length, done: true });
    expect(text).toMatch(/^kept-Q8_0\.gguf: checking SHA-256 0% /m);
    expect(text).toMatch(/^kept-Q8_0\.gguf: checking SHA-256 100% .* done$/m);
  });

  it("wren pull prints that progress on stderr", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-cli-"));
    const env = { WREN_HOME: home, HF_ENDPOINT: hub.url };
    expect((await runCli(["pull", "hf:wren-test/kept-GGUF:Q8_0"], { env })).code).toBe(0);
    rmSync(manifestPath(path.join(home, "models")));
    const again = await runCli(["pull", "hf:wren-test/kept-GGUF:Q8_0"], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^kept-Q8_0\.gguf: checking SHA-256 100% .* done$/m);
    expect(again.stderr).toContain("kept-Q8_0.gguf is already in the models folder and matches its SHA-256");
  }, 60_000);
});
