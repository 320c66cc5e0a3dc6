import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { WrenError } from "../../shared/errors.js";
import { readFolder } from "./folder.js";
import type { DiscoveredModel, DiscoveryOptions } from "./types.js";

const MODEL_MEDIA_TYPE = "application/vnd.ollama.image.model";

const manifestSchema = z.looseObject({
  layers: z.array(z.looseObject({ mediaType: z.string(), digest: z.string(), size: z.number().nullish() })),
});

/** Ollama's models folder: `OLLAMA_MODELS`, else `~/.ollama/models`. */
export function ollamaModelsDir(options: DiscoveryOptions = {}): string {
  const env = options.env ?? process.env;
  return env["OLLAMA_MODELS"] || path.join(options.home ?? os.homedir(), ".ollama", "models");
}

async function dirs(folder: string): Promise<string[]> {
  return (await readFolder(folder)).filter((e) => e.dir).map((e) => e.name);
}

async function files(folder: string): Promise<string[]> {
  return (await readFolder(folder)).filter((e) => e.file).map((e) => e.name);
}

/** The name Ollama shows: `library` on its own registry is left out (`llama3.2:3b`). */
function displayName(host: string, namespace: string, model: string, tag: string): string {
  if (host === "registry.ollama.ai") return namespace === "library" ? `${model}:${tag}` : `${namespace}/${model}:${tag}`;
  return `${host}/${namespace}/${model}:${tag}`;
}

/**
 * Models in Ollama's store (manifests/<host>/<namespace>/<model>/<tag> JSON whose model layer's digest
 * names blobs/sha256-<hex>, a plain GGUF file). Unreadable manifests are skipped.
 */
export async function discoverOllamaModels(options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const root = ollamaModelsDir(options);
  const found: DiscoveredModel[] = [];
  const manifests = path.join(root, "manifests");
  for (const host of await dirs(manifests)) {
    for (const namespace of await dirs(path.join(manifests, host))) {
      for (const model of await dirs(path.join(manifests, host, namespace))) {
        for (const tag of await files(path.join(manifests, host, namespace, model))) {
          const entry = await readModel(root, path.join(manifests, host, namespace, model, tag));
          if (entry) found.push({ name: displayName(host, namespace, model, tag), ...entry, source: "ollama" });
        }
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** A manifest's model: its blob, or, when the blob is gone (deleted by hand), that blob marked missing. */
async function readModel(root: string, manifestFile: string): Promise<{ path: string; size: number; missing?: boolean } | undefined> {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(manifestFile, "utf8")));
    if (!parsed.success) return undefined;
    const layer = parsed.data.layers.find((l) => l.mediaType === MODEL_MEDIA_TYPE);
    if (!layer || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) return undefined;
    const blob = path.join(root, "blobs", layer.digest.replace(":", "-"));
    try {
      return { path: blob, size: (await stat(blob)).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return undefined;
      return { path: blob, size: layer.size ?? 0, missing: true };
    }
  } catch {
    return undefined;
  }
}

/**
 * The error for an Ollama model whose blob is gone: Ollama downloads it again (wren reads Ollama's
 * models in place and never writes there; `wren pull` would fetch something else, or nothing).
 */
export function missingOllamaBlob(model: DiscoveredModel): WrenError {
  return new WrenError("model_not_found", `Ollama's model ${model.name} has lost its file: ${model.path} is missing from Ollama's models folder.`, {
    hint: `Download it again with \`ollama pull ${model.name}\`, or remove it with \`ollama rm ${model.name}\`.`,
  });
}

/**
 * Finds an Ollama model by name; a name without a tag means `:latest`, and `library/` (Ollama's
 * namespace for its own models, which it leaves out when it shows them) may be written or not.
 */
export function matchOllamaName(models: readonly DiscoveredModel[], name: string): DiscoveredModel | undefined {
  const tagged = name.includes(":") ? name : `${name}:latest`;
  const wanted = tagged.startsWith("library/") ? tagged.slice("library/".length) : tagged;
  return models.find((m) => m.name === wanted);
}
