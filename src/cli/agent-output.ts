import type { FinishReason, Usage } from "../protocol/index.js";
import type { AgentEvent, RunOutcome } from "../runtime/agent-types.js";
import { deserializeError, serializeError, type SerializedError } from "../shared/errors.js";
import { withHintBelow } from "./report-error.js";
import { visibleText } from "../shared/visible-text.js";

/** `--output-format`. */
export type OutputFormat = "text" | "json" | "stream-json";

/** What a finished `wren -p` run reports. */
export interface RunReport {
  outcome: RunOutcome;
  /** Null when the run kept no session (a new one that failed before the model answered). */
  sessionId: string | null;
  costUsd: number;
  /** MCP servers that could not be used; the run went on without their tools. */
  mcpFailures?: McpFailure[];
}

/** An MCP server left out of the run, or one of its tools (`tool`: the server is on without it), and why. */
export interface McpFailure {
  server: string;
  tool?: string;
  error: SerializedError;
}

/**
 * A usage in snake_case; the prompt-cache reads (of them, those a local model restored from saved
 * prompt states) and writes, within input_tokens, only where the model stated them.
 */
const usageJson = (u: Usage) => ({
  input_tokens: u.inputTokens,
  ...(u.cachedInputTokens === undefined ? {} : { cached_input_tokens: u.cachedInputTokens }),
  ...(u.restoredInputTokens === undefined ? {} : { restored_input_tokens: u.restoredInputTokens }),
  ...(u.cacheWriteInputTokens === undefined ? {} : { cache_write_input_tokens: u.cacheWriteInputTokens }),
  output_tokens: u.outputTokens,
  total_tokens: u.totalTokens,
});

