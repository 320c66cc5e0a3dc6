import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { splitInfo, splitPartNames } from "../ref.js";
import { readFolder, type FolderEntry } from "./folder.js";
import type { DiscoveredModel, DiscoveryOptions } from "./types.js";

/** A small file's text, undefined when it cannot be read. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** The models folder chosen in LM Studio (My Models, "Models Directory"): `downloadsFolder` in its home's settings.json. */
function downloadsFolder(lmStudioHome: string): string | undefined {
  const text = readText(path.join(lmStudioHome, "settings.json"));
  if (text === undefined) return undefined;
  try {
    const folder: unknown = (JSON.parse(text) as Record<string, unknown> | null)?.["downloadsFolder"];
    return typeof folder === "string" && path.isAbsolute(folder) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * LM Studio's model folders. Its home is the folder `~/.lmstudio-home-pointer` names, else
 * `~/.cache/lm-studio` (older versions) or `~/.lmstudio`; its models are in the `downloadsFolder` its
 * settings.json names, else `<home>/models`. Every candidate is looked in: a user who moved the folder
 * may have models left in the old one.
 */
export function lmStudioDirs(options: DiscoveryOptions = {}): string[] {
  const home = options.home ?? os.homedir();
  const pointed = readText(path.join(home, ".lmstudio-home-pointer"))?.trim();
  const homes = [...(pointed && path.isAbsolute(pointed) ? [pointed] : []), path.join(home, ".lmstudio"), path.join(home, ".cache", "lm-studio")];
  const dirs: string[] = [];
  for (const lmStudioHome of homes) {
    const chosen = downloadsFolder(lmStudioHome);
    for (const dir of [...(chosen ? [chosen] : []), path.join(lmStudioHome, "models")]) {
      if (!dirs.some((d) => path.resolve(d) === path.resolve(dir))) dirs.push(dir);
    }
  }
  return dirs;
}

function isModelFile(name: string): boolean {
  // Vision projectors: `mmproj-model-f16.gguf`, and `model-mmproj-f16.gguf` in some repos.
  if (!name.toLowerCase().endsWith(".gguf") || /mmproj/i.test(name)) return false;
  const split = splitInfo(name);
  return !split || split.part === 1;
}

/** Bytes of a model's file, or of all the parts of a split one that are there. */
function modelSize(file: FolderEntry, folder: readonly FolderEntry[]): number {
  if (!splitInfo(file.name)) return file.size;
  const parts = new Set(splitPartNames(file.name));
  return folder.filter((e) => e.file && parts.has(e.name)).reduce((sum, e) => sum + e.size, 0);
}

/** GGUF files laid out as `<publisher>/<repo>/<file>.gguf` under LM Studio's folders; a name in two folders is the first's. */
export async function discoverLmStudioModels(options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const found: DiscoveredModel[] = [];
  const seen = new Set<string>();
  for (const root of lmStudioDirs(options)) {
    for (const publisher of await readFolder(root)) {
      if (!publisher.dir) continue;
      for (const repo of await readFolder(path.join(root, publisher.name))) {
        if (!repo.dir) continue;
        const folder = await readFolder(path.join(root, publisher.name, repo.name));
        for (const file of folder) {
          if (!file.file || !isModelFile(file.name)) continue;
          const name = `${publisher.name}/${repo.name}/${file.name}`;
          if (seen.has(name)) continue;
          seen.add(name);
          const full = path.join(root, publisher.name, repo.name, file.name);
          found.push({ name, path: full, size: modelSize(file, folder), source: "lmstudio" });
        }
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
