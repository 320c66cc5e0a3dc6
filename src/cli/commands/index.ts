import type { Command } from "commander";
import { registerAdapters } from "./adapters.js";
import { registerBench } from "./bench.js";
import { registerCmd } from "./cmd.js";
import { registerCompletion } from "./completion.js";
import { registerConfig } from "./config.js";
import { registerDaemon } from "./daemon.js";
import { registerDoctor } from "./doctor.js";
import { registerMcp } from "./mcp.js";
import { registerModels } from "./models.js";
import { registerPeers } from "./peers.js";
import { registerPrint, type StartOptions } from "./print.js";
import { registerProbe } from "./probe.js";
import { registerPull } from "./pull.js";
import { registerRouter } from "./router.js";
import { registerRun } from "./run.js";
import { registerServe } from "./serve.js";
import { registerSessions } from "./sessions.js";
import { registerSetup } from "./setup.js";
import { registerTrain } from "./train.js";
import { registerTrust } from "./trust.js";

/** Declares part of the command tree on the program. */
export type Registration = (program: Command, start?: StartOptions) => void;

/**
 * wren's top-level commands by name, in the order `wren --help` lists them. Registration only
 * declares options; the implementation is imported inside the action so start-up stays light.
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, register: Registration]> = [
  ["run", registerRun],
  ["config", registerConfig],
  ["cmd", registerCmd],
  ["pull", registerPull],
  ["models", registerModels],
  ["doctor", registerDoctor],
  ["probe", registerProbe],
  ["bench", registerBench],
  ["router", registerRouter],
  ["serve", registerServe],
  ["daemon", registerDaemon],
  ["peers", registerPeers],
  ["sessions", registerSessions],
  ["trust", registerTrust],
  ["adapters", registerAdapters],
  ["train", registerTrain],
  ["mcp", registerMcp],
  ["setup", registerSetup],
  ["completion", registerCompletion],
];

/** The root's own options and words: `wren -p "task"`, and `wren` (the terminal UI). */
export const ROOT: Registration = registerPrint;

/** Commands that read the whole tree (shell completion lists every command and flag). */
const NEEDS_WHOLE_TREE = new Set(["completion", "help"]);

/**
 * What `argv` needs of the command tree. Declaring every command's options is work `wren cmd
 * --check` (a shell hook), `wren -p` and the terminal UI repeat at each start, so: a command named
 * first gets its own part; a run naming no command gets the root's; anything else (help, a
 * command's name later in the words, shell completion) and no `argv` at all get the whole tree.
 */
export function registrationsFor(argv?: readonly string[]): Registration[] {
  const whole = [...COMMANDS.map(([, register]) => register), ROOT];
  if (argv === undefined || argv.some((arg) => arg === "-h" || arg === "--help")) return whole;
  const named = (arg: string | undefined): boolean => arg !== undefined && (NEEDS_WHOLE_TREE.has(arg) || COMMANDS.some(([name]) => name === arg));
  const first = COMMANDS.find(([name]) => name === argv[0]);
  if (first && !NEEDS_WHOLE_TREE.has(first[0])) return [first[1]];
  if (argv.some(named)) return whole;
  return [ROOT];
}
