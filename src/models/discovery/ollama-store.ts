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

/**
 * Ollama's models folders: `OLLAMA_MODELS` when set (Ollama uses only that), else `~/.ollama/models`
 * and, on Linux, `/usr/share/ollama/.ollama/models`: the official installer runs Ollama as a systemd
 * service under its own user `ollama`, whose home that is, and adds the installing user to its group.
 */
export function ollamaModelsDirs(options: DiscoveryOptions = {}): string[] {
  const env = options.env ?? process.env;
  const fromEnv = env["OLLAMA_MODELS"];
  if (fromEnv) return [fromEnv];
  const dirs = [path.join(options.home ?? os.homedir(), ".ollama", "models")];
  if ((options.platform ?? process.platform) === "linux") {
    const service = path.join(options.root ?? path.sep, "usr", "share", "ollama", ".ollama", "models");
    if (path.resolve(service) !== path.resolve(dirs[0] ?? "")) dirs.push(service);
  }
  return dirs;
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
 * Models in Ollama's stores (manifests/<host>/<namespace>/<model>/<tag> JSON whose model layer's digest
 * names blobs/sha256-<hex>, a plain GGUF file). Unreadable manifests, and manifests with no weights
 * (a cloud model's), are skipped; a name in two stores is the first store's.
 */
export async function discoverOllamaModels(options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const platform = options.platform ?? process.platform;
  const found: DiscoveredModel[] = [];
  const seen = new Set<string>();
  for (const root of ollamaModelsDirs(options)) {
    const manifests = path.join(root, "manifests");
    for (const host of await dirs(manifests)) {
      for (const namespace of await dirs(path.join(manifests, host))) {
        for (const model of await dirs(path.join(manifests, host, namespace))) {
          for (const tag of await files(path.join(manifests, host, namespace, model))) {
            const name = displayName(host, namespace, model, tag);
            if (seen.has(name)) continue;
            const entry = await readModel(root, path.join(manifests, host, namespace, model, tag), platform);
            if (!entry) continue;
            seen.add(name);
            found.push({ name, ...entry, source: "ollama" });
          }
        }
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The size of `file`, undefined when it is not there. */
async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * A manifest's model: its blob, or, when the blob is gone (deleted by hand), that blob marked missing.
 * Ollama before 0.1.30 named blobs `sha256:<hex>` on macOS and Linux (`sha256-<hex>` since, and
 * always on Windows); a newer Ollama renames them when it starts, so a store it never ran on has those.
 */
async function readModel(root: string, manifestFile: string, platform: NodeJS.Platform): Promise<{ path: string; size: number; missing?: boolean } | undefined> {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(manifestFile, "utf8")));
    if (!parsed.success) return undefined;
    const layer = parsed.data.layers.find((l) => l.mediaType === MODEL_MEDIA_TYPE);
    if (!layer || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) return undefined;
    const blob = path.join(root, "blobs", layer.digest.replace(":", "-"));
    const size = await sizeOf(blob);
    if (size !== undefined) return { path: blob, size };
    if (platform !== "win32") {
      const older = path.join(root, "blobs", layer.digest);
      const olderSize = await sizeOf(older);
      if (olderSize !== undefined) return { path: older, size: olderSize };
    }
    return { path: blob, size: layer.size ?? 0, missing: true };
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
