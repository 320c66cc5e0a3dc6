import type { PermissionMode } from "../permissions/types.js";
import type { Interaction } from "./permission-gate.js";

/** The tool a model calls in plan mode to hand its plan to the user. */
export const EXIT_PLAN_MODE = "ExitPlanMode";

/** The plan in an ExitPlanMode call: its `plan` argument, or the whole input as text. */
export function planOf(input: unknown): string {
  if (input && typeof input === "object" && "plan" in input && typeof input.plan === "string") return input.plan;
  return typeof input === "string" ? input : JSON.stringify(input);
}

/** What became of a plan: the tool result the model reads, and the mode from now on. */
export interface PlanOutcome {
  verdict: "approved" | "edited" | "rejected" | "result";
  llmContent: string;
  isError: boolean;
  /** The plan as it stands (edited, when the user edited it). */
  plan: string;
  /** Set when the session leaves plan mode. */
  mode?: PermissionMode;
  /** True when the run ends here with the plan as its result (non-interactive). */
  ends: boolean;
}

/**
 * Plan mode ends with the user's review: approval (as written or edited) switches the session to
 * `executionMode`; a rejection keeps plan mode and tells the model why. With nobody to review it
 * (`wren -p --permission-mode plan`), the plan is the run's result.
 */
export async function reviewPlan(plan: string, interaction: Interaction | undefined, executionMode: PermissionMode): Promise<PlanOutcome> {
  if (!interaction) {
    return { verdict: "result", plan, ends: true, isError: false, llmContent: "The plan was handed to the user as the result of this run; stop here." };
  }
  const review = await interaction.reviewPlan(plan);
  switch (review.verdict) {
    case "approve":
      return { verdict: "approved", plan, ends: false, isError: false, mode: executionMode, llmContent: "The user approved the plan. Plan mode is off: carry out the plan now." };
    case "edit":
      return {
        verdict: "edited",
        plan: review.plan,
        ends: false,
        isError: false,
        mode: executionMode,
        llmContent: `The user edited the plan and approved it. Plan mode is off: carry out this plan now.\n\n${review.plan}`,
      };
    case "reject":
      return {
        verdict: "rejected",
        plan,
        ends: false,
        isError: true,
        llmContent: `The user rejected the plan: ${review.reason || "no reason given"}. Plan mode is still on: revise the plan and call ExitPlanMode again.`,
      };
  }
}
