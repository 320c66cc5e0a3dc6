import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface FakeOllamaModel {
  /** Model name, e.g. `stories` or `someone/stories` (namespace). */
  name: string;
  tag?: string;
  /** The GGUF file whose bytes become the model blob. */
  source: string;
}

/**
 * Lays out an Ollama store under `root` (what `~/.ollama/models` or OLLAMA_MODELS holds):
 * manifests/registry.ollama.ai/<namespace>/<name>/<tag> JSON whose layers name blobs/sha256-<hex>.
 * Returns the blob path of each model, by `name:tag`.
 */
export function writeFakeOllamaStore(root: string, models: readonly FakeOllamaModel[]): Record<string, string> {
  const blobs = path.join(root, "blobs");
  mkdirSync(blobs, { recursive: true });
  const blobOf = (bytes: Buffer): { digest: string; size: number } => {
    const hex = createHash("sha256").update(bytes).digest("hex");
    writeFileSync(path.join(blobs, `sha256-${hex}`), bytes);
    return { digest: `sha256:${hex}`, size: bytes.length };
  };
  const paths: Record<string, string> = {};
  for (const model of models) {
    const tag = model.tag ?? "latest";
    const [namespace, name] = model.name.includes("/") ? model.name.split("/", 2) : ["library", model.name];
    const weights = blobOf(readFileSync(model.source));
    const params = blobOf(Buffer.from(JSON.stringify({ stop: ["</s>"] })));
    const config = blobOf(Buffer.from(JSON.stringify({ model_format: "gguf", model_family: "llama", file_type: "F32" })));
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", ...config },
      layers: [
        { mediaType: "application/vnd.ollama.image.model", ...weights },
        { mediaType: "application/vnd.ollama.image.params", ...params },
      ],
    };
    const dir = path.join(root, "manifests", "registry.ollama.ai", namespace ?? "library", name ?? model.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, tag), JSON.stringify(manifest));
    paths[`${model.name}:${tag}`] = path.join(blobs, `sha256-${weights.digest.slice(7)}`);
  }
  return paths;
}
