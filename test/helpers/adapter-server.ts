import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { addAdapter } from "../../src/runtime/adapters.js";
import type { ServedModelSpec } from "../../src/runtime/serve-host.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { sharedModels } from "./shared-models.js";

/** What stories260K writes after "Once upon a time" (greedy) without an adapter, and with the synthetic LoRA. */
export const BASE_TEXT = "She loved to play outside in the park";
export const ADAPTED_TEXT = "She loved to play with her toys";

/** The base model the synthetic LoRA is registered for. */
export const storiesBase = { name: "stories", path: sharedModels.stories };

/** One `/v1/completions` answer: its status, text, headers and body. */
export interface Completion {
  status: number;
  text: string;
  headers: Headers;
  /** The `x-wren-adapter` header: the adapter applied, as `name:scale`. */
  adapter: string | null;
  body: Record<string, unknown>;
}

/** A `wren serve` of stories260K over an adapter registry in its own temporary folder, removed on dispose. */
export interface AdapterServer extends AsyncDisposable {
  server: RunningServer;
  /** The temporary folder. */
  dir: string;
  /** The adapter registry (`adapters.json` in `dir`), with `synthetic` registered for {@link storiesBase}. */
  registry: string;
  /** "Once upon a time" completed greedily (32 tokens) by `model`, with `headers`. */
  complete(model: string, headers?: Record<string, string>): Promise<Completion>;
}

/** Registers the synthetic LoRA as `synthetic` for stories260K, then serves `models` on loopback, on the CPU, loaded before it listens. */
export async function startAdapterServer(prefix: string, models: ServedModelSpec[]): Promise<AdapterServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const registry = path.join(dir, "adapters.json");
  let server: RunningServer;
  try {
    await addAdapter(registry, sharedModels.lora, { name: "synthetic", base: storiesBase });
    server = await startServer({ models, host: "127.0.0.1", port: 0, gpu: "cpu", threads: 1, preload: true, adapterRegistry: registry });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const complete = async (model: string, headers: Record<string, string> = {}): Promise<Completion> => {
    const res = await fetch(`${server.url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ model, prompt: "Once upon a time", temperature: 0, seed: 7, max_tokens: 32 }),
    });
    const body = (await res.json()) as { choices?: Array<{ text: string }> } & Record<string, unknown>;
    return { status: res.status, text: body.choices?.[0]?.text ?? "", headers: res.headers, adapter: res.headers.get("x-wren-adapter"), body };
  };
  return {
    server,
    dir,
    registry,
    complete,
    async [Symbol.asyncDispose]() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
