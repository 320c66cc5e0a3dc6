import { describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { exitPlanModeTool } from "./exit-plan-mode.js";
import { runTool } from "./run-tool.js";

describe("ExitPlanMode", () => {
  // In plan mode the agent puts the plan to the user (or makes it a headless run's result) and never runs the tool.
  it("run outside plan mode, tells the model that no one reviewed its plan, never that the user approved it", async () => {
    const plan = "1. Add the route\n2. Test it";
    expect(exitPlanModeTool.permission({ plan }, toolContext(process.cwd()))).toEqual({ tool: "ExitPlanMode", effect: "interact" });
    const result = await runTool(exitPlanModeTool, { plan }, toolContext(process.cwd()));
    expect(result).toMatchObject({ isError: false, display: plan, data: { kind: "plan", plan } });
    expect(result.llmContent).not.toMatch(/approved/i);
    expect(result.llmContent).toMatch(/^Plan mode is not on: no one reviewed this plan\./);
    expect((await runTool(exitPlanModeTool, { plan: "" }, toolContext(process.cwd()))).isError).toBe(true);
  });
});