/** The one object `--output-format json` prints (and the last line of `stream-json`). */
export function resultJson(report: RunReport): Record<string, unknown> {
  const { outcome } = report;
  return {
    result: outcome.result,
    session_id: report.sessionId,
    stop_reason: outcome.reason,
    is_error: outcome.reason !== "done" && outcome.reason !== "plan",
    turns: outcome.turns,
    tool_calls: outcome.toolCalls.map((c) => ({
      id: c.id,
      name: c.name,
      input: c.input,
      decision: c.decision,
      ...(c.rule ? { rule: c.rule } : {}),
      reason: c.reason,
      is_error: c.isError,
    })),
    usage: usageJson(outcome.usage),
    provenance: outcome.turnRecords.map((t) => ({ turn: t.turn, ...(t.provenance ?? { provider: null, model: null, reason: null }) })),
    cost: { usd: report.costUsd },
    ...(report.mcpFailures?.length ? { mcp_failures: report.mcpFailures } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

/**
 * The json result of a run that failed before it began (or that threw): the same object as
 * {@link resultJson}'s, `stop_reason: "error"`, no turns, and `session_id` null when no session
 * was opened.
 */
export function failureJson(error: unknown, sessionId: string | null): Record<string, unknown> {
  const outcome: RunOutcome = {
    reason: "error",
    result: "",
    turns: 0,
    toolCalls: [],
    turnRecords: [],
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    error: serializeError(error),
  };
  return { ...resultJson({ outcome, sessionId: "", costUsd: 0 }), session_id: sessionId };
}

/** One agent event as a `stream-json` line's object (snake_case, like the final result). */
export function eventJson(event: AgentEvent): Record<string, unknown> {
  switch (event.type) {
    case "turn-start":
      return { type: "turn_start", turn: event.turn };
    case "text-delta":
      return { type: "text", turn: event.turn, text: event.delta };
    case "tool-call":
      return { type: "tool_call", turn: event.turn, id: event.id, name: event.name, input: event.input };
    case "decision":
      return { type: "decision", turn: event.turn, id: event.id, name: event.name, decision: event.action, ...(event.rule ? { rule: event.rule } : {}), reason: event.reason };
    case "tool-result":
      return { type: "tool_result", turn: event.turn, id: event.id, name: event.name, output: event.output, is_error: event.isError };
    case "turn-end":
      return { type: "turn_end", turn: event.turn, provenance: event.provenance ?? null, usage: usageJson(event.usage), finish_reason: event.finishReason };
    case "compaction":
      return { type: "compaction", messages_before: event.messagesBefore, messages_after: event.messagesAfter, tokens_before: event.tokensBefore, summary: event.summary };
    case "plan":
      return { type: "plan", plan: event.plan, verdict: event.verdict };
    case "error":
      return { type: "error", error: event.error };
  }
}

/** Renders a run's events as they happen, in one of the three formats. */
export interface RunPrinter {
  start(session: { id: string; model: string; mode: string; cwd: string; mcpFailures?: McpFailure[] }): void;
  event(event: AgentEvent): void;
  end(report: RunReport): void;
  /**
   * A run that failed before it could end (a start-up error: bad flags, a damaged session): json
   * and stream-json print {@link failureJson}'s result, unless a result is out already; text
   * prints nothing (the error goes to stderr like any other).
   */
  failed(error: unknown, sessionId: string | null): void;
}

/** Answers that ended before the model was done, said on stderr: stdout alone reads as whole. */
const CUT_SHORT: Partial<Record<FinishReason, string>> = {
  length: "the answer stopped at the model's output limit",
  "content-filter": "the provider's content filter stopped the answer",
};

/** Writes whole lines; the streams are the process's unless a test passes others. */
export function createPrinter(format: OutputFormat, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): RunPrinter {
  if (format === "json" || format === "stream-json") {
    const line = (value: unknown): void => void out.write(`${JSON.stringify(value)}\n`);
    const tag = format === "stream-json" ? { type: "result" } : {};
    // One result, whichever way the run ends.
    let resulted = false;
    const result = (value: Record<string, unknown>): void => {
      if (resulted) return;
      resulted = true;
      line({ ...tag, ...value });
    };
    return {
      start: (s) => {
        if (format === "stream-json") line({ type: "session", session_id: s.id, model: s.model, mode: s.mode, cwd: s.cwd, ...(s.mcpFailures?.length ? { mcp_failures: s.mcpFailures } : {}) });
      },
      event: (e) => {
        if (format === "stream-json") line(eventJson(e));
      },
      end: (report) => result(resultJson(report)),
      failed: (error, sessionId) => result(failureJson(error, sessionId)),
    };
  }
  // text: the answer on stdout as it streams, as the model wrote it; tool activity on stderr, so
  // stdout stays the answer. What stderr names (tools, commands, servers) shows its control characters.
  let atLineStart = true;
  const write = (text: string): void => {
    if (!text) return;
    out.write(text);
    atLineStart = text.endsWith("\n");
  };
  // A line on stderr starts on a line of its own where both streams reach one terminal (or 2>&1):
  // the turn's words, complete by then, end their line first, as the turn's end would.
  const note = (line: string): void => {
    if (!atLineStart) write("\n");
    err.write(line);
  };
  return {
    // One line per server left out: the run goes on, and the user knows why a tool is missing.
    start(s) {
      for (const f of s.mcpFailures ?? []) err.write(withHintBelow(deserializeError(f.error), f.tool === undefined ? `MCP server '${visibleText(f.server)}' left out: ` : `MCP server '${visibleText(f.server)}': `));
    },
    event(e) {
      if (e.type === "text-delta") write(e.delta);
      else if (e.type === "turn-end") {
        if (!atLineStart) write("\n");
        const cut = CUT_SHORT[e.finishReason];
        if (cut) note(`wren: ${cut} (finish reason ${e.finishReason}): it may be incomplete\n`);
      }
      else if (e.type === "decision") note(`wren: ${visibleText(e.name)} ${e.action === "allow" ? "allowed" : "refused"}: ${visibleText(e.reason)}\n`);
      else if (e.type === "compaction") note(`wren: compacted the conversation (${e.messagesBefore} messages → ${e.messagesAfter})\n`);
      else if (e.type === "plan" && e.verdict === "result") write(`${e.plan}\n`);
    },
    end(report) {
      if (!atLineStart) write("\n");
      const { outcome } = report;
      if (outcome.reason === "max-turns") note(`wren: stopped after ${outcome.turns} turns (--max-turns); resume with --resume ${report.sessionId}\n`);
    },
    failed() {
      if (!atLineStart) write("\n");
    },
  };
}
