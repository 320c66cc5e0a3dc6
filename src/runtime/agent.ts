import { rmSync } from "node:fs";
import { Agent, type AgentEvent, type RunOutcome, type Session } from "../agent/index.js";
import type { WrenConfig } from "../config/index.js";
import type { PermissionMode } from "../permissions/types.js";
import type { Env } from "../shared/paths.js";
import { flagRules, openPermissionPolicy } from "./agent-permissions.js";
import { openSession } from "./agent-session.js";
import { builtinTools, toolSessionState } from "./agent-tools.js";
import { terminalCloudConsent } from "./cloud-consent-prompt.js";
import { openRoutedModel } from "./routed-run.js";

/**
 * The window compaction assumes for a cloud model: the smallest that current teachers offer
 * (128 k tokens). Local models use `engine.contextSize`.
 */
const CLOUD_CONTEXT_WINDOW = 128_000;

/** Options of {@link openAgentRun}: what `wren -p` was asked for. */
export interface AgentRunOptions {
  config: WrenConfig;
  /** `auto` (default), a route or `provider:model`; a resumed session keeps its own unless this is given. */
  model?: string | undefined;
  /** `--permission-mode`; default: the session's mode (`default` for a new one). */
  mode?: PermissionMode | undefined;
  allow: readonly string[];
  deny: readonly string[];
  /** Default 25. */
  maxTurns?: number | undefined;
  continueLast?: boolean;
  resume?: string | undefined;
  cwd: string;
  offline?: boolean;
  env?: Env;
  signal: AbortSignal;
}

/** A non-interactive agent run, ready to take its prompt. */
export interface OpenedAgentRun extends AsyncDisposable {
  session: Session;
  agent: Agent;
  /** USD spent on the router's answers so far in this run (0 for local models and unpriced targets). */
  costUsd(): number;
  run(prompt: string): AsyncGenerator<AgentEvent, RunOutcome>;
}

/**
 * Composes one `wren -p` run: the session (new, `--continue` or `--resume`), the router's model for
 * `auto` / a route / `provider:model` with its consent and provenance (the same as `wren run`), the
 * built-in tools with the session's shell, and the permission rules from the flags with nobody to
 * ask. The agent compacts past 80% of the context window of the model that answered last.
 */
export async function openAgentRun(options: AgentRunOptions): Promise<OpenedAgentRun> {
  const tools = builtinTools();
  const rules = flagRules(options.allow, options.deny);
  const session = await openSession({
    cwd: options.cwd,
    continueLast: options.continueLast ?? false,
    resume: options.resume,
    model: options.model ?? "auto",
    mode: options.mode,
    tools: tools.map((t) => t.name),
    ...(options.env ? { env: options.env } : {}),
  });
  const cleanup: Array<() => void | PromiseLike<void>> = [() => session[Symbol.dispose]()];
  const close = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    const opened = openRoutedModel({
      config: options.config,
      name: options.model ?? session.header.model,
      offline: options.offline ?? false,
      ask: terminalCloudConsent(),
      ...(options.env ? { env: options.env } : {}),
      signal: options.signal,
    });
    cleanup.push(() => opened[Symbol.asyncDispose]());
    let cost = 0;
    cleanup.push(opened.router.log.subscribe((d) => (cost += d.costUsd)));
    const policy = await openPermissionPolicy({ flagRules: rules, projectRoot: session.header.projectRoot, interactive: false, ...(options.env ? { env: options.env } : {}) });
    cleanup.push(() => policy[Symbol.dispose]());
    const state = toolSessionState(session.header.cwd);
    cleanup.push(() => state[Symbol.asyncDispose]());
    const agent = new Agent(session, {
      model: opened.model,
      tools,
      permissions: policy,
      maxTurns: options.maxTurns ?? 25,
      compaction: { contextWindow: (answeredBy) => (answeredBy === undefined || answeredBy.provider === "local" ? options.config.engine.contextSize : CLOUD_CONTEXT_WINDOW) },
      toolContext: (base) => state.extend(base),
    });
    return {
      session,
      agent,
      costUsd: () => cost,
      run: (prompt) => agent.run(prompt, { signal: options.signal }),
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    // A session that failed to start leaves no empty transcript behind.
    if (session.messages.length === 0) rmSync(session.file, { force: true });
    throw error;
  }
}
