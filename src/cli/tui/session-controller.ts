import { loadConfig, type WrenConfig } from "../../config/index.js";
import type { PermissionDecision, PermissionMode, PermissionRequest } from "../../permissions/types.js";
import type { Usage } from "../../protocol/index.js";
import type { OpenedAgentRun } from "../../runtime/agent.js";
import type { ModelLoadState } from "../../runtime/model-load-state.js";
import { rateAgentSession } from "../../runtime/agent-sessions.js";
import type { AgentEvent, AskAnswer, AskUserAnswer, AskUserQuestion, Interaction, PlanCritique, PlanReview, RunOutcome, SessionSummary } from "../../runtime/agent-types.js";
import { linkedAbortController } from "../../shared/abort.js";
import { deserializeError, serializeError, WrenError, type SerializedError } from "../../shared/errors.js";
import { frameThrottle } from "./frame-throttle.js";
import type { PromptHistory } from "./history.js";
import { todosOf, type Item, type ToolView } from "./items.js";
import { nextMode } from "./modes.js";
import { resolvePalette } from "./components/theme.js";
import type { ResolvedTheme } from "./theme-settings.js";
import { settledLength } from "./settled-markdown.js";
import { TurnMeter } from "./turn-meter.js";
import { countUsage } from "./status-format.js";
import { ProjectFiles } from "./project-files.js";
import { describeChoice, type RunChoice } from "./run-choice.js";
import type { Question, ViewState } from "./view-state.js";
import { continuingNotice } from "../continuing-notice.js";
import { visibleText } from "../../shared/visible-text.js";

type NewItem = Item extends infer I ? (I extends Item ? Omit<I, "id"> : never) : never;

/** What the controller is built from; run-tui.ts opens the session and hands it over. */
export interface ControllerOptions {
  /** wren's loaded config: `agent.feedback` weighs the ratings of Ctrl+G and Ctrl+B. */
  config: WrenConfig;
  /** What the session asks for (`--model`, default `auto`), until a turn says who answered. */
  model: string;
  /** The user's prompt history, which the prompt's Up/Down browse and each sent prompt joins. */
  history: PromptHistory;
  /** The colours to draw with (the user's saved theme). Default: `dark` (`none` under NO_COLOR). */
  theme?: ResolvedTheme;
  /** Where /clear writes the terminal's clear sequence. Default: stdout. */
  write?: (text: string) => void;
  /** The folder wren was started in: `@path` completion lists the files under it. Default: the process's. */
  cwd?: string;
  /**
   * Opens the session's run again with another choice (/model, /local, /mcp, /resume). Absent:
   * those commands say they cannot.
   */
  open?: (choice: RunChoice, config: WrenConfig) => Promise<OpenedAgentRun>;
  /** What the session was opened with. Default: `model` as given, online, every MCP server. */
  choice?: RunChoice;
  /**
   * Reads wren's config again as the session loaded it (its command line's flags applied), for
   * `/mcp reload`. Default: the config files alone.
   */
  reloadConfig?: () => Promise<WrenConfig>;
}

/**
 * The terminal UI's state and actions, kept out of React so that the rules (one turn at a time,
 * Ctrl+C twice to leave, a question per tool call) are plain code. The agent's events come in,
 * snapshots go out to the view at most {@link MAX_FPS} times a second.
 */
export class SessionController {
  #state: ViewState;
  #snapshot: ViewState;
  #listeners = new Set<() => void>();
  #nextId = 1;
  #run: OpenedAgentRun | undefined;
  #openError: SerializedError | undefined;
  #turn: AbortController | undefined;
  #running: Promise<void> | undefined;
  #frames = frameThrottle(() => this.#publish());
  #meter = new TurnMeter();
  #config: WrenConfig;
  #choice: RunChoice;
  /** The task of a `/plan --critique` prompt: its plan is reviewed before the user sees it. */
  #critique: string | undefined;
  /** Whether the flash shown is about the running turn (see {@link flashForTurn}). */
  #turnFlash = false;
  /** Prompts sent before the session opened, waiting for it. */
  #openWaiters: Array<() => void> = [];
  /** Stops following the previous run's model load when the run is opened again. */
  #unwatchLoad: (() => void) | undefined;
  /** Stops hearing of the previous run's MCP servers when the run is opened again. */
  #unwatchMcp: (() => void) | undefined;

