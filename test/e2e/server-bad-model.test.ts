import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { writeCorruptGguf } from "../helpers/gguf-corrupt.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve with a corrupt model beside a good one", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-bad-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("refuses to start with only a corrupt model, in one line with exit 3", async () => {
    const bad = await writeCorruptGguf(path.join(home, "huge-array.gguf"), "huge array");
    const result = await runCli(["serve", "--model", bad, "--port", "0"], { env: { WREN_HOME: home, WREN_ENGINE_GPU: "cpu" } });
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 3, signal: null });
    expect(result.stderr).toMatch(/^wren: \S+huge-array\.gguf is not a valid GGUF file: metadata `tokenizer\.ggml\.tokens` declares an array of \d+ items[^\n]*\n$/m);
  });

  it("says at start that the corrupt model cannot be loaded, answers model_invalid for it, stays up and keeps serving the good one", async () => {
    const bad = await writeCorruptGguf(path.join(home, "over-long-key.gguf"), "over-long key");
    const env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_CONTEXT_SIZE: "512" };
    const child = spawnCli(["serve", "--model", sharedModels.chat, "--model", bad, "--port", "0"], { env });
    try {
      const served = watchServe(child, { pattern: /serving .+? on (http:\/\/\S+)[^]*over-long-key cannot be loaded[^]*\n {2}[^\n]+\n/ });
      const url = await served.url;
      // The models after the first load on their first request; a damaged one is said at start, not first found by a client.
      expect(served.stderr()).toMatch(/\nwren: over-long-key cannot be loaded; its requests are refused until this is fixed: \S+over-long-key\.gguf is not a valid GGUF file: [^\n]*65535[^\n]*\n {2}\S[^\n]*\n/);
      expect(served.stderr()).not.toMatch(/synthetic-bigram-chatml cannot be loaded/);
      const chat = (model: string): Promise<Response> =>
        fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 16, temperature: 0 }),
        });

      const refused = await chat("over-long-key");
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("model_invalid");
      expect(body.error.message).toContain("is 3000000000 bytes long; GGUF allows at most 65535");

      const answered = await chat("synthetic-bigram-chatml");
      expect(answered.status).toBe(200);
      const reply = (await answered.json()) as { choices: { message: { content: string } }[] };
      expect(reply.choices[0]?.message.content).toBe("Hello from the tiny synthetic model.");

      // Asking again gives the same answer: nothing was left half-loaded.
      expect((await chat("over-long-key")).status).toBe(400);
      expect(await stopChild(child)).toEqual({ code: 0, signal: null });
    } finally {
      await stopChild(child, "SIGKILL");
    }
  });
});
