import type { ChatCompletionTool, ChatCompletionToolChoiceOption } from "openai/resources/chat/completions";
import type { ChatRequest } from "../../protocol/index.js";

/** Canonical tools and tool choice → OpenAI `tools` / `tool_choice`. */
export function prepareOpenAITools(request: ChatRequest): {
  tools?: ChatCompletionTool[];
  tool_choice?: ChatCompletionToolChoiceOption;
} {
  if (!request.tools?.length) return {};
  const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
    type: "function",
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
    },
  }));
  const choice = request.toolChoice;
  if (choice === undefined) return { tools };
  if (typeof choice === "string") return { tools, tool_choice: choice };
  return { tools, tool_choice: { type: "function", function: { name: choice.toolName } } };
}
