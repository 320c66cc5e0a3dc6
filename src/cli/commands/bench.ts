import { Option, type Command } from "commander";

export interface BenchFlags {
  vs?: string;
  vsModel?: string;
  vsApiKey?: string;
  json?: boolean;
  gpu?: string;
  threads?: string;
  context?: string;
  maxTokens?: string;
  rounds?: string;
  offline?: boolean;
}

/** `wren bench MODEL [--vs URL]`: this machine's speed with a model, optionally next to another server. */
export function registerBench(program: Command): void {
  program
    .command("bench")
    .description("measure prompt and decode tokens/s, time to first token, 4-stream throughput and memory with a model; --vs runs the same workload against another OpenAI-compatible server, side by side")
    .argument("<model>", "GGUF file path or model reference")
    .option("--vs <url>", "another OpenAI-compatible server (e.g. llama-server) to compare with")
    .option("--vs-model <name>", "the model name on --vs (default: the first it lists)")
    .option("--vs-api-key <key>", "API key for --vs (default: WREN_BENCH_VS_API_KEY)")
    .option("--json", "print one JSON object")
    .addOption(new Option("--gpu <backend>", "llama.cpp backend").choices(["auto", "cuda", "vulkan", "metal", "cpu"]))
    .option("--threads <n>", "CPU threads (at most the machine's available parallelism)")
    .option("-c, --context <n>", "context size in tokens per sequence")
    .option("-n, --max-tokens <n>", "tokens to generate per request (default 64)")
    .option("--rounds <n>", "rounds per figure; the median is shown (default 3)")
    .option("--offline", "never touch the network")
    .action(async (model: string, flags: BenchFlags) => {
      const { runBench } = await import("./bench-action.js");
      await runBench(model, flags);
    });
}
