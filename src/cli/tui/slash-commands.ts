import { loadPermissionSettings } from "../../permissions/project-trust.js";
import { describeWaitingServer } from "../waiting-mcp-server.js";
import { visibleText } from "../../shared/visible-text.js";
import { complete, type Completion } from "./completion.js";
import { contextReport, contextUsage } from "./context-usage.js";
import { THEME_NAMES } from "./components/theme.js";
import { modeLabel } from "./modes.js";
import type { SessionController } from "./session-controller.js";
import { MCP_ACTIONS, mcpServerNames, runMcp } from "./slash-mcp.js";
import { runResume } from "./slash-resume.js";
import { runTheme } from "./slash-theme.js";

/** One slash command: what /help says and what it does. */
export interface SlashCommand {
  name: string;
  args?: string;
  summary: string;
  /**
   * The words its arguments may be, for completion: `words` are the arguments typed before the one
   * being completed. Absent: free text.
   */
  choices?(controller: SessionController, words: readonly string[]): readonly string[];
  run(controller: SessionController, args: string): void | Promise<void>;
}

/** The models /model offers: auto, the configured routes and teachers, the model aliases. */
function modelChoices(c: SessionController): string[] {
  const { router, models } = c.config;
  return [...new Set(["auto", ...Object.keys(router.routes), ...router.teachers, ...Object.keys(models.aliases), ...(c.choice.model ? [c.choice.model] : [])])];
}

