import type { Command } from "commander";
import { registerConfig } from "./config.js";

/**
 * Every command registers itself here. Registration only declares options; the implementation is
 * imported inside the action so start-up stays light.
 */
export function registerCommands(program: Command): void {
  registerConfig(program);
}
