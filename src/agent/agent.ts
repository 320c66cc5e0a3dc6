import { userText, type ChatRequest, type LanguageModel, type Message, type ToolDefinition } from "../protocol/index.js";
import type { PermissionMode } from "../permissions/types.js";
import { serializeError, WrenError } from "../shared/errors.js";
import { toolDefinition } from "../tools/tool-definition.js";
import type { Tool, ToolContext } from "../tools/tool.js";
import { compactMessages, ContextMeter, type CompactionOptions } from "./compaction.js";
import type { AgentEvent, RunOutcome, StopReason } from "./events.js";
import type { Interaction, PermissionPolicy } from "./permission-gate.js";
import { runToolCalls } from "./run-tools.js";
import type { Session } from "./session.js";
import { streamTurn } from "./stream-turn.js";
import { fitToolCalls } from "./tool-call-ids.js";
import { addUsage, ZERO_USAGE } from "./usage.js";

/**
 * A prompt too long for the model, said with what the user cannot shorten: the assistant's own
 * instructions and tool definitions go with every turn, so a small context may not hold even them
 * (the hint a server gives its client, to shorten the prompt, is no help here).
 */
function withAssistantSize(error: unknown): unknown {
  if (!(error instanceof WrenError) || error.code !== "context_overflow") return error;
  return new WrenError(error.code, error.message, {
    hint: "The assistant's instructions and tool definitions go with every turn, some thousands of tokens before your words: use a model with a longer context, or a larger engine.contextSize if one is set.",
    isRetryable: error.isRetryable,
    status: error.status,
    retryAfter: error.retryAfter,
    details: error.details,
    provenance: error.provenance,
    cause: error,
  });
}

/** What an agent works with. Runtime builds these; tests pass small ones. */
export interface AgentOptions {
  /** Anything that answers canonical requests: in wren, the router's model for `auto`, a route or `provider:model`. */
  model: LanguageModel;
  /**
   * Offered to the model on every turn, in this order. The list changes only by {@link Agent.addTools}
   * (an MCP server that became ready after the session opened): it is part of every request's prefix.
   */
  tools: readonly Tool[];
  permissions: PermissionPolicy;
  /** Someone to ask; absent in a non-interactive run, where anything that would ask is refused. */
  interaction?: Interaction;
  /** Model calls per run before it stops with `max-turns`. Default 25. */
  maxTurns?: number;
  /** Automatic compaction; absent: never automatic (`compact()` still works with a window). */
  compaction?: CompactionOptions;
  /** The mode an approved plan switches to. Default `default`. */
  executionMode?: PermissionMode;
  /**
   * Builds each tool call's context (runtime adds the session's shell, read ledger and AskUser).
   * Called only when the model asks for tools, so what it opens costs nothing before the first
   * answer. Default: the session's project root and working directory, and the run's signal.
   */
  toolContext?: (base: ToolContext) => ToolContext | Promise<ToolContext>;
}

/**
 * The coding assistant's loop over one session: send the conversation and the tools, stream the
 * answer, run the calls it asks for, send the results back, until the model answers without tools,
 * `maxTurns` is reached or the signal fires. It yields events and never prints.
 */
export class Agent {
  private readonly definitions: ToolDefinition[];
  private readonly tools: Tool[];
  private readonly meter = new ContextMeter();

  constructor(
    readonly session: Session,
    private readonly options: AgentOptions,
  ) {
    // Computed once: the tool list is part of the prefix that must not change within a session.
    this.tools = [...options.tools];
    this.definitions = this.tools.map(toolDefinition);
  }

  /**
   * Offers more tools from the next model request on, after the ones offered so far (an MCP server
   * that was still starting when the session opened). A name already offered is not added again.
   */
  addTools(tools: readonly Tool[]): void {
    for (const tool of tools) {
      if (this.tools.some((t) => t.name === tool.name)) continue;
      this.tools.push(tool);
      this.definitions.push(toolDefinition(tool));
    }
  }

  /** The request for the current conversation: the same system prompt and tools every turn. */
  request(): ChatRequest {
    const messages: Message[] = [{ role: "system", content: this.session.header.system }, ...this.session.messages];
    return this.definitions.length > 0 ? { messages, tools: this.definitions, toolChoice: "auto" } : { messages };
  }

