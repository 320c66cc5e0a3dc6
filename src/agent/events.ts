import type { FinishReason, Provenance, Usage } from "../protocol/index.js";
import type { PermissionAction } from "../permissions/types.js";
import type { SerializedError } from "../shared/errors.js";

/** Why a run stopped. `plan`: a non-interactive plan-mode run ended with its plan as the result. */
export type StopReason = "done" | "max-turns" | "cancelled" | "error" | "plan";

/** One tool call as the run reports it (the JSON output's `tool_calls`). */
export interface ToolCallRecord {
  id: string;
  name: string;
  input: unknown;
  /** `ask` never survives a decision: it becomes `allow` after the user's yes, `deny` otherwise. */
  decision: Exclude<PermissionAction, "ask">;
  /** The rule that decided, as written (`Edit(src/**)`), when one did. */
  rule?: string;
  reason: string;
  isError: boolean;
}

/** What happened in one model call: who answered, why, and at what cost in tokens. */
export interface TurnRecord {
  turn: number;
  provenance: Provenance | undefined;
  usage: Usage;
  finishReason: FinishReason;
}

/**
 * What the agent loop yields, in order, as it happens. The agent never prints: cli/ renders these
 * as text, one JSON object, or one JSON line each.
 */
export type AgentEvent =
  | { type: "turn-start"; turn: number }
  | { type: "text-delta"; turn: number; delta: string }
  | { type: "tool-call"; turn: number; id: string; name: string; input: unknown }
  | { type: "decision"; turn: number; id: string; name: string; action: Exclude<PermissionAction, "ask">; rule?: string; reason: string }
  | { type: "tool-result"; turn: number; id: string; name: string; output: string; display: string; isError: boolean }
  | ({ type: "turn-end" } & TurnRecord)
  /** `usage`: the summary request's tokens (counted in the run's usage too). */
  | { type: "compaction"; messagesBefore: number; messagesAfter: number; tokensBefore: number; summary: string; usage: Usage }
  | { type: "plan"; plan: string; verdict: "approved" | "edited" | "rejected" | "result" }
  | { type: "error"; error: SerializedError };

/** The end of a run: the generator's return value. */
export interface RunOutcome {
  reason: StopReason;
  /** The final answer's text (the plan, for `plan`). */
  result: string;
  turns: number;
  toolCalls: ToolCallRecord[];
  turnRecords: TurnRecord[];
  usage: Usage;
  error?: SerializedError;
}
