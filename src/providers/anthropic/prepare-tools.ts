import type { Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type { ChatRequest } from "../../protocol/index.js";

/** Canonical tools and tool choice → Anthropic `tools` / `tool_choice`. */
export function prepareAnthropicTools(request: ChatRequest): { tools?: Tool[]; tool_choice?: ToolChoice } {
  if (!request.tools?.length) return {};
  const tools: Tool[] = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    input_schema: { type: "object", ...tool.inputSchema },
  }));
  const choice = request.toolChoice;
  if (choice === undefined) return { tools };
  if (choice === "auto") return { tools, tool_choice: { type: "auto" } };
  if (choice === "none") return { tools, tool_choice: { type: "none" } };
  if (choice === "required") return { tools, tool_choice: { type: "any" } };
  return { tools, tool_choice: { type: "tool", name: choice.toolName } };
}
