import { readdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { splitInfo } from "../ref.js";
import type { DiscoveredModel, DiscoveryOptions } from "./types.js";

/** LM Studio's model folders: `~/.lmstudio/models` (current) and `~/.cache/lm-studio/models` (older). */
export function lmStudioDirs(options: DiscoveryOptions = {}): string[] {
  const home = options.home ?? os.homedir();
  return [path.join(home, ".lmstudio", "models"), path.join(home, ".cache", "lm-studio", "models")];
}

async function entries(folder: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    return (await readdir(folder, { withFileTypes: true })).map((d) => ({ name: d.name, dir: d.isDirectory() }));
  } catch {
    return [];
  }
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
    for (const publisher of await entries(root)) {
      if (!publisher.dir) continue;
      for (const repo of await entries(path.join(root, publisher.name))) {
        if (!repo.dir) continue;
        for (const file of await entries(path.join(root, publisher.name, repo.name))) {
          if (file.dir || !isModelFile(file.name)) continue;
          const name = `${publisher.name}/${repo.name}/${file.name}`;
          if (seen.has(name)) continue;
          seen.add(name);
          const full = path.join(root, publisher.name, repo.name, file.name);
          found.push({ name, path: full, size: (await stat(full)).size, source: "lmstudio" });
        }
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
