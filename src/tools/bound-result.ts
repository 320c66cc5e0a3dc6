import type { ToolResult } from "./tool.js";

/**
 * Characters of a tool's text kept at most, for the model and for the user: above every built-in
 * tool's own cap (Read's and WebFetch's 100,000 with their notes), so this cut only ever meets a
 * tool without one (an MCP server's, one given through the API) before it reaches the transcript.
 */
export const TOOL_RESULT_MAX_CHARS = 120_000;

/**
 * The result with its text bounded as it is produced, so one huge answer (a command printing 50 MB,
 * a search with a million hits) never goes whole into the conversation, the session file or the
 * next request: past the cap the start and the end are kept, and a marker says how much was cut and
 * how to see the rest.
 */
export function boundResult(result: ToolResult, maxChars = TOOL_RESULT_MAX_CHARS): ToolResult {
  if (result.llmContent.length <= maxChars && result.display.length <= maxChars) return result;
  return { ...result, llmContent: bounded(result.llmContent, maxChars), display: bounded(result.display, maxChars) };
}

function bounded(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let head = Math.floor(maxChars / 2);
  let tail = text.length - (maxChars - head);
  // Never split a surrogate pair.
  if (isLowSurrogate(text.charCodeAt(head))) head--;
  if (isLowSurrogate(text.charCodeAt(tail))) tail++;
  const cut = tail - head;
  const marker =
    `\n\n[… ${cut} characters of this result were cut (${text.length} in all); its start and its end are shown. ` +
    "To see the rest, ask for less at a time: Read with offset and limit, Grep with head_limit or a narrower path, " +
    "or send a command's output to a file and Read it in parts.]\n\n";
  return `${text.slice(0, head)}${marker}${text.slice(tail)}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
