import type { EnvironmentFacts } from "./environment.js";
import type { InstructionFile } from "./instructions.js";

const ROLE = `You are wren, a coding assistant working in the user's project through tools.
Read before you change: look at files with the read-only tools, then edit them. Keep changes small and focused on the task.
Run commands with the Bash tool when it helps (tests, builds); never run destructive commands the task does not need.
A tool result that starts with "Permission denied" means the user's rules refused the call: do not retry it; work without it or say what needs permission.
When the task is done, answer with a short summary of what you did, without calling tools.`;

/**
 * The session's system prompt: the assistant's role, the project's and user's instruction files,
 * and a short environment block. Built once when a session starts and stored in its transcript, so
 * it never changes within the session (the engine reuses the cached prefix every turn).
 */
export function buildSystemPrompt(env: EnvironmentFacts, instructions: readonly InstructionFile[]): string {
  const parts = [ROLE];
  for (const file of instructions) parts.push(`Instructions from ${file.path}:\n${file.text}`);
  parts.push(
    ["Environment:", `- OS: ${env.os}`, `- Shell: ${env.shell}`, `- Working directory: ${env.cwd}`, `- Git: ${env.git}`, `- Date: ${env.date}`].join("\n"),
  );
  return parts.join("\n\n");
}
