import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAdapter, promoteAdapter, removeAdapter } from "../../src/runtime/adapters.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve applies the adapter promoted for a base model", () => {
  let server: RunningServer;
  let dir: string;
  let registry: string;
  const BASE_TEXT = "She loved to play outside in the park";
  const ADAPTED_TEXT = "She loved to play with her toys";
  const stories = { name: "stories", path: sharedModels.stories };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-promoted-"));
    registry = path.join(dir, "adapters.json");
    await addAdapter(registry, sharedModels.lora, { name: "synthetic", base: stories });
    server = await startServer({
      models: [
        { path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 },
        // Its own configured adapter wins over the promoted one.
        { path: sharedModels.stories, id: "pinned", contextSize: 256, sequences: 1, adapter: { name: "synthetic", scale: 0 } },
      ],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
      adapterRegistry: registry,
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const complete = async (model: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; adapter: string | null }> => {
    const res = await fetch(`${server.url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ model, prompt: "Once upon a time", temperature: 0, max_tokens: 32 }),
    });
    const body = (await res.json()) as { choices?: Array<{ text: string }> };
    return { status: res.status, text: body.choices?.[0]?.text ?? "", adapter: res.headers.get("x-wren-adapter") };
  };

  it("applies it from the next request after wren adapters promote, with no restart, to requests that name no adapter", async () => {
    const before = await complete("stories");
    expect(before.status).toBe(200);
    expect(before.text).toContain(BASE_TEXT);
    expect(before.adapter).toBeNull();

    await promoteAdapter(registry, "synthetic", stories, { force: true });
    const after = await complete("stories");
    expect(after.text).toContain(ADAPTED_TEXT);
    expect(after.adapter).toBe("synthetic:1");
    // A request can still ask for the base model's own text.
    const optedOut = await complete("stories", { "x-wren-adapter": "synthetic:0" });
    expect(optedOut.text).toContain(BASE_TEXT);
    // A served model with an adapter of its own keeps it.
    const pinned = await complete("pinned");
    expect(pinned.adapter).toBe("synthetic:0");
    expect(pinned.text).toContain(BASE_TEXT);
  });

  it("stops applying it once the adapter is removed from the registry", async () => {
    await removeAdapter(registry, "synthetic");
    const after = await complete("stories");
    expect(after.status).toBe(200);
    expect(after.text).toContain(BASE_TEXT);
    expect(after.adapter).toBeNull();
  });
});
