import { Option, type Command } from "commander";

export interface RunFlags {
  model?: string;
  json?: boolean;
  raw?: boolean;
  chat?: boolean;
  system?: string;
  temperature?: string;
  topP?: string;
  topK?: string;
  minP?: string;
  repeatPenalty?: string;
  seed?: string;
  stop: string[];
  maxTokens?: string;
  context?: string;
  gpu?: string;
  threads?: string;
  jsonSchema?: string;
  lora: string[];
  offline?: boolean;
  daemon?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wren run`: one prompt in, streamed tokens out, stats on stderr. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("generate text from a prompt with a local model, streaming it to stdout (stats go to stderr)")
    .argument("[prompt...]", "the prompt; `-` or none reads it from stdin, and text piped in follows a prompt given")
    .option("-m, --model <ref>", "GGUF file path or model reference (default: models.default); auto, a route or provider:model (openai:gpt-4o-mini) goes through the router")
    .option("--json", "print one JSON object (text, usage, timings, backend) instead of streaming")
    .option("--raw", "continue the prompt as plain text, without the chat template")
    .option("--chat", "use the model's chat template even when the model has none (generic format)")
    .option("--system <text>", "system prompt (chat mode)")
    .option("-t, --temperature <n>", "sampling temperature; 0 is greedy (default 0.8)")
    .option("--top-p <n>", "nucleus sampling probability mass")
    .option("--top-k <n>", "sample from the k most likely tokens")
    .option("--min-p <n>", "drop tokens less likely than this fraction of the best one")
    .option("--repeat-penalty <n>", "penalty for repeated tokens (1 = off)")
    .option("--seed <n>", "random seed: the same seed gives the same text")
    .option("--stop <text>", "stop before this text (repeatable)", collect, [])
    .option("-n, --max-tokens <n>", "maximum tokens to generate")
    .option("-c, --context <n>", "context size in tokens")
    .addOption(new Option("--gpu <backend>", "llama.cpp backend").choices(["auto", "cuda", "vulkan", "metal", "cpu"]))
    .option("--threads <n>", "CPU threads (at most the machine's available parallelism)")
    .option("--json-schema <schema>", "constrain output to a JSON schema (inline JSON or a file path)")
    .option("--lora <path[:scale]>", "apply a LoRA adapter (repeatable)", collect, [])
    .option("--offline", "never touch the network (the router never leaves this machine)")
    .option("--daemon", "ask the background daemon (started on demand, model kept loaded between runs) instead of loading the model here")
    .action(async (prompt: string[], flags: RunFlags) => {
      const { runCommand } = await import("../run.js");
      process.exitCode = await runCommand(prompt, flags);
    });
}
