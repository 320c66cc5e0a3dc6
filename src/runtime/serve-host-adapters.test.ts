import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServedAdapters } from "./adapters-serve.js";
import { LocalModelHost } from "./serve-host.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-served-adapters-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (name: string, base: string | undefined) => ({ name, path: path.join(dir, `${name}.gguf`), ...(base === undefined ? {} : { base }), architecture: "llama", scale: 1, addedAt: "2026-01-01T00:00:00.000Z" });

describe("the adapters a server lists (GET /v1/adapters)", () => {
  it("name a base given as a file by its file name, never the path on the user's disk; other bases as they are", async () => {
    const registry = path.join(dir, "adapters.json");
    const adapters = [
      record("posix", "/home/alice/models/Qwen3-0.6B-Q8_0.gguf"),
      record("tilde", "~/models/tiny.gguf"),
      record("windows", "C:\\Users\\alice\\models\\Mistral-7B.Q4_K_M.gguf"),
      record("relative", "../models/base.gguf"),
      record("url", "https://models.example/dl/small.gguf?token=secret"),
      record("hub", "hf:org/repo:Q4_K_M"),
      record("named", "qwen3-8b"),
      record("none", undefined),
    ];
    await writeFile(registry, JSON.stringify({ version: 1, adapters }));
    await using host = new LocalModelHost({ engine: undefined, models: [], adapters: new ServedAdapters(registry) });
    const listed = await host.adapters();
    expect(listed.map((a) => [a.name, a.base])).toEqual([
      ["posix", "Qwen3-0.6B-Q8_0"],
      ["tilde", "tiny"],
      ["windows", "Mistral-7B.Q4_K_M"],
      ["relative", "base"],
      ["url", "small"],
      ["hub", "hf:org/repo:Q4_K_M"],
      ["named", "qwen3-8b"],
      ["none", undefined],
    ]);
    expect(JSON.stringify(listed)).not.toContain("alice");
    expect(JSON.stringify(listed)).not.toContain(dir);
    expect(JSON.stringify(listed)).not.toContain("secret");
  });
});
