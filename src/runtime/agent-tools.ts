// Straight from their files, not tools/index.js: that also loads the MCP client, which -p does not use.
import { FileReadLedger } from "../tools/file-ledger.js";
import { BUILTIN_TOOLS } from "../tools/registry.js";
import { createSessionShell, type SessionShell } from "../tools/session-shell.js";
import type { Tool, ToolContext } from "../tools/tool.js";

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
  extend(base: ToolContext): Promise<ToolContext>;
}

/** The session's tool state; the shell is started by the first tool call, not before the first answer. */
export function toolSessionState(cwd: string): ToolSessionState {
  let shell: Promise<SessionShell> | undefined;
  const files = new FileReadLedger();
  return {
    async extend(base) {
      const s = await (shell ??= createSessionShell({ cwd }));
      return { ...base, cwd: () => s.cwd(), shell: s, files };
    },
    [Symbol.asyncDispose]: async () => (await shell)?.[Symbol.asyncDispose](),
  };
}
