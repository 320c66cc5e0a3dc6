import { Option, type Command } from "commander";
import type { FirstFrame } from "../tui/first-frame.js";
import { helpTarget, noTerminalMessage, ollamaCommandGiven, refuseRootOptionsBefore, unknownCommandMessage } from "./root-usage.js";

/** `wren -p` flags. */
export interface PrintFlags {
  print?: boolean;
  outputFormat: "text" | "json" | "stream-json";
  model?: string;
  allow: string[];
  deny: string[];
  trustProject?: boolean;
  permissionMode?: "default" | "accept-edits" | "plan" | "bypass";
  maxTurns?: string;
  continue?: boolean;
  resume?: string;
  offline?: boolean;
  daemon?: boolean;
}

/** What the entry point did before the command tree was built. */
export interface StartOptions {
  /**
   * The terminal UI's first frame, when the entry point drew it before loading the command tree
   * (bare `wren` in a terminal). Absent: the terminal UI draws it itself.
   */
  firstFrame?: FirstFrame;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Why the terminal UI does not open where TERM=dumb, and what to run instead. */
const DUMB_TERMINAL = `wren's terminal interface needs a terminal that can move its cursor, and this one says it cannot (TERM=dumb).
Run one task with wren -p "fix the failing test", or start wren in a full terminal (TERM=xterm-256color, for example).`;

/**
 * `wren -p "task"`: the coding assistant runs one task and exits. Root options (before any
 * command). Without `-p`, in a terminal, `wren` and `wren "first prompt"` open the terminal UI
 * with the same flags; without a terminal, no words says that the assistant needs one (and names
 * `wren -p`), and an unknown word is an unknown command.
 */
export function registerPrint(program: Command, start: StartOptions = {}): void {
  program
    .argument("[prompt...]", "with -p: the task; `-` or none reads it from stdin, and text piped in follows a task given")
    .option("-p, --print", "run the coding assistant on one task, non-interactively, and exit")
    .addOption(new Option("--output-format <format>", "with -p: text, one json object, or stream-json (one event per line)").choices(["text", "json", "stream-json"]).default("text"))
    .option("--model <name>", "with -p: auto (default), a route or provider:model")
    .option("--allow <rule>", 'with -p: allow calls this rule matches, e.g. "Edit(src/**)" or "Bash(npm test)" (repeatable)', collect, [])
    .option("--deny <rule>", "with -p: refuse calls this rule matches (repeatable)", collect, [])
    .option("--trust-project", "count the allow rules of the project's .wren/settings.toml, and start the MCP servers it defines, in this run, whether or not you accepted them (wren trust)")
    .addOption(new Option("--permission-mode <mode>", "with -p: default, accept-edits, plan (read-only; the plan is the result) or bypass").choices(["default", "accept-edits", "plan", "bypass"]))
    .option("--max-turns <n>", "with -p: stop after this many model turns (default: agent.maxTurns in the config, 25)")
    .option("--continue", "with -p: continue the last session started in this directory")
    .option("--resume <id>", "with -p: continue session ID (see wren sessions list)")
    .option("--offline", "with -p: never leave this machine")
    .option("--daemon", "with -p: reach the model through the background daemon (started on demand), which keeps it loaded between runs (the default for local models)")
    .option("--no-daemon", "with -p: load the local model in this process")
    .hook("preSubcommand", (root, sub) => refuseRootOptionsBefore(root, sub))
    .action(async (words: string[], flags: PrintFlags, command: Command) => {
      if (!flags.print) {
        // The root has an action, so commander adds no `help` command of its own: `wren help [COMMAND]`.
        const commandNames = command.commands.map((c) => c.name());
        const help = helpTarget(words, commandNames);
        if (help) (command.commands.find((c) => c.name() === help.command) ?? command).help();
        // `wren list`, `wren rm MODEL`: Ollama's words for wren's model commands, not a task.
        const ollama = ollamaCommandGiven(words);
        if (ollama) throw ollama;
        // In a terminal, `wren` and `wren "first prompt"` open the assistant's terminal UI.
        if (process.stdin.isTTY && process.stdout.isTTY) {
          // Emacs' shell buffers and other plain terminals would show the interface's redraws as
          // screens of escape codes.
          if (process.env["TERM"] === "dumb") command.error(DUMB_TERMINAL, { exitCode: 2 });
          // The prompt is on the screen before the terminal UI's modules (Ink, React, the config) load.
          const frame = start.firstFrame ?? (await import("../tui/first-frame.js")).drawFirstFrame(flags.model ?? "auto");
          const { runTui } = await import("../tui/run-tui.js");
          process.exitCode = await runTui(words, flags, frame);
          return;
        }
        // A run naming no command declares only the root's options: the help lists every command.
        const { buildProgram } = await import("../main.js");
        const program = buildProgram();
        if (words.length === 0) {
          // Bare `wren` from a pipe or a script: the help, then why no assistant opened (the last
          // line a person sees) and the `wren -p` that runs a task without a terminal.
          program.outputHelp({ error: true });
          command.error(`\n${noTerminalMessage({ stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true })}`, { exitCode: 2 });
        }
        command.error(unknownCommandMessage(words, program.commands.map((c) => c.name())));
      }
      const { runPrint } = await import("../print.js");
      process.exitCode = await runPrint(words, flags);
    });
}
