import { existsSync } from "node:fs";
import type { WrenConfig } from "../config/index.js";
import { isKnownProvider } from "../providers/registry.js";

/**
 * True when a `--model` value names something the router answers rather than a local model file:
 * `auto`, `default` or a configured route, or `provider:model` with a known or configured provider
 * (`openai:gpt-4o-mini`). A file on disk, a model alias, `hf:…` refs, URLs and store names such as
 * `qwen3:0.6b` stay local.
 */
export function isRoutedModelName(name: string | undefined, config: WrenConfig): boolean {
  if (!name) return false;
  if (config.models.aliases[name] !== undefined || existsSync(name)) return false;
  if (name === "auto" || name === "default" || config.router.routes[name] !== undefined) return true;
  const match = /^([a-z0-9][a-z0-9_-]*):(.+)$/i.exec(name);
  if (!match) return false;
  const provider = match[1]!.toLowerCase();
  // `local:` and `peer:` name what the CLI loads or finds itself, not a target it routes to.
  return provider !== "local" && provider !== "peer" && isKnownProvider(provider, config.router.providers);
}
