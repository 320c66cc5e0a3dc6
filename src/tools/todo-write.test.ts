import { describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { runTool } from "./run-tool.js";
import { todoWriteTool } from "./todo-write.js";

describe("TodoWrite", () => {
  it("hands the list to the agent and shows it to the user", async () => {
    const todos = [
      { content: "Read the code", status: "completed" },
      { content: "Fix the bug", status: "in_progress", activeForm: "Fixing the bug" },
      { content: "Run the tests", status: "pending" },
    ];
    const result = await runTool(todoWriteTool, { todos }, toolContext(process.cwd()));
    expect(result.isError).toBe(false);
    expect(result.llmContent).toBe("Todo list updated (3 tasks: 1 done, 1 in progress, 1 pending).");
    expect(result.display).toBe("[x] Read the code\n[~] Fixing the bug\n[ ] Run the tests");
    expect(result.data).toEqual({ kind: "todos", todos });
  });

  it("reminds the model to keep one task in progress, and refuses an unknown status", async () => {
    const two = await runTool(todoWriteTool, { todos: [{ content: "a", status: "in_progress" }, { content: "b", status: "in_progress" }] }, toolContext(process.cwd()));
    expect(two.llmContent).toContain("Keep only one task in_progress");
    const bad = await runTool(todoWriteTool, { todos: [{ content: "a", status: "doing" }] }, toolContext(process.cwd()));
    expect(bad.isError).toBe(true);
    expect(bad.llmContent).toContain("status");
  });
});
