import { copyFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAdapter } from "../../src/runtime/adapters.js";
import type { RunningServer } from "../../src/runtime/serve.js";
import { ADAPTED_TEXT, BASE_TEXT, startAdapterServer, type AdapterServer, type Completion } from "../helpers/adapter-server.js";
import { f32, str, writeGguf } from "../helpers/gguf-format.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** A LoRA adapter for a llama model with 32-wide attention: it does not fit stories260K (64 wide). */
async function writeMismatchedAdapter(file: string): Promise<void> {
  const small = (out: Float32Array): void => void out.fill(0.01);
  await writeGguf(
    file,
    [
      ["general.architecture", str("llama")],
      ["general.type", str("adapter")],
      ["adapter.type", str("lora")],
      ["adapter.lora.alpha", f32(8)],
    ],
    [
      { name: "blk.0.attn_q.weight.lora_a", dims: [32, 4], type: "F32", fill: small },
      { name: "blk.0.attn_q.weight.lora_b", dims: [4, 32], type: "F32", fill: small },
    ],
  );
}

describe.runIf(hasSharedModels)("wren serve applies LoRA adapters per request", () => {
  let served: AdapterServer;
  let dir: string;
  let registry: string;
  let server: RunningServer;
  const complete = (model: string, headers?: Record<string, string>): Promise<Completion> => served.complete(model, headers);

  beforeAll(async () => {
    served = await startAdapterServer("wren-adapters-", [
      { path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 2 },
      // As `[[server.models]]` with `adapter = "synthetic"` configures it.
      { path: sharedModels.stories, id: "tales", contextSize: 256, sequences: 1, adapter: { name: "synthetic" } },
    ]);
    ({ dir, registry, server } = served);
    await writeMismatchedAdapter(path.join(dir, "narrow.gguf"));
  });
  afterAll(() => served?.[Symbol.asyncDispose]());

  it("gives the base text without the adapter and at scale 0, and the adapter's text by header and by alias", async () => {
    const base = await complete("stories");
    expect(base.status).toBe(200);
    expect(base.text).toContain(BASE_TEXT);
    expect(base.headers.get("x-wren-adapter")).toBeNull();

    const byHeader = await complete("stories", { "x-wren-adapter": "synthetic" });
    expect(byHeader.text).toContain(ADAPTED_TEXT);
    expect(byHeader.headers.get("x-wren-adapter")).toBe("synthetic:1");
    expect(byHeader.body["wren_provenance"]).toMatchObject({ adapter: "synthetic:1" });

    const byAlias = await complete("stories+synthetic");
    expect(byAlias.text).toBe(byHeader.text);
    expect((await complete("stories+synthetic:0")).text).toBe(base.text);
    expect((await complete("stories", { "x-wren-adapter": "synthetic:0" })).text).toBe(base.text);
  });

  it("applies a served model's configured adapter unless the request names another scale or adapter", async () => {
    const configured = await complete("tales");
    expect(configured.text).toContain(ADAPTED_TEXT);
    expect(configured.headers.get("x-wren-adapter")).toBe("synthetic:1");
    expect((await complete("tales", { "x-wren-adapter": "synthetic:0" })).text).toContain(BASE_TEXT);
  });

  it("uses an adapter registered while it runs, and swaps adapters between requests with no restart", async () => {
    const copy = path.join(dir, "second.gguf");
    await copyFile(sharedModels.lora, copy);
    await addAdapter(registry, copy, { name: "second", scale: 0.5 });
    const listed = (await (await fetch(`${server.url}/v1/adapters`)).json()) as { data: Array<{ id: string; scale: number }> };
    expect(listed.data.map((a) => [a.id, a.scale])).toEqual([
      ["synthetic", 1],
      ["second", 0.5],
    ]);
    const first = await complete("stories+synthetic");
    const second = await complete("stories+second");
    expect(second.status).toBe(200);
    expect(second.headers.get("x-wren-adapter")).toBe("second:0.5");
    expect(first.text).toContain(ADAPTED_TEXT);
    expect((await complete("stories+second:1")).text).toBe(first.text);
    expect((await complete("stories")).text).toContain(BASE_TEXT);
  });

  it("two concurrent requests with different adapters each get the text they get alone", async () => {
    const names = ["stories+synthetic", "stories+synthetic:0", "stories"];
    const alone: string[] = [];
    for (const name of names) alone.push((await complete(name)).text);
    const together = await Promise.all(names.map((name) => complete(name)));
    expect(together.map((r) => r.text)).toEqual(alone);
    expect(alone[0]).not.toBe(alone[1]);
  });

  it("refuses a missing or mismatched adapter with a 400 in the caller's dialect, before any generation", async () => {
    const missing = await complete("stories", { "x-wren-adapter": "nope" });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain("No adapter named 'nope'");

    // Registered without a base, so only the server's check against the base file catches it.
    await addAdapter(registry, path.join(dir, "narrow.gguf"), { name: "narrow" });
    const openai = await complete("stories+narrow");
    expect(openai.status).toBe(400);
    expect((openai.body as { error: { message: string } }).error.message).toMatch(/does not fit model 'stories'.*attn_q/);

    const anthropic = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-wren-adapter": "narrow" },
      body: JSON.stringify({ model: "stories", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(anthropic.status).toBe(400);
    const body = (await anthropic.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("does not fit");
    const routed = await complete("auto", { "x-wren-adapter": "synthetic" });
    expect(routed.status).toBe(400);
    expect(JSON.stringify(routed.body)).toContain("applies to local models served by name");
    // The server still answers afterwards: llama.cpp never saw the adapter.
    expect((await complete("stories")).text).toContain(BASE_TEXT);
  });
});
