import type { Command } from "commander";

const modelsDirOption = ["--models-dir <dir>", "models directory (default: config models.dir, WREN_MODELS_DIR)"] as const;

/** `wren models list | info | fit | rm | prune | recommend`. */
export function registerModels(program: Command): void {
  const models = program.command("models").description("list, inspect, check, remove and recommend models");

  models
    .command("list")
    .description("models in the store, those Ollama and LM Studio already downloaded, and a running Ollama server's")
    .option("--json", "print one JSON object")
    .option("--catalog", "list wren's built-in catalog of models to pull by name instead")
    .option(...modelsDirOption)
    .action(async (options: { json?: boolean; catalog?: boolean; modelsDir?: string }) => {
      const { runList } = await import("./models-list-action.js");
      await runList(options);
    });

  models
    .command("info")
    .description("GGUF metadata of a model (architecture, parameters, context, chat template, quantisation, tensors) and its memory at a context")
    .argument("<ref>", "model reference (never downloads)")
    .option("--context <n>", "context size for the memory estimate (default: min(training context, 4096))")
    .option("--memory-limit <size>", "compare with this much memory instead of free RAM/VRAM, e.g. 512MB")
    .option("--json", "print one JSON object")
    .option(...modelsDirOption)
    .action(async (ref: string, options: InfoFlags) => {
      const { runInfo } = await import("./models-info-action.js");
      await runInfo(ref, options, false);
    });

  models
    .command("fit")
    .description("check that a model fits in memory at a context; fails (exit 3) with the largest context that would")
    .argument("<ref>", "model reference (never downloads)")
    .option("--context <n>", "context size (default: min(training context, 4096))")
    .option("--memory-limit <size>", "compare with this much memory instead of free RAM/VRAM, e.g. 512MB")
    .option(...modelsDirOption)
    .action(async (ref: string, options: InfoFlags) => {
      const { runInfo } = await import("./models-info-action.js");
      await runInfo(ref, options, true);
    });

  models
    .command("rm")
    .description("delete a downloaded model from the store (files of Ollama and LM Studio are never touched)")
    .argument("<ref>", "model reference as `wren models list` shows it")
    .option(...modelsDirOption)
    .action(async (ref: string, options: { modelsDir?: string }) => {
      const { runRemove } = await import("./models-store-action.js");
      await runRemove(ref, options);
    });

  // `ollama pull` and the other `models` verbs make `wren models pull` a natural guess; commander
  // alone answers "unknown command 'pull'" and names nothing to run instead.
  models
    .command("pull", { hidden: true })
    .argument("[words...]")
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const { WrenError } = await import("../../shared/errors.js");
      const line = ["wren", "pull", ...(words.length > 0 ? words : ["<ref>"])].join(" ");
      throw new WrenError("bad_request", "Models are downloaded with `wren pull`, not `wren models pull`.", { hint: `Run: ${line}` });
    });

  models
    .command("prune")
    .description("delete least recently used models until the store is at most --max-size")
    .requiredOption("--max-size <size>", "the most the store may hold, e.g. 50GB")
    .option("--dry-run", "only say what would be deleted")
    .option(...modelsDirOption)
    .action(async (options: { maxSize: string; dryRun?: boolean; modelsDir?: string }) => {
      const { runPrune } = await import("./models-store-action.js");
      await runPrune(options);
    });

  models
    .command("recommend")
    .description("the catalog model that suits this machine's memory")
    .option("--purpose <purpose>", "chat, code or embedding", "chat")
    .option("--memory-limit <size>", "plan for this much memory instead of free RAM/VRAM, e.g. 8GB")
    .action(async (options: { purpose: string; memoryLimit?: string }) => {
      const { runRecommend } = await import("./models-store-action.js");
      await runRecommend(options);
    });
}

export interface InfoFlags {
  context?: string;
  memoryLimit?: string;
  json?: boolean;
  modelsDir?: string;
}
