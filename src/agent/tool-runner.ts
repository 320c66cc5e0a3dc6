import { runTool } from "../tools/run-tool.js";
import type { Tool, ToolContext, ToolResult } from "../tools/tool.js";

/** A call the model asked for, checked against its tool: ready to judge and run, or an error result. */
export type PreparedCall =
  | { ok: true; tool: Tool; input: unknown }
  | { ok: false; result: ToolResult };

const fail = (message: string): PreparedCall => ({ ok: false, result: { llmContent: message, display: message, isError: true } });

/** Finds the tool and checks the arguments with its zod schema (the model's output is untrusted). */
export function prepareCall(tools: readonly Tool[], name: string, rawInput: unknown): PreparedCall {
  const tool = tools.find((t) => t.name === name);
  if (!tool) return fail(`There is no tool named "${name}". Available tools: ${tools.map((t) => t.name).join(", ")}.`);
  let args = rawInput;
  if (typeof rawInput === "string") {
    try {
      args = rawInput.trim() === "" ? {} : (JSON.parse(rawInput) as unknown);
    } catch {
      return fail(`The arguments for ${name} are not valid JSON: ${rawInput.slice(0, 200)}`);
    }
  }
  const parsed = tool.parameters.safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`).join("; ");
    return fail(`The arguments for ${name} do not match its schema: ${issues}. Fix them and call it again.`);
  }
  return { ok: true, tool, input: parsed.data };
}

/** Runs a tool; whatever it throws becomes an error result the model can correct, never a crash. */
export function executeTool(tool: Tool, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  return runTool(tool, input, ctx);
}
