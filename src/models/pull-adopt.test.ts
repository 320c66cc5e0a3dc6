import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { runCli } from "../../test/helpers/cli.js";
import { startFakeHub, type FakeHub, type RecordedRequest } from "../../test/helpers/fake-hub.js";
import type { DownloadProgress } from "./download.js";
import { manifestPath, readManifest, updateManifest } from "./manifest.js";
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

/**
 * A file the Hub publishes no SHA-256 for (not in LFS: its listing has no LFS oid, its ETag is a git
 * hash): one of the size the Hub gives, already in the store, is kept as it is, said to be unverified,
 * rather than downloaded again; `--update` to a newer revision still downloads it.
 */
describe("pulling a model whose file has no published SHA-256 and is already in the store", () => {
  const REPO = "wren-test/plain-GGUF";
  const FILE = "plain-Q8_0.gguf";
  const content = randomBytes(400_000);
  let hub: FakeHub;
  const bodyGets = (): RecordedRequest[] => hub.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/${FILE}`));

  beforeAll(async () => {
    hub = await startFakeHub({ repos: { [REPO]: { files: [{ path: FILE, content, lfs: false }] } } });
  });
  afterAll(async () => hub.close());

  it("keeps a file of the right size, saying it was not verified, with no download", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-plain-"));
    const env = { HF_ENDPOINT: hub.url };
    const first = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env });
    expect(first.entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    rmSync(manifestPath(modelsDir));
    hub.requests.length = 0;
    const status: string[] = [];
    const again = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env, onStatus: (m) => status.push(m) });
    expect(again.path).toBe(first.path);
    expect(readFileSync(again.path).equals(content)).toBe(true);
    expect(bodyGets()).toEqual([]);
    expect(status.join("\n")).toContain(`${FILE} is already in the models folder with the size the source gives (${content.length} bytes); kept without a check: the source publishes no SHA-256 for it.`);
    expect((await readManifest(modelsDir)).models.map((m) => [m.ref, m.size])).toEqual([[`hf:${REPO}:Q8_0`, content.length]]);
  });

  it("downloads it again when its size differs", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-plain-"));
    const env = { HF_ENDPOINT: hub.url };
    const first = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env });
    rmSync(manifestPath(modelsDir));
    writeFileSync(first.path, content.subarray(0, 1000));
    hub.requests.length = 0;
    const again = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env });
    expect(readFileSync(again.path).equals(content)).toBe(true);
    expect(bodyGets()).toHaveLength(1);
  });

  it("wren pull --update still downloads a newer revision of the file, though its size is the same", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-adopt-plain-"));
    const env = { HF_ENDPOINT: hub.url };
    const first = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env });
    const older = randomBytes(content.length);
    writeFileSync(first.path, older);
    await updateManifest(modelsDir, (manifest) => {
      for (const m of manifest.models) {
        m.revision = "a".repeat(40);
        m.sha256 = null;
      }
    });
    hub.requests.length = 0;
    const updated = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env, update: true });
    expect(updated.downloaded).toBe(true);
    expect(readFileSync(updated.path).equals(content)).toBe(true);
    expect(bodyGets()).toHaveLength(1);
  });
});
