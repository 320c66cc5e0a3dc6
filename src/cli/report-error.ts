import { exitCodeOf, toWrenError } from "../shared/errors.js";

/** Prints an error as one line a user can act on and returns the exit code for it. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  const wrenError = toWrenError(error);
  stderr.write(`wren: ${wrenError.toLine()}\n`);
  if (process.env["WREN_DEBUG"] && wrenError.stack) stderr.write(`${wrenError.stack}\n`);
  return exitCodeOf(wrenError);
}
