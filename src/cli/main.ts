import { Command, CommanderError, Help, type Option } from "commander";
import { registrationsFor } from "./commands/index.js";
import type { StartOptions } from "./commands/print.js";
import { reportError } from "./report-error.js";
import { wrenVersion } from "../shared/version.js";
import { keepWebAssemblyOnBaseline } from "../shell/wasm-tiering.js";

/**
 * Builds the command tree, or the part of it `argv` needs (see {@link registrationsFor}); without
 * `argv`, all of it. Each command's action imports its implementation lazily, so `wren --help`
 * and `wren --version` load no model and no heavy module.
 */
export function buildProgram(argv?: readonly string[], start: StartOptions = {}): Command {
  const program = new Command("wren")
    .description("Local-first AI runtime: run GGUF models, serve them to any client, route to the cloud when needed.")
    .version(wrenVersion(), "-v, --version", "print the version")
    .showSuggestionAfterError(true)
    .configureHelp({ optionDescription: describeOption })
    // Root options (`wren -p --model …`) stop at the command name, so `wren run --model` stays run's.
    .enablePositionalOptions()
    .exitOverride();
  for (const register of registrationsFor(argv)) register(program, start);
  return program;
}

/**
 * How an option's default is shown in help, for every command at once. A repeatable option starts
 * as an empty list, which commander would show as `(default: [])` after the description's own
 * default (`--model`: server.models or models.default): none is shown. A default given as the
 * text of a number or of true/false (`"20"`, which the action parses as typed values are) is shown
 * as commander shows a number, `(default: 20)`, not as a quoted string.
 */
function describeOption(this: Help, option: Option): string {
  const value: unknown = option.defaultValue;
  const literal = typeof value === "string" && option.defaultValueDescription === undefined && /^(?:-?\d+(?:\.\d+)?|true|false)$/.test(value);
  const emptyList = Array.isArray(value) && value.length === 0;
  if (!literal && !emptyList) return Help.prototype.optionDescription.call(this, option);
  const shown = Object.assign(Object.create(Object.getPrototypeOf(option) as object) as Option, option, emptyList ? { defaultValue: undefined } : { defaultValueDescription: value });
  return Help.prototype.optionDescription.call(this, shown);
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], start: StartOptions = {}): Promise<number> {
  // A command that ends soon after its work keeps WebAssembly on baseline code, so that its exit
  // does not wait for an optimizing compile of Node's HTTP parser (see wasm-tiering.ts); `wren
  // serve` (and the daemon, `serve --daemon`) runs for hours and keeps tier-up.
  if (argv[0] !== "serve") keepWebAssemblyOnBaseline();
  const program = buildProgram(argv, start);
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