const KEYS = [
  "Enter send · \\ then Enter (or Shift+Enter) new line · ←/→, Home/End (Ctrl+A/E) move · Ctrl+U/K/W delete to the line's start, its end, a word back · ↑/↓ history · Tab take the dim completion (a command, an @path, an earlier prompt)",
  "Ctrl+D quit on an empty prompt (else delete the character under the cursor)",
  "Shift+Tab mode (default → accept edits → plan) · Ctrl+C cancel the turn (twice on an empty prompt: quit) · Esc interrupt",
  "Ctrl+G rate the last answer good · Ctrl+B rate it bad · Ctrl+O show the latest folded tool output whole",
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
    args: "[name]",
    summary: "the model the next turns ask (auto, a route, provider:model); alone, the choices",
    choices: (c, words) => (words.length === 0 ? modelChoices(c) : []),
    run: async (c, args) => {
      const name = args.trim();
      const { status } = c.snapshot();
      if (!name) {
        const last = status.answeredBy ? `; the last turn was answered by ${status.answeredBy.provider}:${status.answeredBy.model} (${status.answeredBy.reason})` : "";
        c.notice({ tone: "info", text: `This session asks ${status.model}${last}.\nChoices: ${modelChoices(c).join(", ")}`, hint: "/model NAME switches the next turns to NAME (any provider:model works too); the conversation goes on." });
        return;
      }
      if (await c.reopen({ model: name })) c.notice({ tone: "success", text: `The next turns ask ${name}; the conversation goes on.` });
    },
  },
  {
    name: "local",
    args: "[off]",
    summary: "local only for this session: no request goes to a teacher (/local off undoes it)",
    choices: (_c, words) => (words.length === 0 ? ["off"] : []),
    run: async (c, args) => {
      const word = args.trim();
      if (word && word !== "off" && word !== "on") {
        c.notice({ tone: "error", text: `/local takes nothing, on or off, not “${word}”.`, hint: "/local keeps this session on this machine; /local off lets the router use teachers again." });
        return;
      }
      const offline = word !== "off";
      if (c.choice.offline === offline) {
        c.notice({ tone: "info", text: offline ? "This session is already local only." : "Teachers are already allowed in this session." });
        return;
      }
      if (await c.reopen({ offline })) {
        c.notice({ tone: "success", text: offline ? "Local only: until you leave (or /local off), the router never sends this session's requests to a teacher." : "Teachers allowed again: the router may send requests to them as configured." });
      }
    },
  },
  {
    name: "plan",
    args: "[--critique] [task]",
    summary: "switch to plan mode (read-only); with a task, plan it now; --critique: seven reviewers review the plan first",
    choices: (_c, words) => (words.length === 0 ? ["--critique"] : []),
    run: async (c, args) => {
      const critique = /^--critique(\s|$)/.test(args.trim());
      const task = critique ? args.trim().slice("--critique".length).trim() : args.trim();
      if (critique && !task) {
        c.notice({ tone: "error", text: "/plan --critique needs a task to plan.", hint: "For example: /plan --critique add a --json flag to wren sessions list" });
        return;
      }
      if (critique) return c.planWithCritique(task);
      // A mode its transcript refused is not taken: the task must not run in the mode before.
      if (!c.setMode("plan")) return;
      if (task) await c.prompt(task);
      else c.notice({ tone: "info", text: "Plan mode: only read-only tools run; the model ends with a plan for you to approve." });
    },
  },
  {
    name: "compact",
    summary: "summarise the older turns now, to free the context window",
    run: async (c) => {
      const run = c.run;
      if (!run) return c.notice({ tone: "info", text: "The session is still starting; try again in a moment." });
      await c.task(async (signal) => {
        const before = contextUsage(run.agent.request()).total;
        const done = await run.agent.compact(signal);
        if (!done) return c.notice({ tone: "info", text: "Nothing to compact yet: the conversation is no longer than the turns kept verbatim." });
        c.countUsage(done.usage);
        const after = contextUsage(run.agent.request()).total;
        c.notice({ tone: "success", text: `Compacted: ${done.messagesBefore} → ${done.messagesAfter} messages, ≈${before} → ≈${after} tokens.` });
      });
    },
  },
  {
    name: "context",
    summary: "what fills the context window: system prompt, tools, messages",
    run: (c) => {
      const run = c.run;
      if (!run) return c.notice({ tone: "info", text: "The session is still starting; try again in a moment." });
      const { status, modelLoad } = c.snapshot();
      // The local model's window as the status line shows it: the one it was loaded with (engine.contextSize
      // is only a guess, and an automatic context is known once loaded). A teacher's depends on the model.
      const window = status.answeredBy?.provider === "local" ? status.contextWindow : undefined;
      const loading = window === undefined && (modelLoad?.phase === "starting" || modelLoad?.phase === "loading") ? modelLoad.model : undefined;
      c.notice({ tone: "info", text: contextReport(contextUsage(run.agent.request()), window, loading).join("\n"), hint: "≈: counted at 4 characters a token; /compact summarises older turns." });
    },
  },
  {
    name: "mcp",
    args: "list | enable NAME | disable NAME | reload",
    summary: "the MCP servers of this session: list them, turn one on or off, restart them",
    choices: (c, words) => (words.length === 0 ? MCP_ACTIONS : words.length === 1 && (words[0] === "enable" || words[0] === "disable") ? mcpServerNames(c) : []),
    run: runMcp,
  },
  {
    name: "feedback",
    args: "good|bad [note]",
    summary: "rate the last answer, with an optional note (as Ctrl+G / Ctrl+B)",
    choices: (_c, words) => (words.length === 0 ? ["good", "bad"] : []),
    run: (c, args) => {
      const m = /^(good|bad)(?:\s+([\s\S]+))?$/.exec(args.trim());
      if (!m) return c.notice({ tone: "error", text: `/feedback takes good or bad, then a note if you like${args.trim() ? `, not “${args.trim()}”` : ""}.`, hint: "For example: /feedback bad it edited the wrong file" });
      c.rate(m[1] === "good" ? "good" : "bad", m[2]?.trim());
    },
  },
  {
    name: "resume",
    args: "[N | ID]",
    summary: "pick one of this project's earlier sessions to continue; /resume N (newest first) or ID continues one at once",
    run: runResume,
  },
  {
    name: "cost",
    summary: "tokens and money spent in this session",
    run: (c) => {
      const { status } = c.snapshot();
      const cache = [
        ...(status.cachedInputTokens === undefined ? [] : [`${status.cachedInputTokens} read from a prompt cache`]),
        ...(status.cacheWriteInputTokens === undefined ? [] : [`${status.cacheWriteInputTokens} written to one`]),
      ];
      const tokensIn = cache.length > 0 ? `${status.inputTokens} tokens in (${cache.join(", ")})` : `${status.inputTokens} tokens in`;
      c.notice({ tone: "info", text: `${tokensIn}, ${status.outputTokens} out; $${status.costUsd.toFixed(4)} (local models cost nothing).` });
    },
  },
  {
    name: "permissions",
    summary: "the mode and the rules in force from the settings files",
    run: async (c) => {
      const root = c.run?.session.header.projectRoot;
      const { rules, unaccepted } = root ? await loadPermissionSettings({ projectRoot: root }) : { rules: [], unaccepted: [] };
      const lines = [
        ...rules.map((r) => `${r.action.padEnd(5)} ${visibleText(r.pattern, { oneLine: true })}  (${r.scope})`),
        ...unaccepted.map((r) => `${r.action.padEnd(5)} ${visibleText(r.pattern, { oneLine: true })}  (project, not accepted: allows nothing until /trust)`),
      ];
      c.notice({
        tone: "info",
        text: [`Mode: ${modeLabel(c.snapshot().mode)}`, ...(lines.length ? lines : ["No rules in the settings files."])].join("\n"),
        hint: "Answers “for this session” last until wren exits; “always” answers are saved to .wren/settings.toml (project) or settings.toml in wren's config directory (user).",
      });
    },
  },
  {
    name: "trust",
    summary: "accept the allow rules of the project's .wren/settings.toml and the MCP servers it defines, which count or start only once you do",
    run: async (c) => {
      const run = c.run;
      if (!run) return c.notice({ tone: "error", text: "The session has not opened yet: try /trust again in a moment." });
      const patterns = run.projectRules.unaccepted();
      const servers = run.projectRules.unacceptedMcpServers();
      if (patterns.length === 0 && servers.length === 0) {
        return c.notice({ tone: "info", text: "Nothing of this project waits for you: every allow rule of its .wren/settings.toml counts, and every MCP server it defines started (or you turned it off)." });
      }
      if (patterns.length > 0) {
        const accepted = await run.projectRules.accept();
        c.notice({
          tone: "success",
          text: `Accepted for this project: ${accepted.map((p) => visibleText(p, { oneLine: true })).join(", ")}. They count from now on.`,
          hint: "A rule the file gains later waits for /trust again; wren trust --forget takes them all back.",
        });
      }
      if (servers.length > 0) {
        await run.projectRules.acceptMcpServers();
        const names = servers.map((s) => s.name);
        const listing = servers.map((s) => `  ${describeWaitingServer(s)}`).join("\n");
        const them = names.length === 1 ? "it" : "them";
        const accepted = `Accepted the project's MCP server${names.length === 1 ? "" : "s"} ${names.map((n) => visibleText(n, { oneLine: true })).join(", ")} for this project:\n${listing}`;
        const hint = "A server defined anew (a pull changed its command) waits for /trust again; wren trust --forget takes them all back.";
        // The run opens again, as /mcp reload does, so the servers start and offer their tools.
        if (await c.reopen({})) c.notice({ tone: "success", text: `${accepted}\nThe session's run opened again to start ${them} (the conversation goes on).`, hint });
        else c.notice({ tone: "info", text: `${accepted}\n${names.length === 1 ? "It starts" : "They start"} at the next /mcp reload, or in the next session.`, hint });
      }
    },
  },
  {
    name: "theme",
    args: "[dark | light | none]",
    summary: "the colour theme: show it, or switch and save it",
    choices: (_c, words) => (words.length === 0 ? THEME_NAMES : []),
    run: (c, args) => runTheme(c, args),
  },
  {
    name: "setup",
    summary: "run wren setup (model, cloud providers and keys, MCP servers), then come back to this session",
    run: (c) => c.requestSetup(),
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

/** The prompt's ghost text for `value`: commands and their arguments, `@path`, history, the idle suggestion. */
export function completeInput(controller: SessionController, value: string): Completion | undefined {
  return complete(value, {
    commands: SLASH_COMMANDS,
    argumentChoices: (name, words) => SLASH_COMMANDS.find((s) => s.name === name)?.choices?.(controller, words) ?? [],
    // Listed only once an `@` is typed: the walk starts on first use.
    get files() {
      return controller.files.files;
    },
    history: controller.history.entries,
    suggestion: controller.suggestion,
  });
}

/** Names other programs use, taken for wren's command: `/exit` leaves too. */
const ALIASES: Readonly<Record<string, string>> = { exit: "quit" };

/** Edits (insertions, deletions, substitutions, swaps of two neighbours) from `a` to `b`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The commands an unknown `/name` was likely meant as: a start of theirs, or a typo or two away. */
export function suggestCommands(name: string): string[] {
  const typed = name.toLowerCase();
  const starts = SLASH_COMMANDS.filter((c) => typed.length > 0 && c.name.startsWith(typed));
  if (starts.length > 0) return starts.map((c) => c.name);
  const near = SLASH_COMMANDS.map((c) => ({ name: c.name, d: distance(typed, c.name) })).filter((c) => c.d <= (c.name.length > 4 ? 2 : 1));
  return near.sort((a, b) => a.d - b.d).map((c) => c.name);
}

/**
 * Runs a `/command args` line; an unknown command is said so, with the likely one and the list. A
 * line whose first word is a path (`/etc/hosts: what is this?`) is no command: it goes as a prompt.
 */
export async function runSlash(controller: SessionController, line: string): Promise<void> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line.trim());
  const name = m?.[1] ?? "";
  const command = SLASH_COMMANDS.find((s) => s.name === (ALIASES[name] ?? name));
  if (!command) {
    if (name.includes("/")) return controller.prompt(line.trim());
    const likely = suggestCommands(name);
    controller.notice({
      tone: "error",
      text: `There is no command /${name}.${likely.length > 0 ? ` Did you mean ${likely.map((c) => `/${c}`).join(" or ")}?` : ""}`,
      hint: `Type /help for the list: ${SLASH_COMMANDS.map((s) => `/${s.name}`).join(", ")}.`,
    });
    return;
  }
  await command.run(controller, m?.[2] ?? "");
}
