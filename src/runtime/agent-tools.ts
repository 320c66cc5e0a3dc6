// Straight from their files, not tools/index.js: that also loads the MCP client, which a run without MCP servers does not use.
import type { ShellKind } from "../shell/types.js";
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
  /** Adds the session's shell, ledger, deny-rule and exact-host checks to a call's context; the working directory follows the shell. */
  extend(base: ToolContext): Promise<ToolContext>;
  /** The kind of the session's shell (starting it if need be), for the permission gate's grammar. */
  shellKind(): Promise<ShellKind>;
}

/** Options of {@link toolSessionState}. */
export interface ToolSessionOptions {
  cwd: string;
  /** ToolContext's `isDenied`, from the session's permission gate (see `SessionPolicy.deniedCheck`). */
  deniedCheck?: () => Promise<(tool: string, file: string) => boolean>;
  /** ToolContext's `exactHostRule`, from the session's permission gate (see `SessionPolicy.exactHostCheck`). */
  exactHostCheck?: () => Promise<(tool: string, host: string) => boolean>;
}

/** The session's tool state; the shell is started by the first tool call, not before the first answer. */
export function toolSessionState(options: ToolSessionOptions): ToolSessionState {
  let shell: Promise<SessionShell> | undefined;
  const files = new FileReadLedger();
  const start = (): Promise<SessionShell> => (shell ??= createSessionShell({ cwd: options.cwd }));
  return {
    async extend(base) {
      const [s, isDenied, exactHostRule] = await Promise.all([start(), options.deniedCheck?.(), options.exactHostCheck?.()]);
      return { ...base, cwd: () => s.cwd(), shell: s, files, ...(isDenied ? { isDenied } : {}), ...(exactHostRule ? { exactHostRule } : {}) };
    },
    shellKind: async () => (await start()).kind,
    [Symbol.asyncDispose]: async () => (await shell)?.[Symbol.asyncDispose](),
  };
}
