import type { PermissionPolicy } from "../agent/index.js";
import type { PermissionGate } from "../permissions/gate.js";
import { parseRulePattern } from "../permissions/rule-syntax.js";
import { loadPermissionRules } from "../permissions/settings-file.js";
import type { CommandAnalyzer, PermissionRule } from "../permissions/index.js";
import type { Env } from "../shared/paths.js";

/** `--allow RULE` and `--deny RULE` as rules; a pattern that does not parse is a usage error naming it. */
export function flagRules(allow: readonly string[], deny: readonly string[]): PermissionRule[] {
  const rules: PermissionRule[] = [];
  for (const [action, patterns] of [["allow", allow], ["deny", deny]] as const) {
    for (const pattern of patterns) {
      parseRulePattern(pattern);
      rules.push({ action, pattern, scope: "flag" });
    }
  }
  return rules;
}

export interface PolicyOptions {
  /** Rules from the command line; the user's and the project's settings files are added. */
  flagRules: readonly PermissionRule[];
  projectRoot: string;
  /** False for `wren -p`: the permission system turns every `ask` into a refusal that says which rule would allow it. */
  interactive: boolean;
  env?: Env;
}

/**
 * The session's permission gate as the agent asks it. The settings files are read now (a broken one
 * is an error before anything runs); the gate and the shell grammar it needs are loaded on the
 * first call to judge, so the time to the session's first model request never includes them.
 */
export async function openPermissionPolicy(options: PolicyOptions): Promise<PermissionPolicy & Disposable> {
  let analyzer: CommandAnalyzer | undefined;
  let gate: Promise<PermissionGate> | undefined;
  const rules = [...options.flagRules, ...(await loadPermissionRules({ projectRoot: options.projectRoot, ...(options.env ? { env: options.env } : {}) }))];
  const open = async (): Promise<PermissionGate> => {
    const { createCommandAnalyzer, PermissionGate } = await import("../permissions/index.js");
    const commands = await createCommandAnalyzer();
    analyzer = commands;
    return new PermissionGate({ projectRoot: options.projectRoot, mode: "default", interactive: options.interactive, commands, rules, ...(options.env ? { env: options.env } : {}) });
  };
  return {
    async decide(request, mode) {
      const g = await (gate ??= open());
      // The session owns the mode (an approved plan changes it); the gate judges by it.
      g.mode = mode;
      return g.check(request);
    },
    async answer(request, asked, reply, typed) {
      return (await (gate ??= open())).answer(request, asked, reply, typed);
    },
    [Symbol.dispose]() {
      analyzer?.dispose();
    },
  };
}
