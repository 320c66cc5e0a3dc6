import { discoverLmStudioModels } from "./discovery/lmstudio.js";
import { listOllamaServerModels, type RemoteOllamaModel } from "./discovery/ollama-server.js";
import { discoverOllamaModels, missingOllamaBlob } from "./discovery/ollama-store.js";
import type { DiscoveryOptions } from "./discovery/types.js";
import type { FetchLike } from "./hub.js";
import { inspectGgufFile } from "./gguf-check.js";
import { readManifest } from "./manifest.js";
import { partialDownloads, type PartialDownload } from "./partials.js";
import { quantOfFileName } from "./ref.js";
import { absoluteEntryPath } from "./store.js";
import { toWrenError } from "../shared/errors.js";

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
  /** `ok`; `missing` (its file is gone); `damaged` (its header fails wren's checks: it would not load). */
  status: "ok" | "missing" | "damaged";
  /** Why it cannot run, when its status is not `ok`. */
  problem: string | null;
}

export interface ModelListing {
  models: ListedModel[];
  /** A running Ollama server's models (used through the ollama: provider); undefined when none answers. */
  remote: { host: string; models: RemoteOllamaModel[] } | undefined;
  /** Unfinished downloads of models not in the store (interrupted first pulls). */
  partial: PartialDownload[];
}

export interface ListModelsOptions extends DiscoveryOptions {
  modelsDir: string;
  fetch?: FetchLike;
  /** Ask a running Ollama server (OLLAMA_HOST). Default true. */
  remote?: boolean;
  /** Offline (`router.offline`, `--offline`): OLLAMA_HOST is asked only on this machine's loopback. Default false. */
  offline?: boolean;
}

type HeaderFacts = Pick<ListedModel, "quant" | "family" | "context" | "status" | "problem">;

async function headerFacts(file: string, options: DiscoveryOptions): Promise<HeaderFacts> {
  try {
    const summary = await inspectGgufFile(file, options);
    return { quant: summary.fileType ?? null, family: summary.architecture, context: summary.contextLength, status: "ok", problem: null };
  } catch (error) {
    const wren = toWrenError(error);
    const problem = wren.hint ? `${wren.message} ${wren.hint}` : wren.message;
    return { quant: null, family: null, context: null, status: wren.code === "model_not_found" ? "missing" : "damaged", problem };
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
    const read = await headerFacts(file, options);
    const facts: HeaderFacts =
      read.status === "missing" ? { ...read, problem: `its file ${file} is missing. Pull it again (\`wren pull ${entry.ref}\`) or remove it (\`wren models rm ${entry.ref}\`).` } : read;
    models.push({ name: entry.ref, path: file, size: entry.size, ...facts, quant: entry.quant ?? facts.quant, lastUsed: entry.lastUsed, source: "store" });
  }
  const discovered = [...(await discoverOllamaModels(options)), ...(await discoverLmStudioModels(options))];
  for (const found of discovered) {
    if (found.missing) {
      const problem = `its file ${found.path} is missing from Ollama's models folder. ${missingOllamaBlob(found).hint ?? ""}`.trim();
      const facts: HeaderFacts = { quant: null, family: null, context: null, status: "missing", problem };
      models.push({ name: found.name, path: found.path, size: found.size, ...facts, lastUsed: null, source: found.source });
      continue;
    }
    const facts = await headerFacts(found.path, options);
    models.push({ name: found.name, path: found.path, size: found.size, ...facts, quant: facts.quant ?? quantOfFileName(found.path) ?? null, lastUsed: null, source: found.source });
  }
  const remote = options.remote === false ? undefined : await listOllamaServerModels({ ...(options.env ? { env: options.env } : {}), ...(options.fetch ? { fetch: options.fetch } : {}), offline: options.offline ?? false });
  return { models, remote, partial: await partialDownloads(options.modelsDir) };
}
