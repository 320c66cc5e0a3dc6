import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { getLlama, LlamaCompletion } from "node-llama-cpp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { readManifest } from "./manifest.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

const STORIES_SHA = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
const STORIES_SIZE = 1185376;
const parts = [randomBytes(40_000), randomBytes(40_000), randomBytes(10_000)];

describe.runIf(hasSharedModels)("pulling from a Hub", () => {
  let hub: FakeHub;
  let modelsDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    hub = await startFakeHub({
      token: "hf_secret",
      repos: {
        "wren-test/stories260K-GGUF": {
          files: [
            { path: "stories260K-F32.gguf", source: sharedModels.stories },
            { path: "README.md", content: Buffer.from("# stories\n"), lfs: false },
          ],
        },
        "wren-test/chat-GGUF": { files: [{ path: "synthetic-bigram-chatml-F32.gguf", source: sharedModels.chat }] },
        "wren-test/gated-GGUF": { gated: true, files: [{ path: "gated-Q8_0.gguf", source: sharedModels.chat }] },
        "wren-test/hostile-GGUF": { files: [{ path: "../../../../wren-escape-Q4_K_M.gguf", content: Buffer.from("not a model") }] },
        "wren-test/split-GGUF": {
          files: parts.map((content, i) => ({ path: `big/big-Q4_K_M-0000${i + 1}-of-00003.gguf`, content })),
        },
      },
    });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-"));
    env = { HF_ENDPOINT: hub.url };
    hub.requests.length = 0;
    hub.resetFaults();
  });

  it("pulls by quantisation, verifies the SHA-256, records the revision, and the model runs", async () => {
    const result = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env });
    expect(result.downloaded).toBe(true);
    expect(statSync(result.path).size).toBe(STORIES_SIZE);
    const manifest = await readManifest(modelsDir);
    expect(manifest.models).toHaveLength(1);
    expect(manifest.models[0]).toMatchObject({
      ref: "hf:wren-test/stories260K-GGUF:F32",
      sha256: STORIES_SHA,
      size: STORIES_SIZE,
      quant: "F32",
      source: "hf",
      repo: "wren-test/stories260K-GGUF",
      repoFile: "stories260K-F32.gguf",
    });
    expect(manifest.models[0]?.revision).toMatch(/^[0-9a-f]{40}$/);
    // The redirect went through the CDN path, as on the real Hub.
    expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(1);

    const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: "error" as never });
    const model = await llama.loadModel({ modelPath: result.path });
    const context = await model.createContext({ contextSize: 128, threads: 1 });
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const text = await completion.generateCompletion("Once upon a time", { maxTokens: 8, temperature: 0 });
    expect(text).toContain("there was a little girl");
    await context.dispose();
    await model.dispose();
  });

  it("never downloads a present model again, and resolves it from the store", async () => {
    await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env });
    const again = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env });
    expect(again.downloaded).toBe(false);
    const byFile = await resolveModelRef("hf:wren-test/stories260K-GGUF/stories260K-F32.gguf", { modelsDir, env });
    expect(byFile).toMatchObject({ source: "store", path: again.path });
    expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(1);
    const manifest = await readManifest(modelsDir);
    expect(manifest.models[0]?.lastUsed).not.toBeNull();
  });

  const partialPath = (): string => path.join(modelsDir, "hf/wren-test/stories260K-GGUF/stories260K-F32.gguf.partial");
  const sizeOnDisk = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

  /**
   * Cuts the next download after `bytes`, closing the connection only once the client has written
   * all of them: the resume point is then known whatever the write sizes and scheduling were.
   */
  function cutOnceWritten(bytes: number): void {
    hub.faults.cutAtBytes = bytes;
    hub.faults.beforeCut = () => vi.waitFor(() => expect(sizeOnDisk(partialPath())).toBe(bytes), { timeout: 30_000, interval: 20 });
  }

  /** The size of the .partial file as each Range request arrives (what the client resumes from). */
  function recordResumePoints(): number[] {
    const sizes: number[] = [];
    hub.onRequest = (request) => {
      if (request.range !== undefined) sizes.push(sizeOnDisk(partialPath()));
    };
    return sizes;
  }

  it("resumes a transfer cut at 50% from the .partial file with a Range request", async () => {
    const half = Math.floor(STORIES_SIZE / 2);
    cutOnceWritten(half);
    const first = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env, retries: 0 }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(WrenError);
    expect((first as WrenError).code).toBe("download_failed");
    expect((first as WrenError).hint).toMatch(/resumes/);
    const partial = partialPath();
    expect(statSync(partial).size).toBe(half);
    expect((await readManifest(modelsDir)).models).toHaveLength(0);

    const second = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env });
    const downloads = hub.downloads("stories260K-F32.gguf");
    expect(downloads.map((d) => d.range)).toEqual([undefined, `bytes=${half}-`]);
    expect(second.entry.sha256).toBe(STORIES_SHA);
    expect(readFileSync(second.path).equals(readFileSync(sharedModels.stories))).toBe(true);
    expect(existsSync(partial)).toBe(false);
  });

  it("retries a dropped connection within one pull, resuming where it stopped", async () => {
    cutOnceWritten(300_000);
    const resumedFrom = recordResumePoints();
    const result = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env });
    expect(result.entry.sha256).toBe(STORIES_SHA);
    expect(hub.downloads("stories260K-F32.gguf").map((d) => d.range)).toEqual([undefined, "bytes=300000-"]);
    expect(resumedFrom).toEqual([300_000]);
  });

  it("starts over when the server ignores the Range header", async () => {
    cutOnceWritten(400_000);
    hub.faults.ignoreRange = true;
    const resumedFrom = recordResumePoints();
    const status: string[] = [];
    const result = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env, onStatus: (m) => status.push(m) });
    expect(result.entry.sha256).toBe(STORIES_SHA);
    expect(statSync(result.path).size).toBe(STORIES_SIZE);
    expect(status).toContain("stories260K-F32.gguf: the server sent the whole file instead of resuming at 400000 bytes; starting over.");
    // The client asked to resume from what it had; the server sent the whole file, which replaced it.
    expect(hub.downloads("stories260K-F32.gguf").map((d) => d.range)).toEqual([undefined, "bytes=400000-"]);
    expect(resumedFrom).toEqual([400_000]);
  });

  it("waiting on a lock held on another host says whose it is and how to clear it; an abort ends the wait", async () => {
    const lock = path.join(modelsDir, ".locks", "hf_wren-test_stories260K-GGUF_stories260K-F32.gguf.lock");
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: 4242, host: "build-box", token: "t" }));
    const controller = new AbortController();
    const statuses: string[] = [];
    const pull = pullModel("hf:wren-test/stories260K-GGUF:F32", {
      modelsDir,
      env,
      signal: controller.signal,
      onStatus: (message) => {
        statuses.push(message);
        controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(await pull).toMatchObject({ name: "AbortError" });
    expect(statuses).toEqual([
      `Another wren process (pid 4242 on build-box) is downloading hf:wren-test/stories260K-GGUF:F32; waiting for it to finish. If no wren runs on build-box any more, delete ${lock}.`,
    ]);
    expect(hub.downloads("stories260K-F32.gguf")).toHaveLength(0);
  });

  it("rejects a corrupted byte and keeps nothing corrupt", async () => {
    hub.faults.corruptByteAt = 1000;
    const error = await pullModel("hf:wren-test/stories260K-GGUF:F32", { modelsDir, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("checksum_mismatch");
    expect((error as WrenError).message).toContain(STORIES_SHA);
    const dir = path.join(modelsDir, "hf/wren-test/stories260K-GGUF");
    expect(readdirSync(dir)).toEqual([]);
    expect((await readManifest(modelsDir)).models).toHaveLength(0);
  });

  it("says how to set a token on a 401, and uses HF_TOKEN when set", async () => {
    const error = await pullModel("hf:wren-test/gated-GGUF:Q8_0", { modelsDir, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("unauthorized");
    expect((error as WrenError).hint).toContain("HF_TOKEN");
    const ok = await pullModel("hf:wren-test/gated-GGUF:Q8_0", { modelsDir, env: { ...env, HF_TOKEN: "hf_secret" } });
    expect(ok.downloaded).toBe(true);
    expect(hub.requests.some((r) => r.path.includes("/resolve/") && r.authorization === "Bearer hf_secret")).toBe(true);
  });

  it("refuses a file path from the Hub's list that would leave the models folder, before downloading anything", async () => {
    const error = await pullModel("hf:wren-test/hostile-GGUF:Q4_K_M", { modelsDir, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("upstream_error");
    expect((error as WrenError).message).toContain('"../../../../wren-escape-Q4_K_M.gguf"');
    expect(hub.requests.filter((r) => !r.path.startsWith("/api/"))).toEqual([]);
    expect(existsSync(path.resolve(modelsDir, "hf/wren-test/hostile-GGUF/../../../../wren-escape-Q4_K_M.gguf"))).toBe(false);
    expect((await readManifest(modelsDir)).models).toHaveLength(0);
  });

  it("lists the available quantisations when the one asked for is absent", async () => {
    const error = await pullModel("hf:wren-test/stories260K-GGUF:Q4_K_M", { modelsDir, env }).catch((e: unknown) => e);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).message).toContain("Available: F32");
  });

  it("downloads every part of a split GGUF", async () => {
    const result = await pullModel("hf:wren-test/split-GGUF:Q4_K_M", { modelsDir, env });
    expect(result.path.endsWith("big-Q4_K_M-00001-of-00003.gguf")).toBe(true);
    expect(result.entry.parts).toHaveLength(2);
    expect(result.entry.size).toBe(90_000);
    for (const [i, content] of parts.entries()) {
      const file = path.join(modelsDir, "hf/wren-test/split-GGUF/big", `big-Q4_K_M-0000${i + 1}-of-00003.gguf`);
      expect(readFileSync(file).equals(content)).toBe(true);
    }
  });

  it("offline: a missing model says what to run and touches no network; a present one resolves", async () => {
    const error = await resolveModelRef("hf:wren-test/chat-GGUF:F32", { modelsDir, env, offline: true }).catch((e: unknown) => e);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).hint).toContain("wren pull hf:wren-test/chat-GGUF:F32");
    expect(hub.requests).toHaveLength(0);
    await pullModel("hf:wren-test/chat-GGUF:F32", { modelsDir, env });
    hub.requests.length = 0;
    const resolved = await resolveModelRef("hf:wren-test/chat-GGUF:F32", { modelsDir, env, offline: true });
    expect(resolved.source).toBe("store");
    expect(hub.requests).toHaveLength(0);
  });
});
