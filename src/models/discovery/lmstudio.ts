import os from "node:os";
import path from "node:path";
import { splitInfo } from "../ref.js";
import { readFolder } from "./folder.js";
import type { DiscoveredModel, DiscoveryOptions } from "./types.js";

/** LM Studio's model folders: `~/.lmstudio/models` (current) and `~/.cache/lm-studio/models` (older). */
export function lmStudioDirs(options: DiscoveryOptions = {}): string[] {
  const home = options.home ?? os.homedir();
  return [path.join(home, ".lmstudio", "models"), path.join(home, ".cache", "lm-studio", "models")];
}

function isModelFile(name: string): boolean {
  // Vision projectors: `mmproj-model-f16.gguf`, and `model-mmproj-f16.gguf` in some repos.
  if (!name.toLowerCase().endsWith(".gguf") || /mmproj/i.test(name)) return false;
  const split = splitInfo(name);
  return !split || split.part === 1;
}

/** GGUF files laid out as `<publisher>/<repo>/<file>.gguf` under LM Studio's folders. */
export async function discoverLmStudioModels(options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const found: DiscoveredModel[] = [];
  const seen = new Set<string>();
  for (const root of lmStudioDirs(options)) {
    for (const publisher of await readFolder(root)) {
      if (!publisher.dir) continue;
      for (const repo of await readFolder(path.join(root, publisher.name))) {
        if (!repo.dir) continue;
        for (const file of await readFolder(path.join(root, publisher.name, repo.name))) {
          if (!file.file || !isModelFile(file.name)) continue;
          const name = `${publisher.name}/${repo.name}/${file.name}`;
          if (seen.has(name)) continue;
          seen.add(name);
          const full = path.join(root, publisher.name, repo.name, file.name);
          found.push({ name, path: full, size: file.size, source: "lmstudio" });
        }
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
