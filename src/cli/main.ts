import { Command, CommanderError } from "commander";
import { registerAdapters } from "./commands/adapters.js";
import { registerCommands } from "./commands/index.js";
import { registerCompletion } from "./commands/completion.js";
import { registerMcp } from "./commands/mcp.js";
import { registerPrint } from "./commands/print.js";
import { registerSessions } from "./commands/sessions.js";
import { registerSetup } from "./commands/setup.js";
import { registerTrain } from "./commands/train.js";
import { reportError } from "./report-error.js";
import { readVersion } from "./version.js";

/**
 * Builds the command tree. Each command's action imports its implementation lazily, so
 * `wren --help` and `wren --version` load no model and no heavy module.
 */
export function buildProgram(): Command {
  const program = new Command("wren")
    .description("Local-first AI runtime: run GGUF models, serve them to any client, route to the cloud when needed.")
    .version(readVersion(), "-v, --version", "print the version")
    .showSuggestionAfterError(true)
    // Root options (`wren -p --model …`) stop at the command name, so `wren run --model` stays run's.
    .enablePositionalOptions()
    .exitOverride();
  registerCommands(program);
  registerSessions(program);
  registerAdapters(program);
  registerTrain(program);
  registerMcp(program);
  registerPrint(program);
  registerSetup(program);
  registerCompletion(program);
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version, or the usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error);
  }
}