  /** The project's files, for `@path` completion (listed on first use). */
  readonly files: ProjectFiles;
  /** What the empty prompt suggests, drawn from the project once the screen is up. */
  #suggestions: readonly string[] = [];

  constructor(private readonly options: ControllerOptions) {
    this.#config = options.config;
    this.#choice = options.choice ?? { disabledMcpServers: [], offline: false };
    // A new list redraws the prompt, whose ghost text may now complete a path.
    this.files = new ProjectFiles(options.cwd ?? process.cwd(), () => this.#set({}));
    this.#state = {
      items: [],
      liveText: "",
      answerOpen: false,
      liveTools: [],
      todos: undefined,
      busy: false,
      ready: false,
      question: undefined,
      status: { model: options.model, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      mode: "default",
      flash: undefined,
      theme: options.theme ?? { name: "dark", palette: resolvePalette("dark") },
      exiting: false,
    };
    this.#snapshot = this.#state;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly snapshot = (): ViewState => this.#snapshot;

  /** Whether a turn runs now (the latest state, not the last frame). */
  /**
   * The local model's load by the daemon, started when the run attaches (the latest state, not the
   * last frame; the view reads `snapshot().modelLoad`): phase, progress, and whether turns go to a
   * teacher meanwhile or wait. Undefined when the run does not load one in the background.
   */
  get modelLoad(): ModelLoadState | undefined {
    return this.#state.modelLoad;
  }

  get busy(): boolean {
    return this.#state.busy;
  }

  /** The question open now (the latest state, not the last frame). */
  get question(): Question | undefined {
    return this.#state.question;
  }

  get history(): PromptHistory {
    return this.options.history;
  }

  get config(): WrenConfig {
    return this.#config;
  }

  /** The prompt the empty prompt suggests now: a new one after each sent prompt. */
  get suggestion(): string | undefined {
    const list = this.#suggestions;
    return list.length === 0 ? undefined : list[this.options.history.entries.length % list.length];
  }

  /** Sets what the empty prompt suggests (drawn from the project after the first frame). */
  suggest(suggestions: readonly string[]): void {
    this.#suggestions = suggestions;
    this.#set({});
  }

  /** What the run was opened with: the model asked for, local only, MCP servers left out. */
  get choice(): RunChoice {
    return this.#choice;
  }

  get run(): OpenedAgentRun | undefined {
    return this.#run;
  }

  /** The person on the other side of the agent: questions become dialogs in the live region. */
  readonly interaction: Interaction = {
    askPermission: (request, decision) => this.#ask(request, decision),
    reviewPlan: (plan) => this.#reviewPlan(plan),
  };

  /** AskUser's questions, as a dialog; a cancelled turn cancels them. */
  readonly askUser = (questions: AskUserQuestion[]): Promise<AskUserAnswer[]> =>
    new Promise<AskUserAnswer[]>((resolve, reject) =>
      this.#question({ kind: "ask-user", questions, answer: resolve }, () => reject(new WrenError("aborted", "The user cancelled the turn before answering."))),
    );

  /**
   * `router.cloud = "ask"`: the first request to leave the machine waits for a yes. The router aborts
   * `signal` when every request waiting on the answer has been cancelled: the dialog is taken down
   * and the answer is no (which nobody hears).
   */
  readonly cloudConsent = (target: string, signal?: AbortSignal): Promise<boolean> =>
    new Promise<boolean>((resolve) => this.#question({ kind: "consent", target, answer: resolve }, () => resolve(false), signal));

  /** /resume: the picker of `sessions` in place of the prompt; resolves with the one picked, or undefined when cancelled. */
  pickSession(sessions: readonly SessionSummary[]): Promise<SessionSummary | undefined> {
    return new Promise((resolve) => this.#question({ kind: "resume", sessions, answer: resolve }, () => resolve(undefined)));
  }

  /** Resolves once the session has opened, or failed to, or `signal` aborts. */
  #opened(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#state.ready || signal.aborted) return resolve();
      this.#openWaiters.push(resolve);
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  #wakeOpenWaiters(): void {
    for (const wake of this.#openWaiters.splice(0)) wake();
  }

  /** Adds a model call's tokens to the session's count (the status line, /cost): the agent's turns and compactions are counted as they end. */
  countUsage(usage: Usage): void {
    this.#set({ status: { ...this.#state.status, ...countUsage(this.#state.status, usage) } });
  }

  #unacceptedNoted = false;

  /** The session is open: prompts typed meanwhile may now run. `announce`: say which session goes on. */
  attach(run: OpenedAgentRun, announce = true): void {
    this.#run = run;
    this.#openError = undefined;
    this.#set({ ready: true, mode: run.session.mode, status: { ...this.#state.status, model: this.#choice.model ?? run.session.header.model } });
    this.#wakeOpenWaiters();
    this.#watchLoad(run);
    const continuing = continuingNotice(run.session.id, run.session.earlierPrompts, run.session.damagedRecords);
    if (continuing !== undefined && announce) this.notice({ tone: "info", text: continuing });
    for (const failure of run.mcpFailures) this.#mcpFailure(failure);
    this.#watchMcp(run);
    this.#noteUnacceptedRules(run);
  }

  /** Said once a session: the project's allow rules that allow nothing until the user accepts them (/trust). */
  #noteUnacceptedRules(run: OpenedAgentRun): void {
    const patterns = run.projectRules.unaccepted();
    if (patterns.length === 0 || this.#unacceptedNoted) return;
    this.#unacceptedNoted = true;
    const n = patterns.length;
    this.notice({
      tone: "info",
      text: `This project's .wren/settings.toml has ${n} allow rule${n === 1 ? "" : "s"} you have not accepted, so ${n === 1 ? "it allows" : "they allow"} nothing yet: ${patterns.map((p) => visibleText(p, { oneLine: true })).join(", ")}.`,
      hint: "A repository writes its own settings: type /trust to accept them if you would allow these yourself (wren remembers them for this project).",
    });
  }

  /** A server still starting when the run opened (it opens after a short wait): says when it joins or fails. */
  #watchMcp(run: OpenedAgentRun): void {
    this.#unwatchMcp?.();
    this.#unwatchMcp = run.onMcpUpdate((update) => {
      if (this.#run !== run) return;
      const n = update.tools.length;
      if (n > 0) this.notice({ tone: "success", text: `MCP server '${update.server}' is ready: ${n} tool${n === 1 ? "" : "s"} joined the session.` });
      for (const failure of update.failures) this.#mcpFailure(failure);
    });
  }

  #mcpFailure(failure: OpenedAgentRun["mcpFailures"][number]): void {
    // One tool left out (its name taken) leaves the server on, without that tool.
    const text = failure.tool !== undefined ? `MCP server '${failure.server}': ${failure.error.message}` : `MCP server '${failure.server}' left out: ${failure.error.message}`;
    this.notice({ tone: "error", text, ...(failure.error.hint ? { hint: failure.error.hint } : {}) });
  }

  /** Asks the daemon for the run's local model in the background and follows the load until the run changes. */
  #watchLoad(run: OpenedAgentRun): void {
    this.#unwatchLoad?.();
    const load = run.localModel;
    this.#unwatchLoad = load?.subscribe((state) => this.#set({ modelLoad: state }));
    this.#set({ modelLoad: load?.state });
    load?.start();
  }

