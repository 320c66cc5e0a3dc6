import type { z } from "zod";
import type { PermissionRequest } from "../permissions/types.js";

/** What a tool call may use. The agent builds one per call; tools hold no state of their own. */
export interface ToolContext {
  /** The project directory (the repository root, or where the session started). */
  projectRoot: string;
  /** The session's working directory now (Bash `cd` moves it; relative paths resolve against it). */
  cwd(): string;
  /** Fires when the user cancels the turn: stop at once and free what was taken. */
  signal: AbortSignal;
}

/**
 * A tool's answer. `llmContent` goes back to the model; `display` is what the user sees. A failure
 * is a result with `isError` (the model can correct itself), never a thrown error.
 */
export interface ToolResult {
  llmContent: string;
  display: string;
  isError: boolean;
  /** Structured data for the agent (a diff, the todo list, a plan), when the tool has some. */
  data?: unknown;
}

export interface Tool<I = unknown> {
  /** The name models call it by: `Read`, `Edit`, `Bash`, `mcp__server__tool`. */
  name: string;
  description: string;
  /** The input schema: zod at the trust boundary; JSON Schema for the model comes from it. */
  parameters: z.ZodType<I>;
  /** True when the tool never changes anything (so independent calls may run concurrently). */
  readOnly: boolean;
  /** How the permission system sees one call of it. */
  permission(input: I, ctx: ToolContext): PermissionRequest;
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
}
