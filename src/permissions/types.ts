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
  /** Why, in words a user and a model can act on. */
  reason: string;
}
