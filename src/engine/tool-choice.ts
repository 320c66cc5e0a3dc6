import { ChatWrapper, JinjaTemplateChatWrapper, type ChatModelFunctions } from "node-llama-cpp";
import type { ChatRequest, ToolDefinition } from "../protocol/request.js";
import { WrenError } from "../shared/errors.js";
import { grammarSchema } from "./grammars.js";

/* Which tools a request lets the model call, in node-llama-cpp's terms. */

export function toFunctions(tools: readonly ToolDefinition[]): ChatModelFunctions {
  const out: Record<string, { description?: string; params?: never }> = {};
  for (const tool of tools) {
    out[tool.name] = {
      ...(tool.description ? { description: tool.description } : {}),
      params: grammarSchema(tool.inputSchema) as never,
    };
  }
  return out;
}

/** The tools a `required` or named tool choice restricts generation to, or undefined. */
export function forcedTools(tools: readonly ToolDefinition[], choice: ChatRequest["toolChoice"]): ToolDefinition[] | undefined {
  if (choice === "required") {
    if (tools.length === 0) {
      throw new WrenError("bad_request", "tool_choice requires a tool call, but the request declares no tools.", {
        hint: "Declare the tools in `tools`, or set tool_choice to auto.",
      });
    }
    return [...tools];
  }
  if (typeof choice === "object") {
    const tool = tools.find((t) => t.name === choice.toolName);
    if (!tool) {
      throw new WrenError("bad_request", `tool_choice names "${choice.toolName}", which is not among the declared tools.`, {
        hint: `Declare it in \`tools\`, or choose one of: ${tools.map((t) => t.name).join(", ") || "(none declared)"}.`,
      });
    }
    return [tool];
  }
  return undefined;
}

export function forcedSchema(tools: readonly ToolDefinition[]): Record<string, unknown> {
  if (tools.length === 1 && tools[0]) return tools[0].inputSchema;
  return {
    oneOf: tools.map((t) => ({
      type: "object",
      properties: { name: { const: t.name }, arguments: t.inputSchema },
      required: ["name", "arguments"],
    })),
  };
}

export function parseForcedCall(tools: readonly ToolDefinition[], text: string): { name: string; input: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (tools.length === 1 && tools[0]) return { name: tools[0].name, input: JSON.stringify(value) };
  const call = value as { name: string; arguments: unknown };
  return { name: call.name, input: JSON.stringify(call.arguments) };
}

/**
 * A forced call cut off by max tokens: its tool and its arguments as far as they were written (not
 * yet JSON), as OpenAI returns such a call with finish reason `length`. Among several tools the text
 * is `{"name": …, "arguments": …}` (see {@link forcedSchema}): undefined until the name is written
 * out whole.
 */
export function partialForcedCall(tools: readonly ToolDefinition[], text: string): { name: string; input: string } | undefined {
  if (tools.length === 1 && tools[0]) return { name: tools[0].name, input: text.trimStart() };
  const named = /^\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!named) return undefined;
  let name: unknown;
  try {
    name = JSON.parse(`"${named[1] ?? ""}"`);
  } catch {
    return undefined;
  }
  if (!tools.some((t) => t.name === name)) return undefined;
  const rest = text.slice(named[0].length);
  const args = /^\s*,\s*"arguments"\s*:\s*/.exec(rest);
  return { name: name as string, input: args ? rest.slice(args[0].length) : "" };
}

/**
 * Whether the chat format has a function-calling syntax of its own (from its class or its Jinja
 * template). Formats without one inherit node-llama-cpp's generic `||call:` syntax.
 */
export function hasNativeFunctionCalling(chatWrapper: ChatWrapper): boolean {
  if (chatWrapper instanceof JinjaTemplateChatWrapper) return chatWrapper.usingJinjaFunctionCallTemplate;
  return chatWrapper.settings.functions !== ChatWrapper.defaultSettings.functions;
}
