import { exitCodeOf, toWrenError, type WrenError } from "../shared/errors.js";

/** How {@link reportError} lays out an error's hint. */
export interface ReportErrorOptions {
  /**
   * The hint on a line of its own under the message, indented, as `wren mcp list --check` and the
   * terminal UI show it; default false: message and hint on one line.
   */
  hintBelow?: boolean;
}

/** `wren: LEAD message`, and the hint indented on the lines below it. */
export function withHintBelow(error: WrenError, lead = ""): string {
  const message = `wren: ${lead}${error.message.trimEnd()}\n`;
  return error.hint ? `${message}  ${error.hint.replace(/\n/g, "\n  ")}\n` : message;
}

/** Prints an error as one line a user can act on and returns the exit code for it. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr, options: ReportErrorOptions = {}): number {
  const wrenError = toWrenError(error);
  stderr.write(options.hintBelow ? withHintBelow(wrenError) : `wren: ${wrenError.toLine()}\n`);
  if (process.env["WREN_DEBUG"] && wrenError.stack) stderr.write(`${wrenError.stack}\n`);
  return exitCodeOf(wrenError);
}
