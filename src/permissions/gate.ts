import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import type { ShellKind } from "../shell/types.js";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { DecisionLog } from "./decision-log.js";
import { SessionRules } from "./session-rules.js";
import { acceptProjectRules, loadPermissionSettings } from "./project-trust.js";
import { savePermissionRule } from "./settings-file.js";
import type { PermissionDecision, PermissionMode, PermissionReply, PermissionRequest, PermissionRule } from "./types.js";

export interface PermissionGateOptions {
  projectRoot: string;
  mode: PermissionMode;
  /** Whether a person can answer questions (see `DecideOptions.interactive`). */
  interactive: boolean;
  /** Takes `Bash` commands apart; the gate does not dispose it. */
  commands: CommandAnalyzer;
  /** Rules from flags and the settings files (`loadPermissionSettings`). */
  rules: readonly PermissionRule[];
  /**
   * The project's allow rules the user has not accepted (`PermissionSettings.unaccepted`): they
   * allow nothing, but a call one of them would allow says so, and how to accept them.
   */
  unaccepted?: readonly PermissionRule[];
  /** Default: `os.homedir()`. */
  home?: string;
  /** For the user settings file. Default: `process.env`. */
  env?: Env;
  /** Default: `bash`. */
  shell?: ShellKind;
  /** `--offline`: calls that reach the network beyond this machine are refused (see `DecideOptions.offline`). */
  offline?: boolean;
  /** Default: a new log on the system clock. */
  log?: DecisionLog;
}

/** What {@link openPermissionGate} needs: the gate's options less what it loads itself. */
export interface OpenPermissionGateOptions extends Omit<PermissionGateOptions, "commands" | "rules"> {
  /** Rules given on the command line (scope `flag`; see `flagRules`). */
  flagRules?: readonly PermissionRule[];
  /** Counts all of the project's allow rules for this session (`wren -p --trust-project`). */
  trustProject?: boolean;
}

/**
 * Opens a session's gate: reads the user's and the project's settings files and loads the shell
 * grammar. The gate owns that analyzer: `dispose()` it (or `using`) when the session ends.
 */
export async function openPermissionGate(options: OpenPermissionGateOptions): Promise<PermissionGate> {
  const location = { projectRoot: options.projectRoot, ...(options.env ? { env: options.env } : {}), ...(options.home ? { home: options.home } : {}) };
  const [settings, commands] = await Promise.all([loadPermissionSettings(location, { trustProject: options.trustProject ?? false }), createCommandAnalyzer()]);
  const gate = new PermissionGate({ ...options, commands, rules: [...(options.flagRules ?? []), ...settings.rules], unaccepted: settings.unaccepted });
  gate.own(commands);
  return gate;
}

/**
 * One session's permissions: the rules in force, the mode, the session's own rules and the log.
 * `check` decides a call; when it asks, the agent asks the person and passes the reply to `answer`.
 */
export class PermissionGate implements Disposable {
  mode: PermissionMode;
  readonly session = new SessionRules();
  readonly log: DecisionLog;
  readonly #options: PermissionGateOptions;
  #saved: PermissionRule[] = [];
  #unaccepted: PermissionRule[];
  #owned: CommandAnalyzer | undefined;

  constructor(options: PermissionGateOptions) {
    this.#options = options;
    this.#unaccepted = [...(options.unaccepted ?? [])];
    this.mode = options.mode;
    this.log = options.log ?? new DecisionLog();
  }

  /** Makes the gate dispose this analyzer with itself. */
  own(commands: CommandAnalyzer): void {
    this.#owned = commands;
  }

