import { Option, type Command } from "commander";
import type { ServeFlags } from "../../runtime/serve-main.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `wren serve`: the OpenAI/Anthropic/Gemini/Ollama-compatible server in the foreground. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve local models over the OpenAI (/v1), Anthropic (/v1/messages), Gemini (/v1beta) and Ollama (/api) APIs")
    .option("-m, --model <ref>", "model to serve (repeatable; default: server.models or models.default)", collect, [])
    .option("--host <address>", "address to listen on (default 127.0.0.1; anything else needs --api-key)")
    .option("-p, --port <n>", "TCP port (default 11435; 0 picks a free one)")
    .option("--api-key <key>", "key clients must send (prefer WREN_SERVER_API_KEY)")
    .option("--cors <origin>", "let web pages of this origin use the server, with CORS (repeatable; `*` any; pages on this machine need none)", collect, [])
    .addOption(new Option("--gpu <backend>", "llama.cpp backend").choices(["auto", "cuda", "vulkan", "metal", "cpu"]))
    .option("--threads <n>", "CPU threads (at most the machine's available parallelism)")
    .option("-c, --context <n>", "context size per sequence, in tokens (the same flag as `wren run`'s)")
    // The flag's earlier name, kept so scripts that pass it still work.
    .addOption(new Option("--context-size <n>").hideHelp())
    .option("--sequences <n>", "requests decoded at once per model")
    .option("--offline", "never touch the network to fetch a model")
    .option("--advertise", "announce this server to wren peers on the LAN over mDNS (needs peers.key or WREN_PEERS_KEY)")
    .addOption(new Option("--log-format <format>", "log lines: pretty (readable), json, or auto (pretty on a terminal)").choices(["auto", "json", "pretty"]))
    .addOption(new Option("--daemon", "run as the background daemon (used by `wren daemon start`)").hideHelp())
    .action(async (flags: ServeFlags) => {
      const { serveCommand } = await import("../../runtime/serve-main.js");
      process.exitCode = await serveCommand(flags);
    });
}
