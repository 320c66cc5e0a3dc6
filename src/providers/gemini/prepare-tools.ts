import type { FunctionCallingConfigMode, GenerateContentConfig } from "@google/genai";
import type { ChatRequest } from "../../protocol/index.js";

// The enum's values, without loading the SDK's runtime (its import alone costs start-up time).
const NONE = "NONE" as FunctionCallingConfigMode.NONE;
const ANY = "ANY" as FunctionCallingConfigMode.ANY;

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
  if (choice === "none") return { tools, toolConfig: { functionCallingConfig: { mode: NONE } } };
  if (choice === "required") return { tools, toolConfig: { functionCallingConfig: { mode: ANY } } };
  return {
    tools,
    toolConfig: { functionCallingConfig: { mode: ANY, allowedFunctionNames: [choice.toolName] } },
  };
}
