import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { okResult } from "./result.js";

const parameters = z.object({
  plan: z.string().min(1).describe("The plan, in markdown: the steps you will take and the files you will change."),
});

/**
 * Plan mode's way out. In plan mode the agent never runs it: it puts the plan to the user (or, with
 * no one to ask, makes it the run's result; see agent/plan-mode.ts). It runs only when plan mode is
 * off, where no one reviews the plan, and says so: the model must not take it for an approval.
 */
export const exitPlanModeTool = defineTool({
  name: "ExitPlanMode",
  description:
    "In plan mode, when your plan is ready, presents it to the user for approval. If they approve, plan mode ends and you " +
    "carry the plan out. Use it only for tasks that change code, not for research.",
  parameters,
  readOnly: true,
  permission: () => ({ tool: "ExitPlanMode", effect: "interact" }),
  async execute(input) {
    return okResult("Plan mode is not on: no one reviewed this plan. Carry on with the task; each tool call is still checked against the user's permissions.", {
      display: input.plan,
      data: { kind: "plan", plan: input.plan },
    });
  },
});
