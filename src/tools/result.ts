import { isAbortError, toWrenError } from "../shared/errors.js";
import type { ToolResult } from "./tool.js";

/** A successful result; the user sees `display` (the model's text when omitted). */
export function okResult(llmContent: string, options: { display?: string; data?: unknown } = {}): ToolResult {
  const result: ToolResult = { llmContent, display: options.display ?? llmContent, isError: false };
  if (options.data !== undefined) result.data = options.data;
  return result;
}

/** A failure the model can act on: what was wrong, then what to do instead. */
export function errorResult(message: string, hint?: string): ToolResult {
  const text = hint ? `${message} ${hint}` : message;
  return { llmContent: text, display: text, isError: true };
}

export const CANCELLED_TEXT = "Cancelled by the user.";

/** Any thrown value as an error result: a cancellation says so; a WrenError keeps its hint. */
export function resultFromError(error: unknown): ToolResult {
  if (isAbortError(error)) return errorResult(CANCELLED_TEXT);
  const wren = toWrenError(error);
  return errorResult(wren.message, wren.hint);
}
