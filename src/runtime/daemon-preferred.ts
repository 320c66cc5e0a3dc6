import type { WrenConfig } from "../config/index.js";

/**
 * The model a client asks the daemon for when none is named: its own `models.default`, which its
 * project's wren.toml may set (the daemon reads no project file), an alias as what it stands for. Undefined when `server.models`
 * lists what the daemon serves: its first model answers, as it always did.
 */
export function preferredDaemonModel(config: WrenConfig): string | undefined {
  if (config.server.models.length > 0) return undefined;
  const name = config.models.default;
  // The project's own aliases are not the daemon's: it is sent what the alias stands for.
  return name === undefined ? undefined : (config.models.aliases[name] ?? name);
}
