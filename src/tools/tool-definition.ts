import { z } from "zod";
import type { JsonSchema } from "../protocol/messages.js";
import type { ToolDefinition } from "../protocol/request.js";
import { BUILTIN_TOOLS } from "./builtin-tools.js";
import type { Tool } from "./tool.js";

/**
 * Set by the published bundle's build (scripts/bundle-cli.mjs, esbuild `define`): the built-in
 * tools' input schemas by name, as {@link convertInputSchema} makes them; absent under tsc.
 */
declare const WREN_TOOL_SCHEMAS: Readonly<Record<string, JsonSchema>> | undefined;

/**
 * The JSON Schema a model is given for a tool's input (what it may send, defaults optional).
 * Converting the built-in tools' zod schemas took milliseconds of every `wren -p` before its first
 * request, so the published bundle carries their result, computed when it is built; only for the
 * built-in tool objects themselves, so another tool of the same name is still converted.
 */
export function toolInputSchema(tool: Tool): JsonSchema {
  if (tool.inputSchema) return tool.inputSchema;
  const prebuilt = typeof WREN_TOOL_SCHEMAS === "undefined" || !BUILTIN_TOOLS.includes(tool) ? undefined : WREN_TOOL_SCHEMAS[tool.name];
  return prebuilt ?? convertInputSchema(tool);
}

/** {@link toolInputSchema} from the tool's zod schema, at run time. */
export function convertInputSchema(tool: Tool): JsonSchema {
  const schema = z.toJSONSchema(tool.parameters, { io: "input", unrepresentable: "any" }) as JsonSchema;
  // The dialect codecs wrap it themselves; a meta-schema URL is noise in every request.
  delete schema["$schema"];
  return withoutSafeIntegerBounds(schema) as JsonSchema;
}

/**
 * zod writes `.int()` as bounds of ±2^53−1; they say nothing to a model and cost tokens in every
 * request (a small local model reads the tool list on every turn).
 */
function withoutSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSafeIntegerBounds);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "maximum" && value === Number.MAX_SAFE_INTEGER) continue;
    if (key === "minimum" && value === Number.MIN_SAFE_INTEGER) continue;
    out[key] = withoutSafeIntegerBounds(value);
  }
  return out;
}

/** A tool as the canonical request names it, ready for `ChatRequest.tools`. */
export function toolDefinition(tool: Tool): ToolDefinition {
  return { name: tool.name, description: tool.description, inputSchema: toolInputSchema(tool) };
}
