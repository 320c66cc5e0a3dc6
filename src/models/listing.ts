import { discoverLmStudioModels } from "./discovery/lmstudio.js";
import { listOllamaServerModels, type RemoteOllamaModel } from "./discovery/ollama-server.js";
import { discoverOllamaModels } from "./discovery/ollama-store.js";
import type { DiscoveryOptions } from "./discovery/types.js";
import type { FetchLike } from "./hub.js";
import { inspectGgufFile } from "./gguf-check.js";
import { readManifest } from "./manifest.js";
import { quantOfFileName } from "./ref.js";
import { absoluteEntryPath } from "./store.js";

/** One row of `wren models list`. */
export interface ListedModel {
  name: string;
  path: string;
  size: number;
  quant: string | null;
  family: string | null;
  context: number | null;
  lastUsed: string | null;
  source: "store" | "ollama" | "lmstudio";
}

export interface ModelListing {
  models: ListedModel[];
  /** A running Ollama server's models (used through the ollama: provider); undefined when none answers. */
  remote: { host: string; models: RemoteOllamaModel[] } | undefined;
}

export interface ListModelsOptions extends DiscoveryOptions {
  modelsDir: string;
  fetch?: FetchLike;
  /** Ask a running Ollama server (OLLAMA_HOST). Default true. */
  remote?: boolean;
}

async function headerFacts(file: string): Promise<{ quant: string | null; family: string | null; context: number | null }> {
  try {
    const summary = await inspectGgufFile(file);
    return { quant: summary.fileType ?? null, family: summary.architecture, context: summary.contextLength };
  } catch {
    return { quant: null, family: null, context: null };
  }
}

/** Everything wren can run here, with facts read from each GGUF header. */
export async function listModels(options: ListModelsOptions): Promise<ModelListing> {
  const models: ListedModel[] = [];
  const manifest = await readManifest(options.modelsDir);
  for (const entry of manifest.models) {
    // An entry naming a file outside the store (a hostile Hub's path) is not listed as runnable.
    let file: string;
    try {
      file = absoluteEntryPath(options.modelsDir, entry.file);
    } catch {
      continue;
    }
    const facts = await headerFacts(file);
    models.push({ name: entry.ref, path: file, size: entry.size, ...facts, quant: entry.quant ?? facts.quant, lastUsed: entry.lastUsed, source: "store" });
  }
  const discovered = [...(await discoverOllamaModels(options)), ...(await discoverLmStudioModels(options))];
  for (const found of discovered) {
    const facts = await headerFacts(found.path);
    models.push({ name: found.name, path: found.path, size: found.size, ...facts, quant: facts.quant ?? quantOfFileName(found.path) ?? null, lastUsed: null, source: found.source });
  }
  const remote = options.remote === false ? undefined : await listOllamaServerModels({ ...(options.env ? { env: options.env } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  return { models, remote };
}
