/**
 * What the permission system judges: one tool call, described by its effect and what it touches.
 * Tools describe their calls in these terms (tools/ imports this); permissions/ never imports tools/.
 */

/** What a call does. `read` calls inside the project run freely; every other effect needs consent. */
export type ToolEffect = "read" | "write" | "execute" | "network" | "interact";

export interface PermissionRequest {
  /** The tool's name as the model calls it: `Read`, `Bash`, `mcp__server__tool`. */
  tool: string;
  effect: ToolEffect;
  /** Absolute paths the call reads or writes (after resolving against the working directory). */
  paths?: string[];
  /** The shell command, for `Bash`. */
  command?: string;
  /** The URL, for network tools. */
  url?: string;
  /** Where a command runs (absolute), for `Bash`. Default: the project root. */
  cwd?: string;
  /**
   * Variables that change what runs (`PATH`, `GIT_*`…; see `changesWhatRuns`) which earlier `Bash`
   * commands exported, changed or unset in the session's shell, so the command inherits them: it then
   * asks every time, as with `PATH=… ` written before it. By name, each with its entry as the shell
   * saved it (`declare -- NAME="…"` when set but no longer exported, as after `export -n`; empty when unset); `{}` when the session's shell has none; absent where it carries no
   * variables from one command to the next (PowerShell). The decision carries it on
   * (`PermissionDecision.judgedExports`), so the call runs only with what it was judged with.
   */
  exported?: Readonly<Record<string, string>>;
}

export type PermissionAction = "allow" | "ask" | "deny";

/**
 * `default`: reads in the project run, everything else asks. `accept-edits`: file edits inside the
 * project are allowed too. `plan`: read-only tools only. `bypass`: everything but `critical`
 * commands, only by an explicit flag.
 */
export type PermissionMode = "default" | "accept-edits" | "plan" | "bypass";

/** Where a rule came from; `once` is a single reply to a question. */
export type RuleScope = "once" | "session" | "project" | "user" | "flag";

export interface PermissionRule {
  action: PermissionAction;
  /** As written: `Bash(npm test)`, `Edit(src/**)`, `WebFetch(domain:docs.rs)`, `Read`. */
  pattern: string;
  scope: RuleScope;
}

export interface PermissionDecision {
  action: PermissionAction;
  /** The rule that decided, when one did. */
  rule?: PermissionRule;
  /** Every rule that took part, when several did (one per part of a compound command). */
  rules?: PermissionRule[];
  /** Why, in words a user and a model can act on. */
  reason: string;
  /**
   * With `ask`: how the person must confirm. `typed-yes` (critical commands): only the typed word
   * `yes` runs the call; a single key press or a remembered answer must not.
   */
  confirm?: "typed-yes";
  /**
   * With `ask`: rule patterns that would allow exactly this call, for a reply that should last
   * (session, project, user). Empty when the call cannot be allowed for longer than once.
   */
  suggestions?: string[];
  /**
   * With `allow` (and `ask`, for after a yes): folders the call must leave as they were. The tool
   * copies them before it runs and, when the call changed them, puts them back and says so. Set for
   * a `Bash` command that rewrites the git work tree (`git pull`, `git merge`): what lands there may
   * hold wren's own settings (`.wren/`), which the model may not change without the user.
   */
  guard?: string[];
  /**
   * With `allow` and `ask`: the request's `exported`, what the call was judged with. The calls of one
   * answer are all judged before the first runs, and an earlier one may export what changes what a
   * later one runs: the tool then refuses to run it as judged.
   */
  judgedExports?: Readonly<Record<string, string>>;
  /**
   * With `ask`, for a command run in the session's shell (a request with `exported`): the variables
   * that change what runs which the command visibly sets on their own (`export PATH=…`), or unsets
   * (`unset PATH`, `export -n PATH`), by name.
   * After a person's yes to it, what it leaves them as becomes the session's start for them, so later
   * commands no longer ask because of them (`Verdict.approvedSets`). Never after an allow rule, a
   * remembered answer or bypass mode, which are no person looking at this command.
   */
  sets?: string[];
}

/** A person's answer to an `ask`: this call only, for the session, saved for the project or the user, or no. */
export type PermissionReply = "once" | "session" | "project" | "user" | "reject";
