import { exitCodeOf, toWrenError, type WrenError } from "../shared/errors.js";
import { printableText } from "../shared/visible-text.js";

/** How {@link reportError} lays out an error's hint. */
export interface ReportErrorOptions {
  /**
   * The hint on a line of its own under the message, indented, as `wren mcp list --check` and the
   * terminal UI show it; default false: message and hint on one line.
   */
  hintBelow?: boolean;
}

/**
 * `wren: LEAD message`, and the hint indented on the lines below it. A message may quote what a
 * client, an upstream or an MCP server sent: no escape sequence of it reaches the terminal.
 */
export function withHintBelow(error: WrenError, lead = ""): string {
  const message = `wren: ${printableText(lead + error.message).trimEnd()}\n`;
  return error.hint ? `${message}  ${printableText(error.hint).replace(/\n/g, "\n  ")}\n` : message;
}

/** Prints an error as one line a user can act on and returns the exit code for it. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr, options: ReportErrorOptions = {}): number {
  const wrenError = toWrenError(error);
  stderr.write(options.hintBelow ? withHintBelow(wrenError) : `wren: ${printableText(wrenError.toLine())}\n`);
  if (process.env["WREN_DEBUG"] && wrenError.stack) stderr.write(`${wrenError.stack}\n`);
  return exitCodeOf(wrenError);
}
