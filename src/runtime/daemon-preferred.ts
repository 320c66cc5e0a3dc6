import type { WrenConfig } from "../config/index.js";

/**
 * The model a client asks the daemon for when none is named: its own `models.default`, which its
 * project's wren.toml may set (the daemon reads no project file). An alias is sent as what it stands
 * for, and its own name follows: a daemon started without --model serves the user's default under
 * the alias's name. Undefined when `server.models` lists what the daemon serves: its first model
 * answers, as it always did.
 */
export function preferredDaemonModel(config: WrenConfig): string[] | undefined {
  if (config.server.models.length > 0) return undefined;
  const name = config.models.default;
  if (name === undefined) return undefined;
  // The project's own aliases are not the daemon's: it is sent what the alias stands for.
  const target = config.models.aliases[name];
  return target === undefined || target === name ? [name] : [target, name];
}

/**
 * What a model named for the run (`--model`) stands for when it is an alias in the client's own
 * configuration (its project's wren.toml may set one; the daemon reads no project file): see
 * `DaemonModelOptions.refTarget`. Undefined when `ref` is no alias.
 */
export function daemonRefTarget(config: WrenConfig, ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  const target = config.models.aliases[ref];
  return target === ref ? undefined : target;
}
