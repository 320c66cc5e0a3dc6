import { FunctionCallingConfigMode, type GenerateContentConfig } from "@google/genai";
import type { ChatRequest } from "../../protocol/index.js";

/** Canonical tools and tool choice → Gemini `tools` / `toolConfig`. */
export function prepareGeminiTools(request: ChatRequest): Pick<GenerateContentConfig, "tools" | "toolConfig"> {
  if (!request.tools?.length) return {};
  const tools: GenerateContentConfig["tools"] = [
    {
      functionDeclarations: request.tools.map((tool) => ({
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parametersJsonSchema: tool.inputSchema,
      })),
    },
  ];
  const choice = request.toolChoice;
  if (choice === undefined || choice === "auto") return { tools };
  if (choice === "none") return { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } } };
  if (choice === "required") return { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } } };
  return {
    tools,
    toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [choice.toolName] } },
  };
}
