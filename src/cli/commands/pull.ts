import type { Command } from "commander";

/** `wren pull REF`: download a model into the store with progress, resuming and verifying it. */
export function registerPull(program: Command): void {
  program
    .command("pull")
    .description("download a model (hf:org/repo:Q4_K_M, hf:org/repo/file.gguf, https://…, or a catalog name) into the models directory")
    .argument("<ref>", "model reference")
    .option("--name <name>", "a short name to use the model by (it is also named by its file's stem)")
    .option("--offline", "never touch the network: only report whether the model is present")
    .option("--update", "check the Hub for a newer revision of a model already present and fetch it")
    .option("--models-dir <dir>", "models directory (default: config models.dir, WREN_MODELS_DIR)")
    .action(async (ref: string, options: { name?: string; offline?: boolean; update?: boolean; modelsDir?: string }) => {
      const { runPull } = await import("./pull-action.js");
      await runPull(ref, options);
    });
}
