import { loadPermissionRules } from "../../permissions/settings-file.js";
import { modeLabel } from "./modes.js";
import type { SessionController } from "./session-controller.js";

/** One slash command: what /help says and what it does. */
export interface SlashCommand {
  name: string;
  args?: string;
  summary: string;
  run(controller: SessionController, args: string): void | Promise<void>;
}

const KEYS = [
  "Enter send · \\ then Enter (or Shift+Enter) new line · ↑/↓ history · Tab complete a command",
  "Shift+Tab mode (default → accept edits → plan) · Ctrl+C cancel the turn (twice on an empty prompt: quit) · Esc interrupt",
  "Ctrl+G rate the last answer good · Ctrl+B rate it bad",
];

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  {
    name: "help",
    summary: "the commands and keys",
    run: (c) => c.notice({ tone: "info", text: [...SLASH_COMMANDS.map((s) => `/${s.name}${s.args ? ` ${s.args}` : ""}  ${s.summary}`), ...KEYS].join("\n") }),
  },
  {
    name: "clear",
    summary: "clear the screen (the session and its transcript go on)",
    run: (c) => c.clearScreen(),
  },
  {
    name: "model",
    summary: "the model this session asks, and who answered last",
    run: (c) => {
      const { status } = c.snapshot();
      const last = status.answeredBy ? `; the last turn was answered by ${status.answeredBy.provider}:${status.answeredBy.model} (${status.answeredBy.reason})` : "";
      c.notice({ tone: "info", text: `This session asks ${status.model}${last}.`, hint: "To use another model, start wren --model NAME (auto, a route or provider:model), or wren --continue --model NAME to keep this conversation." });
    },
  },
  {
    name: "plan",
    args: "[task]",
    summary: "switch to plan mode (read-only); with a task, plan it now",
    run: async (c, args) => {
      c.setMode("plan");
      if (args.trim()) await c.prompt(args.trim());
      else c.notice({ tone: "info", text: "Plan mode: only read-only tools run; the model ends with a plan for you to approve." });
    },
  },
  {
    name: "cost",
    summary: "tokens and money spent in this session",
    run: (c) => {
      const { status } = c.snapshot();
      c.notice({ tone: "info", text: `${status.inputTokens} tokens in, ${status.outputTokens} out; $${status.costUsd.toFixed(4)} (local models cost nothing).` });
    },
  },
  {
    name: "permissions",
    summary: "the mode and the rules in force from the settings files",
    run: async (c) => {
      const root = c.run?.session.header.projectRoot;
      const rules = root ? await loadPermissionRules({ projectRoot: root }) : [];
      const lines = rules.map((r) => `${r.action.padEnd(5)} ${r.pattern}  (${r.scope})`);
      c.notice({
        tone: "info",
        text: [`Mode: ${modeLabel(c.snapshot().mode)}`, ...(lines.length ? lines : ["No rules in the settings files."])].join("\n"),
        hint: "Answers “for this session” last until wren exits; “always” answers are saved to .wren/settings.toml (project) or settings.toml in wren's config directory (user).",
      });
    },
  },
  { name: "quit", summary: "leave wren", run: (c) => c.exit() },
];

/** Commands whose name starts with what was typed after the slash (`/` alone lists them all). */
export function completions(line: string): SlashCommand[] {
  const m = /^\/(\S*)$/.exec(line);
  if (!m) return [];
  const typed = m[1] ?? "";
  return SLASH_COMMANDS.filter((s) => s.name.startsWith(typed));
}

/** Runs a `/command args` line; an unknown command is said so, with the list. */
export async function runSlash(controller: SessionController, line: string): Promise<void> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line.trim());
  const name = m?.[1] ?? "";
  const command = SLASH_COMMANDS.find((s) => s.name === name);
  if (!command) {
    controller.notice({ tone: "error", text: `There is no command /${name}.`, hint: `Type /help for the list: ${SLASH_COMMANDS.map((s) => `/${s.name}`).join(", ")}.` });
    return;
  }
  await command.run(controller, m?.[2] ?? "");
}
