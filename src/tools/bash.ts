import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { formatBytes } from "./describe-file.js";
import { okResult } from "./result.js";
import { displayPath } from "./resolve-path.js";
import { createSessionShell, type ShellRunResult } from "./session-shell.js";
import { looksBinary } from "./text-file.js";
import type { ToolContext } from "./tool.js";

/** Commands are killed after this long unless the model asks for another timeout. */
export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
/** The longest timeout a model may ask for. */
export const BASH_MAX_TIMEOUT_MS = 600_000;
/** Output characters returned (the start and the end; the middle is cut and counted). */
export const BASH_MAX_OUTPUT_CHARS = 30_000;

const parameters = z.object({
  command: z.string().min(1).describe("The command line to run."),
  timeout_ms: z
    .number()
    .int()
    .min(1)
    .max(BASH_MAX_TIMEOUT_MS)
    .optional()
    .describe(`Kill the command after this many milliseconds (default ${BASH_DEFAULT_TIMEOUT_MS}, at most ${BASH_MAX_TIMEOUT_MS}).`),
  description: z.string().optional().describe("What the command does, in 5–10 words, shown to the user."),
});

export const bashTool = defineTool({
  name: "Bash",
  description:
    "Runs a command in the session's shell (bash or sh; PowerShell on Windows). The working directory persists between " +
    "calls (`cd` moves it within the project; a cd out of it lasts for its own command line), and so do exported variables on POSIX shells. There is no terminal and no input: avoid interactive " +
    `commands. Killed after timeout_ms (default ${BASH_DEFAULT_TIMEOUT_MS / 1000} s). Output (stdout and stderr together) beyond ` +
    `${BASH_MAX_OUTPUT_CHARS} characters is cut in the middle. Prefer Read, Edit, Glob and Grep over cat, sed, find and grep.`,
  parameters,
  readOnly: false,
  // Judged where it will run: an earlier `cd` may have left the project. (The shell's kind is the
  // permission gate's setting, not the request's.)
  permission: (input, ctx) => ({ tool: "Bash", effect: "execute", command: input.command, cwd: ctx.cwd() }),
  async execute(input, ctx) {
    const options = { timeoutMs: input.timeout_ms ?? BASH_DEFAULT_TIMEOUT_MS, signal: ctx.signal, maxOutputChars: BASH_MAX_OUTPUT_CHARS };
    let result: ShellRunResult;
    if (ctx.shell) {
      // A cd out of the project lasts for its own command line only: every command run outside it
      // asks, the way back included, so a session left there could run nothing more unasked.
      result = await ctx.shell.run(input.command, { ...options, within: ctx.projectRoot });
    } else {
      // No session shell: a one-off one in the working directory, so Bash still works (without persistence).
      await using shell = await createSessionShell({ cwd: ctx.cwd() });
      result = await shell.run(input.command, options);
    }
    return toResult(input, result, ctx);
  },
});

function toResult(input: z.output<typeof parameters>, run: ShellRunResult, ctx: ToolContext): ReturnType<typeof okResult> {
  const binary = looksBinary(run.output);
  const notes: string[] = [];
  if (run.cutChars > 0 && !binary) {
    notes.push(`[Output cut: ${run.outputChars} characters in all, the first and last ${Math.floor(BASH_MAX_OUTPUT_CHARS / 2)} shown.]`);
  }
  if (run.leftFor !== undefined) {
    notes.push(`[The working directory is back to ${run.cwd}: it stays inside the project between commands. To run commands elsewhere, cd on the same command line (cd DIR && …).]`);
  }
  let failed = false;
  if (run.aborted) {
    notes.push("[Cancelled by the user; the command and everything it started were stopped.]");
    failed = true;
  } else if (run.timedOut) {
    notes.push(`[Timed out after ${(input.timeout_ms ?? BASH_DEFAULT_TIMEOUT_MS) / 1000} s; the command and everything it started were killed.]`);
    failed = true;
  } else if (run.exitCode === null) {
    notes.push(`[Killed by signal ${run.signal ?? "unknown"}.]`);
    failed = true;
  } else if (run.exitCode !== 0) {
    notes.push(`[Exit code ${run.exitCode}.]`);
    failed = true;
  }
  const body = binary ? binaryNote(run.outputBytes) : run.output.trimEnd() || "(no output)";
  const text = [body, ...notes].join("\n");
  const data = {
    kind: "bash",
    command: input.command,
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    aborted: run.aborted,
    cwd: run.cwd,
    outputChars: run.outputChars,
    cutChars: run.cutChars,
    outputBytes: run.outputBytes,
    binary,
  };
  const headline = input.description ?? input.command;
  const status = run.aborted ? "cancelled" : run.timedOut ? "timed out" : `exit ${run.exitCode ?? run.signal ?? "?"}`;
  const display = `${headline} (${status}, in ${displayPath(ctx, run.cwd)})\n${text}`;
  return failed ? { llmContent: text, display, isError: true, data } : okResult(text, { display, data });
}

/** What the model gets instead of output that is not text: a screenful of U+FFFD tells it nothing. */
function binaryNote(bytes: number): string {
  return `[The command printed ${formatBytes(bytes)} of binary data (not UTF-8 text); not shown. Pipe it through xxd, od or strings to see it.]`;
}
