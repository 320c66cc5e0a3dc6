import { z } from "zod";
import { changesWhatRuns } from "../permissions/what-runs.js";
import { defineTool } from "./define-tool.js";
import { formatBytes } from "./describe-file.js";
import { copyFolders, putBack, type FolderCopy, type PutBack } from "./folder-guard.js";
import { errorResult, okResult } from "./result.js";
import { displayPath } from "./resolve-path.js";
import { createSessionShell, type SessionShell, type ShellRunResult } from "./session-shell.js";
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
  // With what earlier commands exported that changes what runs (`export GIT_CONFIG_GLOBAL=…`), which
  // the session's shell passes on to this one: it then asks as `GIT_CONFIG_GLOBAL=… git status` does.
  permission: (input, ctx) => {
    // Carried on to the call by its decision (`ToolContext.judgedExports`), to run it only as judged.
    // None on PowerShell, which carries no variable to the next command: nothing to judge it with, nor a start to make.
    const exported = ctx.shell?.carriesExports ? { exported: Object.fromEntries(exportedWhatRuns(ctx.shell)) } : {};
    return { tool: "Bash", effect: "execute", command: input.command, cwd: ctx.cwd(), ...exported };
  },
  async execute(input, ctx) {
    const options = { timeoutMs: input.timeout_ms ?? BASH_DEFAULT_TIMEOUT_MS, signal: ctx.signal, maxOutputChars: BASH_MAX_OUTPUT_CHARS };
    let exported: ReadonlyMap<string, string> | undefined;
    try {
      exported = ctx.shell ? exportedWhatRuns(ctx.shell) : new Map();
    } catch {
      exported = undefined;
    }
    // Judged before an earlier call of the same answer ran and exported what changes what it runs: not as it was judged.
    const judged = ctx.judgedExports;
    if (judged !== undefined) {
      if (exported === undefined) return errorResult("The command did not run: wren could not read what the session's shell exports, which may change what it runs.", "Tell the user; they can run it themselves.");
      const since = [...new Set([...exported.keys(), ...Object.keys(judged)])].filter((name) => exported.get(name) !== judged[name]);
      if (since.length > 0) {
        return errorResult(
          `The command did not run: an earlier call exported or unset ${since.join(", ")} after it was allowed, which changes what it runs.`,
          "Call it again, to have it judged with what the session's shell exports now.",
        );
      }
    }
    // What the command must leave as it was (wren's own settings, for a git work-tree rewrite): copied first, put back after.
    let copies: FolderCopy[] = [];
    if (ctx.guard && ctx.guard.length > 0) {
      // A GIT_WORK_TREE or PATH an earlier command exported would make it another tree, or another git, than the one judged.
      if (exported === undefined) return errorResult("The command did not run: it rewrites the git work tree, and wren could not read what the session's shell exports, which may change which tree git rewrites.", "Tell the user; they can run it themselves.");
      if (exported.size > 0) {
        const names = [...exported.keys()];
        return errorResult(
          `The command did not run: it rewrites the git work tree, which wren allows only with its own settings guarded and as it judged the command, and an earlier command exported ${names.join(", ")}, which may change which tree git rewrites or which program runs.`,
          `Unset ${names.length > 1 ? "them" : "it"} in a command of its own first (unset ${names.join(" ")}), then run it again; or ask the user.`,
        );
      }
      try {
        copies = await copyFolders(ctx.guard);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return errorResult(
          `The command did not run: it may change wren's own settings (${ctx.guard.map((f) => displayPath(ctx, f)).join(", ")}), which wren copies before such a command runs to put them back after, and it could not copy them (${why}).`,
          "Tell the user; they can run it themselves.",
        );
      }
    }
    let result: ShellRunResult;
    let guarded: PutBack = { restored: [] };
    try {
      if (ctx.shell) {
        // A cd out of the project lasts for its own command line only: every command run outside it
        // asks, the way back included, so a session left there could run nothing more unasked.
        // What a person approved it setting becomes the session's start for those variables.
        result = await ctx.shell.run(input.command, { ...options, within: ctx.projectRoot, ...(ctx.approvedSets ? { rebaseline: ctx.approvedSets } : {}) });
      } else {
        // No session shell: a one-off one in the working directory, so Bash still works (without persistence).
        await using shell = await createSessionShell({ cwd: ctx.cwd() });
        result = await shell.run(input.command, options);
      }
    } finally {
      // After a failure, a timeout or a cancel too: whatever the command got to change is put back.
      if (copies.length > 0) guarded = await putBack(copies);
    }
    return toResult(input, result, ctx, guarded);
  },
});

/** The session shell's changed exports (see `SessionShell.changedExports`) that change what a command runs. */
function exportedWhatRuns(shell: SessionShell): Map<string, string> {
  return new Map([...shell.changedExports()].filter(([name]) => changesWhatRuns(name)));
}

/** What the model and the user are told when wren put back (or could not put back) what a command changed in wren's own settings. */
function guardNote(guarded: PutBack, ctx: ToolContext): string | undefined {
  const shown = guarded.restored.map((p) => displayPath(ctx, p)).join(", ");
  if (guarded.failed) {
    return `The command changed wren's own settings${shown ? ` (${shown})` : ""}, which the model may not change without the user, and wren could not put them all back (${guarded.failed}): tell the user to check them before anything else runs.`;
  }
  if (guarded.restored.length === 0) return undefined;
  return `The command tried to change wren's own settings (${shown}), which the model may not change without the user: wren put them back as they were. The rest of what it did stays.`;
}

function toResult(input: z.output<typeof parameters>, run: ShellRunResult, ctx: ToolContext, guarded: PutBack = { restored: [] }): ReturnType<typeof okResult> {
  const binary = looksBinary(run.output);
  const notes: string[] = [];
  if (run.cutChars > 0 && !binary) {
    notes.push(`[Output cut: ${run.outputChars} characters in all, the first and last ${Math.floor(BASH_MAX_OUTPUT_CHARS / 2)} shown.]`);
  }
  if (run.leftFor !== undefined) {
    notes.push(`[The working directory is back to ${run.cwd}: it stays inside the project between commands. To run commands elsewhere, cd on the same command line (cd DIR && …).]`);
  }
  const restoredNote = guardNote(guarded, ctx);
  if (restoredNote) notes.push(`[${restoredNote}${guarded.failed ? "" : " To change the settings, ask the user."}]`);
  let failed = guarded.failed !== undefined;
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
    ...(guarded.restored.length > 0 || guarded.failed ? { restored: guarded.restored, ...(guarded.failed ? { restoreFailed: guarded.failed } : {}) } : {}),
  };
  const headline = input.description ?? input.command;
  const status = run.aborted ? "cancelled" : run.timedOut ? "timed out" : `exit ${run.exitCode ?? run.signal ?? "?"}`;
  const display = `${headline} (${status}, in ${displayPath(ctx, run.cwd)})\n${text}`;
  const result = failed ? { llmContent: text, display, isError: true, data } : okResult(text, { display, data });
  return restoredNote ? { ...result, notice: restoredNote } : result;
}

/** What the model gets instead of output that is not text: a screenful of U+FFFD tells it nothing. */
function binaryNote(bytes: number): string {
  return `[The command printed ${formatBytes(bytes)} of binary data (not UTF-8 text); not shown. Pipe it through xxd, od or strings to see it.]`;
}
