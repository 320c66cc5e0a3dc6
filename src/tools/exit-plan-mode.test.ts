import { describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { exitPlanModeTool } from "./exit-plan-mode.js";
import { runTool } from "./run-tool.js";

describe("ExitPlanMode", () => {
  it("hands the approved plan to the agent; asking for it is the approval", async () => {
    const plan = "1. Add the route\n2. Test it";
    expect(exitPlanModeTool.permission({ plan }, toolContext(process.cwd()))).toEqual({ tool: "ExitPlanMode", effect: "interact" });
    const result = await runTool(exitPlanModeTool, { plan }, toolContext(process.cwd()));
    expect(result).toMatchObject({ isError: false, display: plan, data: { kind: "plan", plan } });
    expect(result.llmContent).toContain("approved");
    expect((await runTool(exitPlanModeTool, { plan: "" }, toolContext(process.cwd()))).isError).toBe(true);
  });
});
