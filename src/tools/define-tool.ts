import type { z } from "zod";
import type { PermissionRequest } from "../permissions/types.js";
import type { Tool, ToolContext, ToolResult } from "./tool.js";

/** What `defineTool` takes: a tool whose input type comes from its zod schema. */
export interface ToolSpec<S extends z.ZodType> {
  /** The name models call it by. */
  name: string;
  /** What the model reads to decide when and how to call it. */
  description: string;
  /** The input schema; the model's JSON Schema is derived from it (`toolDefinition`). */
  parameters: S;
  /** True when the tool never changes anything, so independent calls may run concurrently. */
  readOnly: boolean;
  permission(input: z.output<S>, ctx: ToolContext): PermissionRequest;
  execute(input: z.output<S>, ctx: ToolContext): Promise<ToolResult>;
}

/** A tool typed by its schema: `execute` and `permission` get the parsed input. */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): Tool<z.output<S>> {
  return spec as Tool<z.output<S>>;
}