  /** The session could not be opened: said once now, and again for each prompt. */
  failedToOpen(error: unknown): void {
    this.#openError = serializeError(error);
    this.#error(this.#openError);
    this.#set({ ready: true });
    this.#wakeOpenWaiters();
  }

  notice(item: Omit<Extract<Item, { kind: "notice" }>, "id" | "kind">): void {
    this.#push({ kind: "notice", ...item });
  }

  flash(text: string | undefined): void {
    this.#turnFlash = false;
    this.#set({ flash: text });
  }

  /** A flash about the running turn ("Cancelling…", "A turn is running…"): it goes when the turn ends. */
  flashForTurn(text: string): void {
    this.flash(text);
    this.#turnFlash = this.#state.busy;
  }

  /** The turn has ended: a flash about it would now be stale. */
  #endTurnFlash(): Partial<ViewState> {
    if (!this.#turnFlash) return {};
    this.#turnFlash = false;
    return { flash: undefined };
  }

  /** /theme: draws with other colours from the next frame on (the scrollback keeps its own). */
  setTheme(theme: ResolvedTheme): void {
    this.#set({ theme });
  }

  /** /clear: wipes the screen and its scrollback; the conversation and its transcript go on. */
  clearScreen(): void {
    (this.options.write ?? ((t: string) => void process.stdout.write(t)))("\x1b[2J\x1b[3J\x1b[H");
    this.flash("Screen cleared; the conversation goes on.");
  }

