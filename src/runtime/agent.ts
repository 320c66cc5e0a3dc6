import { rmSync } from "node:fs";
import path from "node:path";
import { Agent, environmentFacts, findProjectRoot, removeSessionIfEmpty, type AgentEvent, type EnvironmentFacts, type Interaction, type RunOutcome, type Session } from "../agent/index.js";
import { critiquePlan, type PlanCritique } from "../agent/plan-critique.js";
import type { LoadedConfig, WrenConfig } from "../config/index.js";
import { flagRules } from "../permissions/rule-syntax.js";
import { acceptProjectMcpServers } from "../permissions/project-trust.js";
import type { PermissionMode } from "../permissions/types.js";
import type { LanguageModel, Provenance } from "../protocol/index.js";
import type { McpServerUpdate } from "../tools/mcp/connect.js";
import type { AskUserFn } from "../tools/tool.js";
import type { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import { backgroundLocal, daemonOnlyLoader } from "./agent-background-load.js";
import { daemonByDefault, daemonRef, openAgentDaemonModel } from "./agent-daemon-model.js";
import type { DaemonModelLoader } from "./daemon-loader.js";
import type { DaemonNotice } from "./daemon-notice.js";
import { daemonRefTarget, preferredDaemonModel } from "./daemon-preferred.js";
import type { ModelLoadHandle } from "./model-load-state.js";
import { openSessionMcp, type WaitingMcpServer } from "./agent-mcp.js";
import { openPermissionPolicy } from "./agent-permissions.js";
import { openSession } from "./agent-session.js";
import { builtinTools, toolSessionState } from "./agent-tools.js";
import { terminalCloudConsent } from "./cloud-consent-prompt.js";
import { loadProjectMcpConsent } from "./project-mcp-consent.js";
import { isRoutedModelName } from "./routed-name.js";
import { openRoutedModel } from "./routed-run.js";

/**
 * The window compaction assumes for a cloud model: the smallest that current teachers offer
 * (128 k tokens). Local models use `engine.contextSize`.
 */
const CLOUD_CONTEXT_WINDOW = 128_000;

/**
 * How long a session with someone at the terminal waits for its MCP servers before it opens with
 * those that are ready: long enough for a server that starts normally (and for one that fails at
 * once to be reported with the others), short enough that a hung one does not hold the first prompt.
 */
export const INTERACTIVE_MCP_WAIT_MS = 2_000;

/**
 * True when `name` is `provider:model` of a provider other than the local one: the router sends
 * every request straight to it, so its window is the one that counts, whoever answered before.
 */
function namesRemoteTarget(name: string, config: WrenConfig): boolean {
  return name !== "auto" && name !== "default" && config.router.routes[name] === undefined && isRoutedModelName(name, config);
}

/**
 * Starts gathering a new session's environment facts (OS, shell, git status, date) for
 * {@link AgentRunOptions.environment}, so a caller can overlap them with its own start-up work.
 */
export function startEnvironmentFacts(cwd: string): Promise<EnvironmentFacts> {
  return environmentFacts(path.resolve(cwd));
}

/** Options of {@link openAgentRun}: what `wren -p` was asked for. */
export interface AgentRunOptions {
  config: WrenConfig;
  /** `auto` (default), a route or `provider:model`; a resumed session keeps its own unless this is given. */
  model?: string | undefined;
  /** `--permission-mode`; default: the session's mode (`agent.permissionMode` for a new one). */
  mode?: PermissionMode | undefined;
  allow: readonly string[];
  deny: readonly string[];
  /**
   * `--trust-project`: the project's `.wren/settings.toml` allow rules count, and the MCP servers it
   * defines start, in this run whether or not the user accepted them (see
   * permissions/project-trust.ts). Default false.
   */
  trustProject?: boolean;
  /** Default: `agent.maxTurns` (25). */
  maxTurns?: number | undefined;
  continueLast?: boolean;
  resume?: string | undefined;
  cwd: string;
  /**
   * A new session's environment facts from {@link startEnvironmentFacts}, started before the config
   * was loaded so git status runs meanwhile. Default: started when the run opens.
   */
  environment?: Promise<EnvironmentFacts>;
  offline?: boolean;
  /**
   * `--daemon` / `--no-daemon`: reach the model through the background daemon (started on demand),
   * so a local model stays loaded between runs; the loop and the tools still run here. Default: on
   * when only a local model can answer (see {@link daemonByDefault}).
   */
  daemon?: boolean;
  /**
   * The terminal UI: the local model is loaded by the daemon in the background (see
   * {@link OpenedAgentRun.localModel}); until it is ready, turns go to a teacher when one may answer,
   * and otherwise wait for it. Not with `--no-daemon`. Default false: loaded by the first turn that needs it.
   */
  loadInBackground?: boolean;
  /** How to run wren for a daemon this run starts: the program and leading arguments. Default: this process's own script. */
  daemonCommand?: string[];
  /**
   * Hears what the user should be told of the daemon each time the run reaches it (a busy daemon
   * of another wren version, used as it is; stale files removed): the caller prints it. Default: none.
   */
  onDaemonNotice?: (notice: DaemonNotice) => void;
  /**
   * The context of a local model loaded in this process (`--no-daemon`): see {@link agentLocalContext}.
   * Default `engine.contextSize`.
   */
  localContextSize?: number | "auto";
  env?: Env;
  /** Ends the run (and, for the terminal UI, the whole session) when it fires. */
  signal: AbortSignal;
  /**
   * Someone to ask (the terminal UI): calls that need consent are put to them. Absent for `wren -p`,
   * where anything that would ask is refused and the reason names a rule that would allow it.
   */
  interaction?: Interaction;
  /**
   * Asked before a request first leaves this machine under `router.cloud = "ask"`. Default: a
   * question on the terminal's stdin (none without a terminal: cloud targets are then refused).
   */
  cloudConsent?: (target: string, signal?: AbortSignal) => Promise<boolean>;
  /** Puts AskUser's questions to the person (the terminal UI). Absent: AskUser tells the model no one can answer. */
  askUser?: AskUserFn;
  /**
   * A one-shot run (`wren -p`): a session it made that no model answered, because the run failed
   * first (no model of that name, one that would not load, a teacher that refused), is removed when
   * the run closes rather than kept holding the prompt alone. Default false: the terminal UI keeps
   * its session, where the next prompt or `/model` goes on in it.
   */
  discardUnanswered?: boolean;
  /** MCP servers not to start in this run (the terminal UI's `/mcp disable`). Default: none. */
  disabledMcpServers?: readonly string[];
  /**
   * With `interaction`: how long the run waits for its MCP servers before it opens with those that
   * are ready; the others join when ready (see {@link OpenedAgentRun.mcpStarting}). Default
   * {@link INTERACTIVE_MCP_WAIT_MS}. Without `interaction` every server is waited for (each has 30 s).
   */
  mcpWaitMs?: number;
}

/** A non-interactive agent run, ready to take its prompt. */
export interface OpenedAgentRun extends AsyncDisposable {
  session: Session;
  agent: Agent;
  /** USD spent on the router's answers so far in this run (0 for local models and unpriced targets). */
  costUsd(): number;
  /** The context window, in tokens, of the model that answered (as compaction assumes it); `undefined`: the local model's. */
  contextWindow(answeredBy: Provenance | undefined): number;
  /**
   * Whether {@link contextWindow} is the window the model has, not the configured guess it falls
   * back on (`engine.contextSize`) for a local model that has not said its own: a model a running
   * daemon added for this run, not loaded when asked, never says it.
   */
  contextWindowKnown(answeredBy: Provenance | undefined): boolean;
  /** True when the model is reached through the background daemon (its memory is the daemon's). */
  viaDaemon: boolean;
  /**
   * With `loadInBackground`: the local model's load by the daemon (phase, progress, whether turns
   * go to a teacher meanwhile). `start()` asks for it; the first turn that needs the model does too.
   */
  localModel: ModelLoadHandle | undefined;
  /**
   * MCP servers that could not be used (the run goes on without their tools), for the user to be
   * told; a server still starting when the run opened is added here if it fails later. With `tool`:
   * that tool alone was left out (its name taken by another), the server is on.
   */
  mcpFailures: Array<{ server: string; error: WrenError; tool?: string }>;
  /** MCP servers still starting (an interactive run opens without waiting on them): their tools join when they are ready. */
  mcpStarting(): string[];
  /**
   * The project's `.wren/settings.toml` allow rules the user has not accepted (they allow nothing),
   * and accepting them (`/trust`), which records them in the user's trust file; the same for the
   * MCP servers the project defines that did not start (accepted, they start in the next run:
   * the terminal UI reopens it).
   */
  projectRules: {
    unaccepted(): readonly string[];
    accept(): Promise<string[]>;
    unacceptedMcpServers(): readonly WaitingMcpServer[];
    acceptMcpServers(): Promise<string[]>;
  };
  /** Hears of each MCP server still starting as its tools join the run or it fails; returns the unsubscribe. */
  onMcpUpdate(listener: (update: McpServerUpdate) => void): () => void;
  /**
   * Whether the session stays once the run closes: false when {@link AgentRunOptions.discardUnanswered}
   * will remove it (a session this run made, whose run ended in an error before any answer).
   */
  sessionKept(): boolean;
  /** Runs one prompt; `signal` (default: the run's) cancels this prompt only, so a session can go on. */
  run(prompt: string, signal?: AbortSignal): AsyncGenerator<AgentEvent, RunOutcome>;
  /** Plan mode's critique loop on `plan`, through the run's model (seven reviews, then a revision). */
  critiquePlan(plan: string, task: string, signal: AbortSignal): Promise<PlanCritique>;
}

/**
 * The context of a local model the assistant loads in this process (`--no-daemon`):
 * `engine.contextSize` when it is set somewhere (a flag, the environment, a config file), else
 * `auto`, the largest that fits, as the daemon (`wren serve`) gives it. The assistant's own
 * instructions and tool list take some 9,000 tokens: the 4,096 a one-shot `wren run` gets by
 * default could never hold them.
 */
export function agentLocalContext({ config, sources }: Pick<LoadedConfig, "config" | "sources">): number | "auto" {
  return sources.some((s) => s.key === "engine.contextSize" && s.layer !== "default") ? config.engine.contextSize : "auto";
}

/**
 * Composes one `wren -p` run: the session (new, `--continue` or `--resume`), the router's model for
 * `auto` / a route / `provider:model` with its consent and provenance (the same as `wren run`), the
 * built-in tools with the session's shell and the configured MCP servers' tools, and the permission
 * rules from the flags with nobody to ask. The agent compacts past `agent.compactAt` (80%) of the
 * context window of the model that answered last.
 */
export async function openAgentRun(options: AgentRunOptions): Promise<OpenedAgentRun> {
  const agentConfig = options.config.agent;
  // A new session's system prompt waits on git status: started first, it runs while the rest opens.
  const fresh = options.resume === undefined && !options.continueLast;
  const environment = fresh ? (options.environment ?? startEnvironmentFacts(options.cwd)) : undefined;
  const rules = flagRules({ allow: options.allow, deny: options.deny });
  // Started before the session, whose header records the tool names; none configured costs nothing.
  // A server the project defines starts only when the user accepted it, as defined, for this
  // project, or allowed it for this run (a flag); a rule in the user's settings names a server, not
  // what another repository's server of that name runs, so it does not start one.
  const projectRoot = findProjectRoot(path.resolve(options.cwd));
  const mcpLocation = { projectRoot, ...(options.env ? { env: options.env } : {}) };
  const consent = await loadProjectMcpConsent(mcpLocation, { flagRules: rules, trustProject: options.trustProject ?? false });
  // With someone at the terminal the session opens without waiting on a slow server, whose tools
  // join when it is ready; `wren -p` waits for every server, so its tool list is whole from the start.
  const mcp = await openSessionMcp(options.config, projectRoot, consent, {
    ...(options.disabledMcpServers ? { disabled: options.disabledMcpServers } : {}),
    signal: options.signal,
    cwd: path.resolve(options.cwd),
    ...(options.interaction ? { waitMs: options.mcpWaitMs ?? INTERACTIVE_MCP_WAIT_MS } : {}),
    ...(options.offline ? { offline: true } : {}),
  });
  const tools = [...builtinTools(), ...mcp.tools];
  let session: Session;
  try {
    session = await openSession({
      cwd: options.cwd,
      continueLast: options.continueLast ?? false,
      resume: options.resume,
      model: options.model ?? "auto",
      mode: options.mode,
      defaultMode: agentConfig.permissionMode,
      tools: tools.map((t) => t.name),
      environment,
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    await mcp[Symbol.asyncDispose]();
    throw error;
  }
  const cleanup: Array<() => void | PromiseLike<void>> = [() => mcp[Symbol.asyncDispose](), () => session[Symbol.dispose]()];
  const sessionKept = (): boolean => !(options.discardUnanswered && session.created && !session.answered && session.lastEnd === "error");
  const close = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
    // Removed once its lock is released: nothing in it but the prompt, and nothing to continue.
    if (!sessionKept()) rmSync(session.file, { force: true });
  };
  try {
    const name = options.model ?? session.header.model;
    let model: LanguageModel;
    let cost = 0;
    let compactionModel: LanguageModel | undefined;
    let viaDaemon = options.daemon ?? daemonByDefault(options.config, name);
    let loader: DaemonModelLoader | undefined;
    const background =
      options.loadInBackground && options.daemon !== false
        ? { config: options.config, session: { id: session.id, cwd: session.header.cwd, model: name }, offline: options.offline ?? false, env: options.env, command: options.daemonCommand, onNotice: options.onDaemonNotice }
        : undefined;
    // A local model loaded here says its own context once loaded (an automatic one is known only then).
    let localContext = (): number | undefined => undefined;
    // A resumed session says who answered its last turn (Session.lastProvenance), so this is asked
    // with that model before this run's first answer. When the run's target is fixed (a teacher's
    // `provider:model`, or only a local model), that target's window counts whoever answered before.
    const remoteTarget = namesRemoteTarget(name, options.config);
    const localOnly = viaDaemon || daemonByDefault(options.config, name);
    const localWindow = (answeredBy: Provenance | undefined): boolean => !remoteTarget && (localOnly || answeredBy === undefined || answeredBy.provider === "local");
    const contextWindow = (answeredBy: Provenance | undefined): number =>
      localWindow(answeredBy) ? (localContext() ?? options.config.engine.contextSize) : CLOUD_CONTEXT_WINDOW;
    // Learns the local model's own context before a compaction would be judged on the configured
    // guess (a resumed session's first turn): the daemon is reached now, as the turn would reach it.
    let learnLocalContext = async (): Promise<void> => {};
    let localContextKnown = (): boolean => localContext() !== undefined;
    // The terminal UI's daemon loading the local model while teachers answer: that turn is a
    // teacher's (reason `loading`), so waiting for the load to learn the local window would hold it.
    let teachersAnswerMeanwhile = (): boolean => false;
    const confirmWindow = async (answeredBy: Provenance | undefined): Promise<number> => {
      if (localWindow(answeredBy) && !localContextKnown()) {
        if (teachersAnswerMeanwhile()) return CLOUD_CONTEXT_WINDOW;
        await learnLocalContext();
      }
      return contextWindow(answeredBy);
    };
    if (viaDaemon) {
      const ref = daemonRef(name);
      // Not wren's embedded default (no model named or configured), which may have to be downloaded first.
      if (background && (ref !== undefined || options.config.models.default)) loader = daemonOnlyLoader(background, ref);
      const daemonModel = openAgentDaemonModel({ name, refTarget: daemonRefTarget(options.config, ref), preferred: preferredDaemonModel(options.config), sessionId: session.id, cwd: session.header.cwd, ...(options.offline ? { serveArgs: ["--offline"] } : {}), ...(options.env ? { env: options.env } : {}), loader, onNotice: options.onDaemonNotice });
      localContext = () => daemonModel.contextLength();
      learnLocalContext = async () => void (await daemonModel.reach());
      model = daemonModel.model;
    } else {
      const opened = openRoutedModel({
        config: options.config,
        name,
        offline: options.offline ?? false,
        ...(options.localContextSize !== undefined ? { contextSize: options.localContextSize } : {}),
        ask: options.cloudConsent ?? terminalCloudConsent(),
        ...(options.env ? { env: options.env } : {}),
        signal: options.signal,
        // Only for auto over the built-in default route (the local model, then the teachers): a route
        // or `provider:model` names its own targets, which need not include the local model.
        ...(background && (name === "auto" || name === "default") && options.config.router.routes["default"] === undefined
          ? {
              local: (chosen: { ref: string; id: string }) => {
                const made = backgroundLocal(background, chosen);
                loader = made.loader;
                viaDaemon = true;
                return made.local;
              },
            }
          : {}),
      });
      cleanup.push(() => opened[Symbol.asyncDispose]());
      cleanup.push(opened.router.log.subscribe((d) => (cost += d.costUsd)));
      localContext = () => opened.localContextLength();
      // Loaded here on first use: until then its context is the configured guess, so a resumed
      // session's first turn loads it before judging compaction on that guess.
      localContextKnown = () => opened.localContextKnown();
      learnLocalContext = () => opened.loadLocal();
      const daemonLoad = loader;
      if (daemonLoad) {
        // The daemon's model, loaded in the background (the terminal UI under auto): its window is
        // known once the daemon has said it; a turn that must wait for the model learns it by waiting.
        localContextKnown = () => daemonLoad.contextLength !== undefined;
        // A failed load leaves the configured guess; the turn then says what failed.
        learnLocalContext = async () => void (await daemonLoad.load().catch(() => undefined));
        teachersAnswerMeanwhile = () => daemonLoad.state.meanwhile === "teacher" && !daemonLoad.isReady();
      }
      model = opened.model;
      if (agentConfig.compactionModel !== undefined) compactionModel = opened.router.router.model(agentConfig.compactionModel);
    }
    const loading = loader;
    if (loading) cleanup.push(() => loading[Symbol.dispose]());
    // The gate and the tools need each other: the gate judges Bash in the session shell's grammar,
    // and Grep and Glob leave out what the gate's deny rules name. Both open on first use.
    const state = toolSessionState({ cwd: session.header.cwd, deniedCheck: () => policy.deniedCheck(), exactHostCheck: () => policy.exactHostCheck() });
    cleanup.push(() => state[Symbol.asyncDispose]());
    const policy = await openPermissionPolicy({
      flagRules: rules,
      projectRoot: session.header.projectRoot,
      interactive: options.interaction !== undefined,
      shell: () => state.shellKind(),
      trustProject: options.trustProject ?? false,
      offline: options.offline ?? false,
      ...(options.env ? { env: options.env } : {}),
    });
    cleanup.push(() => policy[Symbol.dispose]());
    const agent = new Agent(session, {
      model,
      tools,
      permissions: policy,
      ...(options.interaction ? { interaction: options.interaction } : {}),
      maxTurns: options.maxTurns ?? agentConfig.maxTurns,
      compaction: {
        contextWindow,
        confirmWindow,
        threshold: agentConfig.compactAt,
        ...(compactionModel ? { model: compactionModel } : {}),
      },
      toolContext: async (base) => ({ ...(await state.extend(base)), ...(options.askUser ? { ask: options.askUser } : {}) }),
    });
    // A server that was still starting offers its tools from the next request on.
    cleanup.push(mcp.subscribe((update) => agent.addTools(update.tools)));
    let waitingServers: readonly WaitingMcpServer[] = mcp.waiting;
    return {
      session,
      agent,
      costUsd: () => cost,
      sessionKept,
      contextWindow,
      contextWindowKnown: (answeredBy) => !localWindow(answeredBy) || localContextKnown(),
      viaDaemon,
      localModel: loader,
      mcpFailures: mcp.failures,
      mcpStarting: () => mcp.starting(),
      projectRules: {
        unaccepted: () => policy.unacceptedProjectRules(),
        accept: () => policy.acceptProjectRules(),
        unacceptedMcpServers: () => waitingServers,
        acceptMcpServers: async () => {
          const accepted = waitingServers;
          waitingServers = [];
          return acceptProjectMcpServers(mcpLocation, accepted);
        },
      },
      onMcpUpdate: (listener) => mcp.subscribe(listener),
      run: (prompt, signal) => agent.run(prompt, { signal: signal ?? options.signal }),
      critiquePlan: (plan, task, signal) => critiquePlan(plan, { model, task, signal }),
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    // A session that failed to start leaves no empty transcript behind; one with prompts on record
    // stays, even where none is left in its conversation (each failed before an answer).
    removeSessionIfEmpty(path.dirname(session.file), session.id);
    throw error;
  }
}
