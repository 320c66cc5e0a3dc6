import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { catalog } from "./catalog.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

const STORIES_SHA = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
const tiny = catalog.find((e) => e.name === "qwen2.5-0.5b");

describe.runIf(hasSharedModels)("pulling by URL, catalog name and default quantisation", () => {
  let hub: FakeHub;
  let modelsDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    hub = await startFakeHub({
      renamed: { "old-org/multi-GGUF": "wren-test/multi-GGUF" },
      repos: {
        "wren-test/multi-GGUF": {
          files: [
            { path: "m-Q8_0.gguf", source: sharedModels.chat },
            { path: "m-Q4_K_M.gguf", source: sharedModels.stories },
          ],
        },
        // The catalog's entry, served by the mirror (HF_ENDPOINT) with a stand-in file.
        [tiny?.repo ?? ""]: { files: [{ path: tiny?.file ?? "", source: sharedModels.stories }] },
      },
    });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-refs-"));
    env = { HF_ENDPOINT: hub.url };
    hub.requests.length = 0;
    hub.resetFaults();
  });

  it("picks Q4_K_M when the reference names no quantisation", async () => {
    const result = await pullModel("hf:wren-test/multi-GGUF", { modelsDir, env });
    expect(result.entry).toMatchObject({ repoFile: "m-Q4_K_M.gguf", quant: "Q4_K_M", sha256: STORIES_SHA });
  });

  it("follows a renamed repository's redirect and still verifies the file", async () => {
    const result = await pullModel("hf:old-org/multi-GGUF:Q4_K_M", { modelsDir, env });
    expect(result.entry).toMatchObject({ sha256: STORIES_SHA, repo: "old-org/multi-GGUF" });
    expect(result.entry.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(hub.requests.some((r) => r.method === "HEAD" && r.path.startsWith("/old-org/multi-GGUF/resolve/"))).toBe(true);
    expect(hub.requests.some((r) => r.method === "HEAD" && r.path.startsWith("/wren-test/multi-GGUF/resolve/"))).toBe(true);
  });

  it("pulls a plain https URL and verifies it against the Hub's ETag", async () => {
    const url = `${hub.url}/wren-test/multi-GGUF/resolve/main/m-Q8_0.gguf`;
    const result = await pullModel(url, { modelsDir, env });
    expect(result.entry).toMatchObject({ ref: url, source: "url", url });
    expect(readFileSync(result.path).equals(readFileSync(sharedModels.chat))).toBe(true);
    expect((await resolveModelRef(url, { modelsDir, env, offline: true })).source).toBe("store");
  });

  it("sends HF_TOKEN only to the Hub: never to another host given by URL, nor to one the Hub redirects to", async () => {
    await using other = await startFakeHub({ repos: { "elsewhere/m-GGUF": { files: [{ path: "m-Q8_0.gguf", source: sharedModels.chat }] } } });
    const tokenEnv = { ...env, HF_TOKEN: "hf_secret" };
    const byUrl = await pullModel(`${other.url}/elsewhere/m-GGUF/resolve/main/m-Q8_0.gguf`, { modelsDir, env: tokenEnv });
    expect(byUrl.downloaded).toBe(true);
    expect(other.requests.length).toBeGreaterThan(0);

    // A Hub whose file redirects to another host (as huggingface.co does to its signed CDN URLs).
    const redirecting = http.createServer((req, res) => {
      res.writeHead(302, { location: `${other.url}/elsewhere/m-GGUF/resolve/main/m-Q8_0.gguf`, "x-repo-commit": "c".repeat(40) }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    try {
      const port = (redirecting.address() as AddressInfo).port;
      const viaHub = await pullModel("hf:wren-test/multi-GGUF/m-Q8_0.gguf", { modelsDir, env: { ...tokenEnv, HF_ENDPOINT: `http://127.0.0.1:${port}` } });
      expect(readFileSync(viaHub.path).equals(readFileSync(sharedModels.chat))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
    expect(other.requests.filter((r) => r.authorization !== undefined)).toEqual([]);

    // The Hub itself still gets it.
    await pullModel(`${hub.url}/wren-test/multi-GGUF/resolve/main/m-Q4_K_M.gguf`, { modelsDir, env: tokenEnv });
    expect(hub.requests.some((r) => r.path.includes("/resolve/") && r.authorization === "Bearer hf_secret")).toBe(true);
  });

  it("pulls a catalog name from its repository, through HF_ENDPOINT", async () => {
    const result = await pullModel("qwen2.5-0.5b", { modelsDir, env });
    expect(result.entry).toMatchObject({ ref: "qwen2.5-0.5b", name: "qwen2.5-0.5b", source: "catalog", repo: tiny?.repo, sha256: STORIES_SHA });
    const again = await resolveModelRef("qwen2.5-0.5b", { modelsDir, env, offline: true });
    expect(again).toMatchObject({ source: "store", path: result.path });
  });

  it("--update fetches nothing when the revision is unchanged", async () => {
    await pullModel("hf:wren-test/multi-GGUF:Q8_0", { modelsDir, env });
    const status: string[] = [];
    const updated = await pullModel("hf:wren-test/multi-GGUF:Q8_0", { modelsDir, env, update: true, onStatus: (m) => status.push(m) });
    expect(updated.downloaded).toBe(false);
    expect(status.join("\n")).toContain("already at the newest revision");
    expect(hub.downloads("m-Q8_0.gguf")).toHaveLength(1);
  });

  it("a missing file or repository is model_not_found with a next step", async () => {
    const error = await pullModel("hf:wren-test/multi-GGUF/nope.gguf", { modelsDir, env }).catch((e: unknown) => e);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).hint).toContain(`${hub.url}/wren-test/multi-GGUF`);
    const unknownName = await pullModel("no-such-model", { modelsDir, env }).catch((e: unknown) => e);
    expect((unknownName as WrenError).hint).toContain("wren models recommend");
  });

  it("a file the repository lacks (a typo, another quant's name) lists the GGUF files it has", async () => {
    const error = await pullModel("hf:wren-test/multi-GGUF/m-Q5_K_M.gguf", { modelsDir, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).message).toBe("wren-test/multi-GGUF has no file m-Q5_K_M.gguf. Its GGUF files: m-Q4_K_M.gguf, m-Q8_0.gguf.");
    expect((error as WrenError).hint).toContain("wren pull hf:wren-test/multi-GGUF:Q4_K_M");
  });

  it("a repository the Hub does not have is named as such", async () => {
    const error = await pullModel("hf:wren-test/no-such-GGUF:Q8_0", { modelsDir, env }).catch((e: unknown) => e);
    expect((error as WrenError).code).toBe("model_not_found");
    expect((error as WrenError).message).toBe("The Hub has no repository wren-test/no-such-GGUF (404).");
  });

  it("an unreachable Hub is a retryable network error that suggests --offline", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await pullModel("hf:wren-test/multi-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: `http://127.0.0.1:${port}` } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("network_error");
    expect((error as WrenError).isRetryable).toBe(true);
    expect((error as WrenError).hint).toContain("--offline");
  });
});
