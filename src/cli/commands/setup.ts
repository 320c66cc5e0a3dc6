import type { Command } from "commander";

/** `wren setup`: the first-run wizard, re-runnable to edit the user config. */
export function registerSetup(program: Command): void {
  program
    .command("setup")
    .description("set wren up in the terminal: local model or proxy-only, cloud providers and keys, cloud policy, MCP servers")
    .option("--offline", "never touch the network: keys are stored without being checked")
    .action(async (options: { offline?: boolean }) => {
      const { runSetup } = await import("../setup/run-setup.js");
      const result = await runSetup({ offline: options.offline ?? false });
      process.stdout.write(result.written ? `Saved ${result.path}. Check it any time with \`wren config validate\`.\n` : "Cancelled: nothing was written.\n");
      // Ctrl+C ends it as it ends any command: status 130 (128 + SIGINT), so a script sees it.
      if (result.interrupted) process.exitCode = 130;
    });
}
