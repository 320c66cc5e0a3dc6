import type { LoadedConfig } from "../../config/index.js";

/**
 * Whether the assistant's first start offers `wren setup`: no user config file, no project
 * `wren.toml`, and nothing in the environment that says which model or provider to use
 * (`WREN_MODELS_*`, `WREN_ROUTER_*`). Settings such as `WREN_ENGINE_THREADS` alone do not count:
 * they tune wren, they do not tell it what to answer with.
 */
export function offersSetup(loaded: Pick<LoadedConfig, "files" | "sources">): boolean {
  if (loaded.files.user?.exists || loaded.files.project !== undefined) return false;
  return !loaded.sources.some((s) => s.layer === "env" && (s.key.startsWith("models.") || s.key.startsWith("router.")));
}
