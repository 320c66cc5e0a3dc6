import { Option, type Command } from "commander";

export interface ProbeFlags {
  json?: boolean;
  gpu?: string;
  threads?: string;
  context?: string;
  maxTokens?: string;
  offline?: boolean;
}

/** `wren probe MODEL`: what a model is and how it runs here. */
export function registerProbe(program: Command): void {
  program
    .command("probe")
    .description("load a model and report what it is (architecture, parameters, quantisation, context, template), the backend and GPU layers, and one short generation with tokens/s")
    .argument("<model>", "GGUF file path or model reference")
    .option("--json", "print one JSON object")
    .addOption(new Option("--gpu <backend>", "llama.cpp backend").choices(["auto", "cuda", "vulkan", "metal", "cpu"]))
    .option("--threads <n>", "CPU threads (at most the machine's available parallelism)")
    .option("-c, --context <n>", "context size in tokens")
    .option("-n, --max-tokens <n>", "tokens to generate (default 32)")
    .option("--offline", "never touch the network")
    .action(async (model: string, flags: ProbeFlags) => {
      const { runProbe } = await import("./probe-action.js");
      await runProbe(model, flags);
    });
}
