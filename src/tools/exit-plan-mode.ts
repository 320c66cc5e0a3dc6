import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { okResult } from "./result.js";

const parameters = z.object({
  plan: z.string().min(1).describe("The plan, in markdown: the steps you will take and the files you will change."),
});

/**
 * Plan mode's way out. The permission asked for this call is the user's approval of the plan; when
 * it runs, the plan was approved, and the agent leaves plan mode on seeing `data.kind === "plan"`.
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
    return okResult("The user approved the plan; plan mode is over. Carry it out now, step by step.", {
      display: input.plan,
      data: { kind: "plan", plan: input.plan },
    });
  },
});
