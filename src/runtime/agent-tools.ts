import { BUILTIN_TOOLS, createSessionShell, FileReadLedger, type Tool, type ToolContext } from "../tools/index.js";

/**
 * The built-in tools, in the order the model sees them. The list is fixed for a session (the
 * request prefix stays the same every turn).
 */
export function builtinTools(): Tool[] {
  return [...BUILTIN_TOOLS];
}

/** What one session's tools share: the shell (its working directory persists) and the read ledger. */
export interface ToolSessionState extends AsyncDisposable {
  /** Adds the session's shell and ledger to a call's context; the working directory follows the shell. */
  extend(base: ToolContext): ToolContext;
}

export async function openToolSessionState(cwd: string): Promise<ToolSessionState> {
  const shell = await createSessionShell({ cwd });
  const files = new FileReadLedger();
  return {
    extend: (base) => ({ ...base, cwd: () => shell.cwd(), shell, files }),
    [Symbol.asyncDispose]: () => shell[Symbol.asyncDispose](),
  };
}