  /** What was typed but not sent when a dialog took the prompt's place. */
  draft = "";

  /** Set by /setup: once the screen is gone, wren runs the setup wizard, then opens the session again. */
  setupRequested = false;

  /** /setup: leaves the screen for the setup wizard (run-tui.ts runs it and comes back). */
  requestSetup(): void {
    // Leaving while the session still opens ended wren without the wizard (seen on Linux, not yet
    // understood): the wizard starts once the session is open, or has failed to open.
    if (!this.#state.ready) {
      this.flash("The session is still opening: type /setup again in a moment.");
      return;
    }
    this.setupRequested = true;
    this.exit();
  }

  exit(): void {
    this.#turn?.abort();
    this.#set({ exiting: true });
    this.#publish();
  }

  /** Ctrl+C / Esc while a turn runs: its generation and tools stop; the session stays usable. */
  cancelTurn(): boolean {
    if (!this.#turn || this.#turn.signal.aborted) return false;
    this.#turn.abort();
    return true;
  }

  /** Shift+Tab: default → accept edits → plan → default. The next tool call is judged in the new mode. */
  cycleMode(): PermissionMode | undefined {
    return this.setMode(nextMode(this.#state.mode));
  }

  /**
   * Switches the session to `mode`. Undefined when its transcript refuses the change (a full disk):
   * the mode stays as it was, and the error is shown.
   */
  setMode(mode: PermissionMode): PermissionMode | undefined {
    try {
      this.#run?.session.setMode(mode);
    } catch (error) {
      const e = deserializeError(serializeError(error));
      this.notice({ tone: "error", text: `The mode was not changed: ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) });
      return undefined;
    }
    this.#set({ mode });
    return mode;
  }

  /** Ctrl+G / Ctrl+B and /feedback: rates the session's last answer through the agent's feedback API. */
  rate(rating: "good" | "bad", note?: string): void {
    const run = this.#run;
    if (!run || !this.#state.items.some((i) => i.kind === "assistant")) {
      this.flash("Nothing to rate yet: rate an answer once one has finished.");
      return;
    }
    try {
      const entry = rateAgentSession(run.session.id, { rating, ...(note ? { note } : {}) }, this.#config.agent.feedback);
      this.flash(`Rated the last answer ${rating}${note ? " with your note" : ""} (weight ${entry.weight}); saved to feedback.jsonl.`);
    } catch (error) {
      this.#error(serializeError(error));
    }
  }

  /** Resolves once no prompt runs (the last one's transcript records are written). */
  async settled(): Promise<void> {
    await this.#running;
  }

  /** Runs one prompt to its end. Does nothing while another runs. */
  prompt(text: string): Promise<void> {
    if (this.#state.busy) return Promise.resolve();
    this.#running = this.#prompt(text);
    return this.#running;
  }

  /** `/plan --critique TASK`: plans TASK in plan mode; the plan is reviewed and revised before the user sees it. */
  planWithCritique(task: string): Promise<void> {
    if (this.#state.busy || !this.setMode("plan")) return Promise.resolve();
    this.#critique = task;
    return this.prompt(task).finally(() => (this.#critique = undefined));
  }

  /**
   * Runs a piece of session work that is not a prompt (/compact, reopening the run) as a turn:
   * prompts wait for it and Ctrl+C / Esc cancel it. False when a turn already runs.
   */
  task(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    if (this.#state.busy) {
      this.flashForTurn("A turn is running: wait for it, or press Esc to interrupt it.");
      return Promise.resolve(false);
    }
    const turn = new AbortController();
    this.#turn = turn;
    this.#set({ busy: true, flash: undefined });
    const done = (async () => {
      try {
        await work(turn.signal);
      } catch (error) {
        if (turn.signal.aborted) this.notice({ tone: "info", text: "Cancelled. The session goes on: type the next prompt." });
        else this.#error(serializeError(error));
      } finally {
        this.#turn = undefined;
        this.#set({ busy: false, ...this.#endTurnFlash() });
      }
    })();
    this.#running = done;
    return done.then(() => !turn.signal.aborted);
  }

  /**
   * Opens the session's run again with `change` applied (the same session goes on unless `resume`
   * names another): the conversation stays, the model, the local-only rule or the MCP servers change.
   * When the new run cannot open, the previous choice is opened again and the error is shown.
   */
  async reopen(change: Partial<RunChoice>, config: WrenConfig = this.#config): Promise<boolean> {
    const open = this.options.open;
    const current = this.#run;
    if (!open || !current) {
      this.notice({ tone: "error", text: "The session has not opened, so it cannot be changed.", hint: "Quit and start wren again with the flags you want (wren --help lists them)." });
      return false;
    }
    const before = this.#choice;
    const choice: RunChoice = { ...before, resume: current.session.id, ...change };
    let opened = false;
    const ran = await this.task(async () => {
      this.#run = undefined;
      await current[Symbol.asyncDispose]();
      try {
        const run = await open(choice, config);
        this.#choice = choice;
        this.#config = config;
        this.attach(run, change.resume !== undefined);
        opened = true;
      } catch (error) {
        this.#error(serializeError(error));
        try {
          this.attach(await open({ ...before, resume: current.session.id }, this.#config), false);
        } catch (again) {
          this.failedToOpen(again);
        }
      }
    });
    if (ran && opened) this.flash(describeChoice(this.#choice));
    return ran && opened;
  }

  /** wren's config read again, as the session loaded it at its start (see {@link ControllerOptions.reloadConfig}). */
  async reloadConfig(): Promise<WrenConfig> {
    return this.options.reloadConfig ? this.options.reloadConfig() : (await loadConfig({})).config;
  }

  /** Closes the session's run (when wren exits). */
  async close(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    this.#unwatchMcp?.();
    await run?.[Symbol.asyncDispose]();
  }

  async #reviewPlan(plan: string): Promise<PlanReview> {
    const task = this.#critique;
    const run = this.#run;
    const signal = this.#turn?.signal;
    let critique: PlanCritique | undefined;
    if (task !== undefined && run && signal) {
      this.flash("Seven reviewers are reading the plan…");
      try {
        critique = await run.critiquePlan(plan, task, signal);
        this.countUsage(critique.usage);
        this.notice({ tone: "info", text: critiqueText(critique) });
      } catch (error) {
        if (signal.aborted) return { verdict: "reject", reason: "The user cancelled the turn." };
        this.#error(serializeError(error));
      }
      this.flash(undefined);
    }
    const shown = critique?.revised ?? plan;
    const review = await new Promise<PlanReview>((resolve) => {
      this.#question({ kind: "plan", plan: shown, answer: resolve }, () => resolve({ verdict: "reject", reason: "The user cancelled the turn." }));
    });
    // The model proposed the original: approving the revision tells it to carry out the revision.
    if (review.verdict === "approve" && critique && shown !== plan) return { verdict: "edit", plan: shown };
    return review;
  }

  async #prompt(text: string): Promise<void> {
    const shown = this.#push({ kind: "user", text });
    const turn = new AbortController();
    this.#turn = turn;
    this.#set({ busy: true, flash: undefined });
    // A prompt sent while the session still opens (typed at the first frame) goes once it is open.
    if (!this.#state.ready) await this.#opened(turn.signal);
    const run = this.#run;
    if (turn.signal.aborted || this.#openError || !run) {
      if (turn.signal.aborted) this.notice({ tone: "info", text: "Cancelled. The session goes on: type the next prompt." });
      else if (this.#openError) this.#error(this.#openError);
      else this.notice({ tone: "info", text: "The session is still starting; send the prompt again in a moment." });
      this.#turn = undefined;
      this.#set({ busy: false, ...this.#endTurnFlash() });
      return;
    }
    let outcome: RunOutcome | undefined;
    try {
      const events = run.run(text, turn.signal);
      for (;;) {
        const next = await events.next();
        if (next.done) {
          outcome = next.value;
          break;
        }
        this.#event(next.value);
      }
    } catch (error) {
      const serialized = serializeError(error);
      if (serialized.details?.["promptNotSent"] === true) this.#notSent(shown, text, serialized);
      else this.#error(serialized);
    }
    this.#endLive();
    if (outcome?.reason === "cancelled") this.notice({ tone: "info", text: "Cancelled. The session goes on: type the next prompt." });
    if (outcome?.reason === "max-turns") this.notice({ tone: "error", text: `Stopped after ${outcome.turns} model turns (agent.maxTurns).`, hint: "Say “continue” to go on, or raise agent.maxTurns in the config." });
    this.#turn = undefined;
    this.#set({ busy: false, status: { ...this.#state.status, costUsd: run.costUsd() }, ...this.#endTurnFlash() });
  }

  /**
   * The session's transcript refused the prompt, so the model was not sent it (the agent's
   * `details.promptNotSent`): its item says so, and its text goes back into the prompt box, before
   * anything typed meanwhile, so nothing typed is lost.
   */
  #notSent(itemId: number, text: string, error: SerializedError): void {
    this.#set({ items: this.#state.items.map((i) => (i.id === itemId && i.kind === "user" ? { ...i, notSent: true } : i)) });
    const e = deserializeError(error);
    const back = "Your prompt is back in the prompt box.";
    this.notice({ tone: "error", text: `Your prompt was not sent: ${e.message}`, hint: e.hint ? `${e.hint} ${back}` : back });
    this.draft = this.draft ? `${text}\n${this.draft}` : text;
    this.#set({ restoredPrompt: { id: this.#nextId++, text: this.draft } });
  }

  #event(event: AgentEvent): void {
    const speed = this.#meter.observe(event);
    switch (event.type) {
      case "text-delta": {
        // Settled blocks go to the scrollback now; only the answer's last block stays live.
        const text = this.#state.liveText + event.delta;
        const cut = settledLength(text);
        this.#set({ liveText: text.slice(cut) });
        if (cut > 0) this.#pushAnswer(text.slice(0, cut));
        return;
      }
      case "tool-call":
        this.#flushText();
        this.#set({ liveTools: [...this.#state.liveTools, { callId: event.id, name: event.name, input: event.input }] });
        return;
      case "decision":
        this.#updateTool(event.id, (t) => ({ ...t, decision: { action: event.action, reason: event.reason, ...(event.rule ? { rule: event.rule } : {}) } }));
        return;
      case "tool-result": {
        const done = this.#state.liveTools.find((t) => t.callId === event.id);
        if (!done) return;
        this.#set({ liveTools: this.#state.liveTools.filter((t) => t !== done) });
        this.#push({ kind: "tool", call: { ...done, result: { display: event.display, output: event.output, isError: event.isError } } });
        // The list the model just set is pinned above the prompt until the turn ends.
        const todos = done.name === "TodoWrite" && !event.isError ? todosOf(done.input) : undefined;
        if (todos) this.#set({ todos });
        return;
      }
      case "turn-end": {
        this.#flushText();
        const s = this.#state.status;
        const p = event.provenance;
        this.#set({
          status: {
            ...s,
            ...(p ? { answeredBy: { provider: p.provider, model: p.model, reason: p.reason } } : {}),
            ...countUsage(s, event.usage),
            timeToFirstTokenMs: speed?.timeToFirstTokenMs,
            tokensPerSecond: speed?.tokensPerSecond,
            contextTokens: event.usage.inputTokens + event.usage.outputTokens,
            // Not the configured guess for a local model that never said its window: none shown.
            contextWindow: this.#run?.contextWindowKnown(p) ? this.#run.contextWindow(p) : undefined,
            costUsd: this.#run?.costUsd() ?? s.costUsd,
          },
          mode: this.#run?.session.mode ?? this.#state.mode,
        });
        return;
      }
      case "plan":
        if (event.verdict === "approved" || event.verdict === "edited") this.notice({ tone: "success", text: "Plan approved: carrying it out." });
        else if (event.verdict === "rejected") this.notice({ tone: "info", text: "Plan rejected: staying in plan mode." });
        return;
      case "compaction":
        this.countUsage(event.usage);
        this.notice({ tone: "info", text: `Older turns summarised to fit the context window (${event.messagesBefore} → ${event.messagesAfter} messages).` });
        return;
      case "error":
        this.#error(event.error);
        return;
      case "turn-start":
        return;
    }
  }

  #ask(request: PermissionRequest, decision: PermissionDecision): Promise<AskAnswer> {
    // The call being judged is the last one the agent announced (it asks right after announcing).
    const call = [...this.#state.liveTools].reverse().find((t) => t.name === request.tool && !t.decision);
    return new Promise<AskAnswer>((resolve) => {
      const shown = this.#question({ kind: "permission", request, decision, call, analysis: undefined, answer: resolve }, () => resolve({ reply: "reject" }));
      if (request.tool === "Bash" && request.command) {
        import("../../shell/index.js")
          .then(({ analyze }) => analyze(request.command ?? "", request.cwd ? { cwd: request.cwd } : {}))
          .then((analysis) => {
            if (this.#state.question === shown && shown.kind === "permission") this.#set({ question: { ...shown, analysis } });
          })
          .catch(() => undefined);
      }
    });
  }

  /**
   * Shows a question; the answer, a cancelled turn or `withdrawn` aborting clears it (a question
   * shown after it stays). Returns the question as shown.
   */
  #question(question: Question, onCancel: () => void, withdrawn?: AbortSignal): Question {
    const cancelled = linkedAbortController(this.#turn?.signal, withdrawn);
    const wrapped = { ...question, id: this.#nextId++, answer: (value: never) => (clear(), question.answer(value)) };
    const clear = (): void => {
      cancelled[Symbol.dispose]();
      cancelled.signal.removeEventListener("abort", cancel);
      if (this.#state.question?.id === wrapped.id) this.#set({ question: undefined });
    };
    const cancel = (): void => {
      clear();
      onCancel();
    };
    if (cancelled.signal.aborted) {
      onCancel();
      return wrapped;
    }
    cancelled.signal.addEventListener("abort", cancel, { once: true });
    this.#set({ question: wrapped });
    this.#publish();
    return wrapped;
  }

  #updateTool(id: string, change: (t: ToolView) => ToolView): void {
    this.#set({ liveTools: this.#state.liveTools.map((t) => (t.callId === id ? change(t) : t)) });
  }

  #flushText(): void {
    const text = this.#state.liveText;
    this.#set({ liveText: "" });
    this.#pushAnswer(text);
    this.#set({ answerOpen: false });
  }

  /** Part of the answer, finished: the first part opens it (`● `), the next ones continue it. */
  #pushAnswer(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.#push({ kind: "assistant", text: trimmed, ...(this.#state.answerOpen ? { continued: true } : {}) });
    this.#set({ answerOpen: true });
  }

  #endLive(): void {
    this.#flushText();
    for (const call of this.#state.liveTools) this.#push({ kind: "tool", call: { ...call, result: { display: "not run", output: "", isError: true } } });
    // The pinned todo list goes to the scrollback, whole, under the turn it belonged to.
    const todos = this.#state.todos;
    if (todos) this.#push({ kind: "todos", todos });
    this.#set({ liveTools: [], question: undefined, todos: undefined });
  }

  /** Shows an error (from a command or a turn) in plain words with its hint. */
  error(error: unknown): void {
    this.#error(serializeError(error));
  }

  #error(error: SerializedError): void {
    const e = deserializeError(error);
    this.notice({ tone: "error", text: e.message, ...(e.hint ? { hint: e.hint } : {}) });
  }

  #push(item: NewItem): number {
    const id = this.#nextId++;
    this.#set({ items: [...this.#state.items, { ...item, id }] });
    return id;
  }

  #set(change: Partial<ViewState>): void {
    this.#state = { ...this.#state, ...change };
    this.#frames.schedule();
  }

  #publish(): void {
    this.#frames.cancel();
    this.#snapshot = this.#state;
    for (const listener of this.#listeners) listener();
  }
}

/** The reviewers' findings as the user reads them before approving the revised plan. */
function critiqueText(critique: PlanCritique): string {
  const reviews = critique.reviews.map((r) => `${r.persona.title}${r.failed ? " (no review)" : ""}:\n${r.findings.replace(/^/gm, "  ")}`);
  return [`The plan was reviewed by ${critique.reviews.length} reviewers, and revised with their findings:`, ...reviews].join("\n");
}
