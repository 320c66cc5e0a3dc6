import type { LanguageModel, TokenCounter } from "../protocol/index.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
import type { RetryOptions } from "./retry.js";
import type { TargetTimeouts } from "./timeouts.js";

/** What the router knows about the local model, for escalation. */
export interface LocalTargetInfo {
  /** Context window in tokens; a longer request escalates with reason `context`. */
  contextLength: number;
  /** False while the model is still loading: escalate with reason `loading`. */
  isReady?: () => boolean;
  /**
   * Resolves once the model is loaded (starting its load if need be). Given, a loading model is
   * not given up on: it is tried last, after waiting for this, when no other target answered.
   */
  whenReady?: (signal?: AbortSignal) => Promise<void>;
  /** Counts a request's tokens as this model sees them. */
  tokenCounter?: TokenCounter;
  /**
   * Check the local model's tool calls (known tool, arguments that match its JSON Schema), allow
   * one repair turn, then escalate with reason `tool-call`. Default true.
   */
  validateToolCalls?: boolean;
}

/** One model the router can send a request to. */
export interface RouterTarget {
  /** `provider:model`, as routes name it. */
  id: string;
  model: LanguageModel;
  /** True when calling it sends data off this machine (a cloud provider): consent applies. */
  leavesMachine: boolean;
  /** Set for the local engine. */
  local?: LocalTargetInfo | undefined;
  timeouts?: TargetTimeouts | undefined;
  /** Overrides the router's retry options for this target. */
  retry?: RetryOptions | undefined;
  /** Overrides the router's breaker options for this target. */
  breaker?: CircuitBreakerOptions | undefined;
}
