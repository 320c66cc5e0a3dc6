/** The agent's event and outcome types, for cli/ (which renders them and never imports agent/). */
export type { AgentEvent, RunOutcome, SessionSummary, StopReason, ToolCallRecord, TurnRecord, TranscriptRecord, SkippedLine, FeedbackEntry, Rating } from "../agent/index.js";
export type { AskAnswer, Interaction, PlanReview } from "../agent/index.js";
export type { AskUserAnswer, AskUserFn, AskUserQuestion } from "../tools/tool.js";
export type { PlanCritique, PlanReviewFindings, ReviewerPersona } from "../agent/plan-critique.js";
