import { z } from "zod";
import { boundResult } from "./bound-result.js";
import { CANCELLED_TEXT, errorResult, resultFromError } from "./result.js";
import type { Tool, ToolContext, ToolResult } from "./tool.js";

/**
 * Runs one tool call as the agent should: the model's raw input is checked against the tool's
 * schema, and every failure — bad input, a thrown error, a cancellation — comes back as an error
 * result for the model to correct, never as an exception. Its text is bounded here, as it is
 * produced (see `boundResult`), whatever the tool returned.
 */
export async function runTool(tool: Tool, rawInput: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) return errorResult(CANCELLED_TEXT);
  const parsed = tool.parameters.safeParse(rawInput);
  if (!parsed.success) {
    return errorResult(`Invalid input for ${tool.name}:\n${z.prettifyError(parsed.error)}`, "Call it again with input that matches its schema.");
  }
  try {
    return boundResult(await tool.execute(parsed.data, ctx));
  } catch (error) {
    return ctx.signal.aborted ? errorResult(CANCELLED_TEXT) : boundResult(resultFromError(error));
  }
}
