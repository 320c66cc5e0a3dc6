import { flagsFromOptions, type ConfigFlags } from "../config/index.js";
import type { PrintFlags } from "./commands/print.js";

/**
 * The assistant's flags that stand for config keys, for `loadConfig`: a flag overrides the config
 * files' value for this run, so a key a project's wren.toml may not set is not held against a run
 * that gives the flag.
 */
export function agentConfigFlags(flags: Pick<PrintFlags, "permissionMode" | "offline">): ConfigFlags {
  return flagsFromOptions({ permissionMode: flags.permissionMode, offline: flags.offline === true ? true : undefined }, { permissionMode: "agent.permissionMode", offline: "router.offline" });
}
