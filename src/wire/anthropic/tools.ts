import { z } from "zod";
import { toolNameSchema } from "../tool-name.js";

/**
 * Tools of an Anthropic Messages request. Three kinds, by `type`:
 * - custom tools (`type` absent or `"custom"`): name, description, `input_schema`; the client runs them;
 * - Anthropic-defined client tools (`bash_*`, `text_editor_*`): the client runs them too, so a local
 *   model gets them as custom tools with the input schema Anthropic documents for them;
 * - every other typed tool: server tools Anthropic's servers run (`web_search_*`, `web_fetch_*`,
 *   `code_execution_*`, `tool_search_*`, MCP toolsets), which a local model cannot, and tools that
 *   need more than text (`computer_*`, `memory_*`) or are newer than this schema: left out of the
 *   request and logged.
 */

const customTool = z.looseObject({
  type: z.literal("custom").optional(),
  name: toolNameSchema,
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()),
});

/** The input of Anthropic's `bash` tool, as its documentation gives it. */
const BASH_INPUT_SCHEMA = {
  type: "object",
  properties: {
    command: { type: "string", description: "The bash command to run." },
    restart: { type: "boolean", description: "Restart the bash session." },
  },
};

/** The input of Anthropic's text editor tool (`str_replace_editor` / `str_replace_based_edit_tool`). */
const TEXT_EDITOR_INPUT_SCHEMA = {
  type: "object",
  properties: {
    command: { type: "string", enum: ["view", "create", "str_replace", "insert", "undo_edit"] },
    path: { type: "string", description: "Absolute path of the file or directory." },
    file_text: { type: "string" },
    old_str: { type: "string" },
    new_str: { type: "string" },
    insert_line: { type: "integer" },
    insert_text: { type: "string" },
    view_range: { type: "array", items: { type: "integer" } },
  },
  required: ["command", "path"],
};

/** The tools a local model is given: custom tools and Anthropic-defined client tools. */
export interface AnthropicClientTool {
  kind: "client";
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** A tool left out (a server tool, or one of another type): only its type and name are kept, for the log. */
export interface AnthropicServerTool {
  kind: "server";
  type: string;
  name: string;
}

export const anthropicToolSchema = z.looseObject({ type: z.string().nullish(), name: z.string() }).transform((tool, ctx): AnthropicClientTool | AnthropicServerTool => {
  const type = tool.type ?? "custom";
  if (type === "custom") {
    const result = customTool.safeParse(tool);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    }
    const { name, description, input_schema } = result.data;
    return { kind: "client", name, ...(description ? { description } : {}), inputSchema: input_schema };
  }
  if (type.startsWith("bash_")) {
    return { kind: "client", name: tool.name, description: "Run a command in a persistent bash shell.", inputSchema: BASH_INPUT_SCHEMA };
  }
  if (type.startsWith("text_editor_")) {
    return { kind: "client", name: tool.name, description: "View, create and edit text files.", inputSchema: TEXT_EDITOR_INPUT_SCHEMA };
  }
  return { kind: "server", type, name: tool.name };
});
export type AnthropicTool = z.output<typeof anthropicToolSchema>;

export const anthropicToolChoiceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("none") }),
  z.looseObject({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
]);
