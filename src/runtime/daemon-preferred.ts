import type { WrenConfig } from "../config/index.js";

/**
 * The model a client asks the daemon for when none is named: its own `models.default`, which its
 * project's wren.toml may set (the daemon reads no project file). Undefined when `server.models`
 * lists what the daemon serves: its first model answers, as it always did.
 */
export function preferredDaemonModel(config: WrenConfig): string | undefined {
  return config.server.models.length === 0 ? config.models.default : undefined;
}
