import type { PermissionDecision, PermissionMode, PermissionRequest } from "../../permissions/types.js";
import type { AskAnswer, AskUserAnswer, AskUserQuestion, PlanReview, SessionSummary } from "../../runtime/agent-types.js";
import type { ModelLoadState } from "../../runtime/model-load-state.js";
import type { Analysis } from "../../shell/types.js";
import type { Item, Todo, ToolView } from "./items.js";
import type { ResolvedTheme } from "./theme-settings.js";

/**
 * A question the live region shows instead of the prompt until the person answers it. `id`: set
 * when it is shown, one per question asked (the view draws each as a new dialog).
 */
export type Question = { readonly id?: number } & (
  | {
      kind: "permission";
      request: PermissionRequest;
      decision: PermissionDecision;
      /** The call being judged (its input, for the diff), when the view saw it. */
      call: ToolView | undefined;
      /** Shell mode's verdict on a `Bash` command; undefined until the analysis is in. */
      analysis: Analysis | undefined;
      answer(answer: AskAnswer): void;
    }
  | { kind: "plan"; plan: string; answer(review: PlanReview): void }
  | { kind: "ask-user"; questions: AskUserQuestion[]; answer(answers: AskUserAnswer[]): void }
  | { kind: "consent"; target: string; answer(ok: boolean): void }
  /** /resume: which earlier session of the project to continue (undefined: none, the person cancelled). */
  | { kind: "resume"; sessions: readonly SessionSummary[]; answer(chosen: SessionSummary | undefined): void }
);

/** What the status line says. */
export interface StatusInfo {
  /** What the session asks for: `auto`, a route or `provider:model`. */
  model: string;
  /** Who answered the last turn and why (the router's provenance). */
  answeredBy?: { provider: string; model: string; reason: string };
  /** The session's prompt tokens so far, over every model call (turns, compaction, plan reviews). */
  inputTokens: number;
  /** Of `inputTokens`, those read from a prompt cache; undefined while no model has stated it. */
  cachedInputTokens?: number;
  /** Of `inputTokens`, those written to a teacher's prompt cache; undefined while no model has stated it. */
  cacheWriteInputTokens?: number;
  outputTokens: number;
  costUsd: number;
  /** The last turn's time from the request to its first token (text or tool call), in ms. */
  timeToFirstTokenMs?: number;
  /** The last turn's output tokens per second, from its first token to its end. */
  tokensPerSecond?: number;
  /** The tokens the last turn filled of the context window (its prompt and its answer). */
  contextTokens?: number;
  /** The context window of the model that answered last; undefined when it is not known (a local model that has not said it). */
  contextWindow?: number;
}

/** Everything the terminal UI draws, as one immutable snapshot. */
export interface ViewState {
  /** Finished entries, in order; each is printed to the scrollback once and never redrawn. */
  items: readonly Item[];
  /** The answer streaming in now: its last block (the settled ones are already items). */
  liveText: string;
  /** True once part of the answer streaming in went to the items: the rest continues it. */
  answerOpen: boolean;
  /** Tool calls of the current step that have not finished. */
  liveTools: readonly ToolView[];
  /** The model's todo list while a turn runs (its last TodoWrite), pinned above the prompt; it goes to the scrollback when the turn ends. */
  todos: readonly Todo[] | undefined;
  busy: boolean;
  /** False until the session is open (the prompt takes input before that). */
  ready: boolean;
  question: Question | undefined;
  status: StatusInfo;
  mode: PermissionMode;
  /** A one-line note under the prompt (Ctrl+C again to exit, a rating was saved, …). */
  flash: string | undefined;
  /** The colours the view draws with; /theme switches them. */
  theme: ResolvedTheme;
  /** Set when the person asked to leave: the app unmounts. */
  exiting: boolean;
  /**
   * A prompt given back to the prompt box (its transcript refused it, so it was not sent): the box
   * shows `text` when `id` changes. Undefined until one is.
   */
  restoredPrompt?: { id: number; text: string } | undefined;
  /** The local model's load by the daemon while it is not ready (`describeModelLoad` words it); undefined without one. */
  modelLoad?: ModelLoadState | undefined;
}
