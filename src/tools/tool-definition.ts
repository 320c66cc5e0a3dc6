import { z } from "zod";
import type { JsonSchema } from "../protocol/messages.js";
import type { ToolDefinition } from "../protocol/request.js";
import type { Tool } from "./tool.js";

/** The JSON Schema a model is given for a tool's input (what it may send, defaults optional). */
export function toolInputSchema(tool: Tool): JsonSchema {
  if (tool.inputSchema) return tool.inputSchema;
  const schema = z.toJSONSchema(tool.parameters, { io: "input", unrepresentable: "any" }) as JsonSchema;
  // The dialect codecs wrap it themselves; a meta-schema URL is noise in every request.
  delete schema["$schema"];
  return schema;
}

/** A tool as the canonical request names it, ready for `ChatRequest.tools`. */
export function toolDefinition(tool: Tool): ToolDefinition {
  return { name: tool.name, description: tool.description, inputSchema: toolInputSchema(tool) };
}
