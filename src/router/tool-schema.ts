import { z } from "zod";
import type { ToolDefinition } from "../protocol/index.js";

/**
 * Checks a tool call against its tool's JSON Schema. Returns undefined when valid, else a message
 * suitable to show the model in a repair attempt.
 */
export function toolCallProblem(tools: ToolDefinition[], toolName: string, input: string): string | undefined {
  if (!toolName) return `The reply looked like a tool call, but no tool name could be read from it. Write it as {"name": "<tool>", "arguments": {...}}.`;
  const tool = tools.find((t) => t.name === toolName);
  if (!tool) return `There is no tool named "${toolName}". Available: ${tools.map((t) => t.name).join(", ")}.`;
  let args: unknown;
  try {
    args = JSON.parse(input || "{}");
  } catch {
    return `The arguments for ${toolName} are not valid JSON: ${input.length > 200 ? `${input.slice(0, 200)}…` : input}`;
  }
  let schema: z.ZodType;
  try {
    schema = z.fromJSONSchema(tool.inputSchema);
  } catch {
    return undefined; // a schema zod cannot read is not the model's fault
  }
  const result = schema.safeParse(args);
  if (result.success) return undefined;
  return `The arguments for ${toolName} do not match its schema: ${result.error.issues
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ")}.`;
}
