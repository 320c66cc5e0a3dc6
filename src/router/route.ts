/** A rule over the request, for conditional routing. Conditions combine with `all`, `any`, `not`. */
export type Condition =
  /** The client asked for one of these model names (e.g. `auto`, `coder`). */
  | { model: string | string[] }
  /** The prompt has at least this many tokens (counted by the local model's tokenizer when there is one). */
  | { minPromptTokens: number }
  /** The prompt (plus the output budget) does not fit the local model's context. */
  | { exceedsLocalContext: true }
  | { hasTools: boolean }
  | { hasImages: boolean }
  /** A regular expression over the text of the user's messages. */
  | { match: string; flags?: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/**
 * A routing policy as a tree. Leaves name targets; `fallback` tries its children in order;
 * `loadbalance` picks one child by weight (the others stay behind it as fallbacks); `conditional`
 * takes the first branch whose condition holds. Nodes nest freely.
 */
export type RouteNode =
  | { type: "target"; target: string; reason?: string }
  | {
      type: "fallback";
      targets: RouteNode[];
      /**
       * HTTP statuses that move on to the next child. Timeouts and connection failures always do.
       * Default: any failure does.
       */
      onStatus?: number[];
    }
  | { type: "loadbalance"; targets: Array<{ node: RouteNode; weight: number }> }
  | {
      type: "conditional";
      branches: Array<{ when: Condition; then: RouteNode; reason?: string }>;
      otherwise?: RouteNode;
    };

/** One target the plan will try, with why it is in the plan and what failures let the plan go past it. */
export interface Candidate {
  target: string;
  reason: string;
  /** From the innermost fallback around it; undefined = any failure moves on. */
  onStatus?: number[] | undefined;
}
