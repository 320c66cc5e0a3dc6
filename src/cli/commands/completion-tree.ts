import type { Command, Help } from "commander";
import { catalog } from "../../models/catalog.js";

/** A word the shell may complete, with its description. */
export interface CompletionWord {
  name: string;
  description: string;
}

/** What completes after one command path (`""` for `wren` itself, `"models list"`…). */
export interface CompletionNode {
  path: string;
  /** Subcommands and argument values (catalog names after `pull`). */
  words: CompletionWord[];
  /** Long and short flags. */
  flags: CompletionWord[];
}

/** Argument values known without running anything: the catalog's names for `wren pull`. */
const STATIC_ARGUMENTS: Record<string, () => CompletionWord[]> = {
  pull: () => catalog.map((entry) => ({ name: entry.name, description: entry.description })),
};

function flagsOf(help: Help, command: Command): CompletionWord[] {
  const flags: CompletionWord[] = [];
  for (const option of help.visibleOptions(command)) {
    if (option.long) flags.push({ name: option.long, description: option.description });
    if (option.short) flags.push({ name: option.short, description: option.description });
  }
  return flags;
}

/**
 * Every command path of the program with its subcommands and flags, read from commander's own
 * definitions so completions follow the commands as they change. Model names are static: the
 * catalog's, after `pull` (listing the store would cost a start-up per key press).
 */
export function completionTree(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const help = program.createHelp();
  const visit = (command: Command, path: string): void => {
    // commander's own view of what help lists: hidden commands and options stay hidden here too.
    const visible = help.visibleCommands(command).filter((c) => c.name() !== "help");
    nodes.push({
      path,
      words: [
        ...visible.map((c) => ({ name: c.name(), description: c.description() })),
        // An argument with fixed choices (`completion <shell>`) completes to them.
        ...(command.registeredArguments[0]?.argChoices ?? []).map((choice) => ({ name: choice, description: "" })),
        ...(STATIC_ARGUMENTS[path]?.() ?? []),
      ],
      flags: flagsOf(help, command),
    });
    for (const sub of visible) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, "");
  return nodes;
}
