import { Argument, type Command } from "commander";

/** The shells `wren completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;
export type Shell = (typeof SHELLS)[number];

/**
 * `wren completion SHELL`: prints a completion script built from the command tree itself, so it
 * always knows the commands, subcommands and flags of this version.
 */
export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script: source <(wren completion bash), or zsh, fish, powershell")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(SHELLS))
    .action(async (shell: Shell) => {
      const [{ completionTree }, { completionScript }] = await Promise.all([import("./completion-tree.js"), import("./completion-scripts.js")]);
      process.stdout.write(completionScript(shell, completionTree(program)));
    });
}