  /** Runs one user prompt to its end. The generator's return value says how it ended. */
  async *run(prompt: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<AgentEvent, RunOutcome> {
    const signal = options.signal ?? new AbortController().signal;
    const { session } = this;
    const out: RunOutcome = { reason: "done", result: "", turns: 0, toolCalls: [], turnRecords: [], usage: ZERO_USAGE };
    let ended = false;
    const finish = (reason: StopReason): RunOutcome => {
      out.reason = reason;
      ended = true;
      session.end(reason, out.error);
      return out;
    };
    try {
      // Synced with the turn at its end, not before the request: waiting on the disk here would delay
      // every prompt's first token, and a crash before the turn ends loses only the turn in flight.
      try {
        // A previous run here whose tool results its transcript refused left its calls unanswered.
        session.closeDanglingCalls();
        session.push(userText(prompt));
      } catch (error) {
        throw promptNotSent(error);
      }
      return yield* this.turns(signal, out, finish);
    } catch (error) {
      // Thrown, not returned: a transcript write failed (the prompt's, or the end's own). The end is
      // recorded where it still can be, so a session whose id a client was given says how its run ended.
      if (!ended) {
        out.error = serializeError(error);
        try {
          finish("error");
        } catch {
          // The disk refuses the end too: the error thrown below says why.
        }
      }
      throw error;
    }
  }

  /** The run's model turns, from its prompt's first request to the end `finish` records. */
  private async *turns(signal: AbortSignal, out: RunOutcome, finish: (reason: StopReason) => RunOutcome): AsyncGenerator<AgentEvent, RunOutcome> {
    const { session } = this;
    const maxTurns = this.options.maxTurns ?? 25;
    try {
      for (;;) {
        if (signal.aborted) return finish("cancelled");
        if (out.turns >= maxTurns) return finish("max-turns");
        const compaction = yield* this.maybeCompact(signal);
        if (compaction === "cancelled") return finish("cancelled");
        if (compaction) out.usage = addUsage(out.usage, compaction.usage);
        const turn = ++out.turns;
        yield { type: "turn-start", turn };
        const answer = yield* streamTurn(this.options.model, this.request(), turn, signal);
        const calls = fitToolCalls(answer.toolCalls, session.messages);
        const content = [...(answer.text ? [{ type: "text" as const, text: answer.text }] : []), ...calls.sent];
        if (content.length > 0) session.push({ role: "assistant", content });
        this.meter.update(answer.usage, session.messages.length);
        out.usage = addUsage(out.usage, answer.usage);
        out.result = answer.text;
        const record = { turn, provenance: answer.provenance, usage: answer.usage, finishReason: answer.finishReason };
        out.turnRecords.push(record);

        let plan;
        if (answer.toolCalls.length > 0) {
          const step = yield* runToolCalls(calls.run, turn, {
            tools: this.tools,
            permissions: this.options.permissions,
            interaction: this.options.interaction,
            mode: session.mode,
            executionMode: this.options.executionMode ?? "default",
            ctx: await this.toolContext(signal),
          });
          session.push({ role: "tool", content: step.results });
          for (const r of step.records) session.recordToolCall(r);
          out.toolCalls.push(...step.records);
          plan = step.plan;
          if (plan?.mode) session.setMode(plan.mode);
        }
        session.recordTurn(record);
        session.sync();
        yield { type: "turn-end", ...record };
        if (answer.finishReason === "abort" || signal.aborted) return finish("cancelled");
        if (plan?.ends) {
          out.result = plan.plan;
          return finish("plan");
        }
        if (answer.toolCalls.length === 0) return finish("done");
      }
    } catch (error) {
      const serialized = serializeError(withAssistantSize(error));
      out.error = serialized;
      yield { type: "error", error: serialized };
      return finish(signal.aborted ? "cancelled" : "error");
    }
  }

  /** `/compact`: summarises older turns now. Undefined when there is nothing to summarise. */
  async compact(signal: AbortSignal = new AbortController().signal): Promise<Extract<AgentEvent, { type: "compaction" }> | undefined> {
    const { session } = this;
    const before = session.messages.length;
    const tokensBefore = this.meter.estimate(session.header.system, session.messages);
    const c = this.options.compaction;
    // A tool result keeps at most a quarter of the window: as many characters as the window has tokens (~4 a token).
    const maxResultChars = c ? (typeof c.contextWindow === "number" ? c.contextWindow : c.contextWindow(session.lastProvenance)) : Infinity;
    const done = await compactMessages(session.messages, c?.model ?? this.options.model, c?.keepTurns ?? 2, signal, maxResultChars);
    if (!done) return undefined;
    session.replaceMessages(done.summary, done.messages);
    this.meter.reset();
    return { type: "compaction", messagesBefore: before, messagesAfter: done.messages.length, tokensBefore, summary: done.summary, usage: done.usage };
  }

  /**
   * Compacts when the conversation passes the threshold of the window of the model that answered
   * last (a resumed session's: from its transcript). Returns the compaction it made, if any.
   */
  private async *maybeCompact(signal: AbortSignal): AsyncGenerator<AgentEvent, "cancelled" | Extract<AgentEvent, { type: "compaction" }> | undefined> {
    const c = this.options.compaction;
    if (!c) return undefined;
    const answeredBy = this.session.lastProvenance;
    const share = c.threshold ?? 0.8;
    const tokens = this.meter.estimate(this.session.header.system, this.session.messages);
    if (tokens <= (typeof c.contextWindow === "number" ? c.contextWindow : c.contextWindow(answeredBy)) * share) return undefined;
    if (c.confirmWindow && tokens <= (await c.confirmWindow(answeredBy, signal)) * share) return undefined;
    if (signal.aborted) return "cancelled";
    const event = await this.compact(signal);
    if (signal.aborted) return "cancelled";
    if (event) yield event;
    return event;
  }

  private toolContext(signal: AbortSignal): ToolContext | Promise<ToolContext> {
    const { cwd, projectRoot } = this.session.header;
    const base: ToolContext = { projectRoot, cwd: () => cwd, signal };
    return this.options.toolContext ? this.options.toolContext(base) : base;
  }
}

/**
 * The error of a prompt its transcript would not take: the model was not sent it either. Marked
 * `details.promptNotSent`, so a client that kept the prompt's text (the terminal UI) can say so and
 * give the text back.
 */
function promptNotSent(error: unknown): WrenError {
  const e = error instanceof WrenError ? error : new WrenError("internal", error instanceof Error ? error.message : String(error), { cause: error });
  return new WrenError(e.code, e.message, { cause: e.cause ?? e, ...(e.hint ? { hint: e.hint } : {}), details: { ...e.details, promptNotSent: true } });
}
