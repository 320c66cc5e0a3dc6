import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchLike } from "../hub.js";
import { listModels } from "../listing.js";
import { listOllamaServerModels } from "./ollama-server.js";

// Offline (router.offline, --offline), nothing leaves this machine: OLLAMA_HOST is asked only
// where it is this machine's loopback.

const tags = { models: [{ name: "llama3:8b", size: 1, details: { family: "llama" } }] };

function recordingFetch(): { fetch: FetchLike; asked: string[] } {
  const asked: string[] = [];
  const fetch = ((url: string | URL) => {
    asked.push(String(url));
    return Promise.resolve(new Response(JSON.stringify(tags), { headers: { "content-type": "application/json" } }));
  }) as FetchLike;
  return { fetch, asked };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-ollama-offline-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a running Ollama server, offline", () => {
  it("is not asked when OLLAMA_HOST is beyond this machine", async () => {
    for (const host of ["http://10.0.0.5:11434", "gpu-box:11434", "https://ollama.example.com", "0.0.0.0:11434"]) {
      const { fetch, asked } = recordingFetch();
      expect(await listOllamaServerModels({ env: { OLLAMA_HOST: host }, fetch, offline: true }), host).toBeUndefined();
      expect(asked, host).toEqual([]);
    }
  });

  it("is asked on this machine's loopback, offline or not, and anywhere online", async () => {
    for (const [host, offline] of [["127.0.0.1:11434", true], ["http://localhost:11434", true], ["[::1]:11434", true], ["http://10.0.0.5:11434", false]] as const) {
      const { fetch, asked } = recordingFetch();
      const listed = await listOllamaServerModels({ env: { OLLAMA_HOST: host }, fetch, offline });
      expect(listed?.models.map((m) => m.name), host).toEqual(["llama3:8b"]);
      expect(asked, host).toHaveLength(1);
    }
  });

  it("is not asked by `models list` offline", async () => {
    const { fetch, asked } = recordingFetch();
    const listing = await listModels({ modelsDir: dir, env: { OLLAMA_HOST: "http://10.0.0.5:11434", HOME: dir }, home: dir, fetch, offline: true });
    expect(listing.remote).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