  /** Frees the command analyzer the gate owns (none when the caller passed its own). */
  dispose(): void {
    this.#owned?.dispose();
    this.#owned = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Every rule in force now. */
  get rules(): readonly PermissionRule[] {
    return [...this.#options.rules, ...this.#saved, ...this.session.rules];
  }

  /** The project's allow rules that do not count until the user accepts them. */
  get unaccepted(): readonly PermissionRule[] {
    return this.#unaccepted;
  }

  /**
   * The user accepts the project's allow rules (`/trust`): they are recorded in the user's trust
   * file and count from the next call on. Returns the patterns accepted.
   */
  async acceptProjectRules(): Promise<string[]> {
    const rules = this.#unaccepted;
    if (rules.length === 0) return [];
    await acceptProjectRules(this.#location(), rules.map((r) => r.pattern));
    this.#unaccepted = [];
    this.#saved.push(...rules);
    return rules.map((r) => r.pattern);
  }

  /** Decides a call and logs the decision. */
  check(request: PermissionRequest): PermissionDecision {
    let decision = this.#decide(request, this.rules);
    // Said where it helps: the project's own rule would allow this, once the user accepts it.
    if (decision.action !== "allow" && decision.rule?.action !== "deny" && this.#unaccepted.length > 0) {
      const wouldAllow = this.#decide(request, [...this.rules, ...this.#unaccepted]);
      if (wouldAllow.action === "allow") {
        const rule = wouldAllow.rule && this.#unaccepted.includes(wouldAllow.rule) ? wouldAllow.rule.pattern : this.#unaccepted.map((r) => r.pattern).join(", ");
        const how = this.#options.interactive ? "type /trust to accept the project's rules" : "run wren trust in the project to accept its rules, or pass --trust-project for this run";
        decision = { ...decision, reason: `${decision.reason} The project's .wren/settings.toml allows it (${rule}), but its allow rules count only once you accept them: ${how}.` };
      }
    }
    this.session.settle(decision);
    this.log.record(request, decision);
    return decision;
  }

  #decide(request: PermissionRequest, rules: readonly PermissionRule[]): PermissionDecision {
    const o = this.#options;
    return decide(request, {
      rules,
      mode: this.mode,
      projectRoot: o.projectRoot,
      interactive: o.interactive,
      commands: o.commands,
      ...(o.home === undefined ? {} : { home: o.home }),
      ...(o.shell === undefined ? {} : { shell: o.shell }),
      ...(o.offline ? { offline: true } : {}),
    });
  }

  #location(): { projectRoot: string; env?: Env; home?: string } {
    const o = this.#options;
    return { projectRoot: o.projectRoot, ...(o.env ? { env: o.env } : {}), ...(o.home ? { home: o.home } : {}) };
  }

  /**
   * Applies a person's reply to an `ask` and logs the outcome. `session`, `project` and `user`
   * replies remember `asked.suggestions` at that scope (project and user rules are saved to the
   * settings file). A `typed-yes` question runs only with `typed === "yes"` and cannot be remembered.
   */
  async answer(request: PermissionRequest, asked: PermissionDecision, reply: PermissionReply, typed?: string): Promise<PermissionDecision> {
    if (asked.action !== "ask") {
      throw new WrenError("bad_request", `There is nothing to answer: the call was already decided (${asked.action}).`, { hint: "Call answer() only with a decision whose action is ask." });
    }
    let decision: PermissionDecision;
    if (reply === "reject") {
      decision = { action: "deny", reason: `You declined: ${request.tool} did not run. Ask the user how to proceed, or do something else.` };
    } else if (asked.confirm === "typed-yes" && typed?.trim().toLowerCase() !== "yes") {
      decision = { action: "deny", reason: "This critical command runs only when the user types yes; they did not, so it did not run." };
    } else if (reply !== "once" && (asked.confirm === "typed-yes" || (asked.suggestions ?? []).length === 0)) {
      throw new WrenError("bad_request", `This call can only be allowed once, not for the ${reply}.`, {
        hint: "Offer only 'once' and 'reject' when the question has a typed-yes confirmation or no suggestions.",
      });
    } else if (reply === "once") {
      decision = { action: "allow", rule: { action: "allow", pattern: request.tool, scope: "once" }, reason: "You allowed it once." };
    } else {
      const rules: PermissionRule[] = (asked.suggestions ?? []).map((pattern) => ({ action: "allow", pattern, scope: reply }));
      for (const rule of rules) {
        if (reply === "session") this.session.add(rule);
        else {
          await savePermissionRule(rule, this.#location());
          // The user chose it: a rule saved to the project's file is one they accepted.
          if (reply === "project") await acceptProjectRules(this.#location(), [rule.pattern]);
          this.#saved.push(rule);
        }
      }
      decision = { action: "allow", reason: `You allowed it for the ${reply}: ${rules.map((r) => r.pattern).join(", ")}.` };
      if (rules[0]) decision.rule = rules[0];
      if (rules.length > 1) decision.rules = rules;
    }
    this.log.record(request, decision, reply);
    return decision;
  }
}
