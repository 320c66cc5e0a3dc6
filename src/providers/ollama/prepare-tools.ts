import type { Tool } from "ollama";
import type { ChatRequest } from "../../protocol/index.js";

/**
 * Canonical tools → Ollama `tools`. Ollama has no tool choice: `none` sends no tools, and a forced
 * tool sends only that one.
 */
export function prepareOllamaTools(request: ChatRequest): { tools?: Tool[] } {
  if (!request.tools?.length || request.toolChoice === "none") return {};
  const choice = request.toolChoice;
  const offered = typeof choice === "object" ? request.tools.filter((t) => t.name === choice.toolName) : request.tools;
  return {
    tools: offered.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.inputSchema,
      },
    })),
  };
}
