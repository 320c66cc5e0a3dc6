import type { Command } from "commander";

/** `wren doctor`: what this machine can run and where wren keeps things. */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("print OS, CPU, RAM, GPUs, the llama.cpp backends that load here (and why others do not), the models directory and the daemon's state")
    .option("--json", "print one JSON object")
    .option("--models-dir <dir>", "models directory (default: config models.dir, WREN_MODELS_DIR)")
    .action(async (options: { json?: boolean; modelsDir?: string }) => {
      const { runDoctor } = await import("./doctor-action.js");
      await runDoctor(options);
    });
}
