import type { Command } from "commander";
import { registerBench } from "./bench.js";
import { registerCmd } from "./cmd.js";
import { registerConfig } from "./config.js";
import { registerDoctor } from "./doctor.js";
import { registerModels } from "./models.js";
import { registerProbe } from "./probe.js";
import { registerPull } from "./pull.js";
import { registerRun } from "./run.js";
import { registerRouter } from "./router.js";
import { registerDaemon } from "./daemon.js";
import { registerServe } from "./serve.js";

/**
 * Every command registers itself here. Registration only declares options; the implementation is
 * imported inside the action so start-up stays light.
 */
export function registerCommands(program: Command): void {
  registerRun(program);
  registerConfig(program);
  registerCmd(program);
  registerPull(program);
  registerModels(program);
  registerDoctor(program);
  registerProbe(program);
  registerBench(program);
  registerRouter(program);
  registerServe(program);
  registerDaemon(program);
}
