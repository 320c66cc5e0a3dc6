import type { PermissionPolicy } from "../agent/index.js";
import type { PermissionGate } from "../permissions/gate.js";
import { acceptProjectRules as recordAccepted, loadPermissionSettings } from "../permissions/project-trust.js";
import type { CommandAnalyzer, PermissionMode, PermissionRule } from "../permissions/index.js";
import type { Env } from "../shared/paths.js";
import type { ShellKind } from "../shell/types.js";

export interface PolicyOptions {
  /** Rules from the command line (`flagRules` of permissions/); the user's and the project's settings files are added. */
  flagRules: readonly PermissionRule[];
  projectRoot: string;
  /** False for `wren -p`: the permission system turns every `ask` into a refusal that says which rule would allow it. */
  interactive: boolean;
  /**
   * The kind of the session's shell, so that `Bash` commands are judged in the grammar they run in.
   * Asked once, when the gate opens. Default: PowerShell on Windows, bash elsewhere.
   */
  shell?: () => Promise<ShellKind | undefined>;
  env?: Env;
  /** Counts all of the project's allow rules for this session (`wren -p --trust-project`). */
  trustProject?: boolean;
  /** `--offline`: tools that would reach the network beyond this machine are refused. */
  offline?: boolean;
}

/** The session's permission gate as the agent asks it, and what tools ask of its rules. */
export interface SessionPolicy extends PermissionPolicy, Disposable {
  /**
   * Opens the gate and returns ToolContext's `isDenied`: whether a deny rule in force at the time of
   * the call (rules the user added for the session included) keeps `tool` away from `file`.
   */
  deniedCheck(): Promise<(tool: string, file: string) => boolean>;
  /**
   * Opens the gate and returns ToolContext's `exactHostRule`: whether an allow rule the user wrote,
   * in force at the time of the call (one saved from the dialog included), names a host exactly.
   */
  exactHostCheck(): Promise<(tool: string, host: string) => boolean>;
  /** The patterns of the project's allow rules that do not count until the user accepts them. */
  unacceptedProjectRules(): readonly string[];
  /** The user accepts them (`/trust`): recorded in the user's trust file, in force from the next call. Returns them. */
  acceptProjectRules(): Promise<string[]>;
}

/** The shell a session runs `Bash` in when nothing says otherwise (as the session shell picks it). */
export const platformShell = (): ShellKind => (process.platform === "win32" ? "powershell" : "bash");

/**
 * The session's permission gate as the agent asks it. The settings files are read now (a broken one
 * is an error before anything runs); the gate and the shell grammar it needs are loaded on the
 * first call to judge, so the time to the session's first model request never includes them.
 * Paths are judged where they really are: a link inside the project to `~/.ssh` is `~/.ssh`.
 */
export async function openPermissionPolicy(options: PolicyOptions): Promise<SessionPolicy> {
  let analyzer: CommandAnalyzer | undefined;
  let gate: Promise<PermissionGate> | undefined;
  const location = { projectRoot: options.projectRoot, ...(options.env ? { env: options.env } : {}) };
  const settings = await loadPermissionSettings(location, { trustProject: options.trustProject ?? false });
  const rules = [...options.flagRules, ...settings.rules];
  let unaccepted = settings.unaccepted;
  const open = async (): Promise<PermissionGate> => {
    const [{ createCommandAnalyzer, PermissionGate }, shell] = await Promise.all([import("../permissions/index.js"), options.shell?.()]);
    const commands = await createCommandAnalyzer();
    analyzer = commands;
    return new PermissionGate({
      projectRoot: options.projectRoot,
      mode: "default",
      interactive: options.interactive,
      commands,
      rules,
      unaccepted,
      shell: shell ?? platformShell(),
      ...(options.env ? { env: options.env } : {}),
      ...(options.offline ? { offline: true } : {}),
    });
  };
  const real = async () => (await import("../permissions/real-paths.js")).withRealPaths;
  return {
    async decide(request, mode: PermissionMode) {
      const [g, withRealPaths] = await Promise.all([(gate ??= open()), real()]);
      // The session owns the mode (an approved plan changes it); the gate judges by it.
      g.mode = mode;
      return g.check(await withRealPaths(request));
    },
    async answer(request, asked, reply, typed) {
      const [g, withRealPaths] = await Promise.all([(gate ??= open()), real()]);
      return g.answer(await withRealPaths(request), asked, reply, typed);
    },
    async deniedCheck() {
      const [g, { deniedBy }] = await Promise.all([(gate ??= open()), import("../permissions/denied-path.js")]);
      // g.rules is read at each call: a rule the user added for the session counts at once.
      return (tool, file) => deniedBy(tool, file, { rules: g.rules, projectRoot: options.projectRoot }) !== undefined;
    },
    async exactHostCheck() {
      const [g, { exactHostRule }] = await Promise.all([(gate ??= open()), import("../permissions/exact-host-rule.js")]);
      return (tool, host) => exactHostRule(tool, host, g.rules) !== undefined;
    },
    unacceptedProjectRules() {
      return unaccepted.map((r) => r.pattern);
    },
    async acceptProjectRules() {
      if (gate) {
        const accepted = await (await gate).acceptProjectRules();
        unaccepted = [];
        return accepted;
      }
      const patterns = unaccepted.map((r) => r.pattern);
      await recordAccepted(location, patterns);
      rules.push(...unaccepted);
      unaccepted = [];
      return patterns;
    },
    [Symbol.dispose]() {
      analyzer?.dispose();
    },
  };
}
