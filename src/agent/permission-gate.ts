import type { PermissionDecision, PermissionMode, PermissionReply, PermissionRequest } from "../permissions/types.js";

/** How the agent asks the permission system about one call. Runtime adapts permissions/ to it. */
export interface PermissionPolicy {
  decide(request: PermissionRequest, mode: PermissionMode): PermissionDecision | Promise<PermissionDecision>;
  /**
   * Applies the person's reply to an `ask` (a lasting reply becomes a rule) and returns the final
   * decision. Without it, `reject` denies and any other reply allows this call once.
   */
  answer?(request: PermissionRequest, asked: PermissionDecision, reply: PermissionReply, typed?: string): Promise<PermissionDecision>;
}

/** The person's answer to "may this run?"; `typed` is what they typed when the question wants a typed `yes`. */
export interface AskAnswer {
  reply: PermissionReply;
  typed?: string;
  /** With a refusal: what the person wants the model to know (do this instead, ask me first…). */
  note?: string;
}

/** What the user reviewing a plan said. */
export type PlanReview = { verdict: "approve" } | { verdict: "edit"; plan: string } | { verdict: "reject"; reason: string };

/** Someone to ask. Absent in a non-interactive run (`wren -p`): anything that would ask is refused. */
export interface Interaction {
  askPermission(request: PermissionRequest, decision: PermissionDecision): Promise<AskAnswer>;
  reviewPlan(plan: string): Promise<PlanReview>;
}

/** A decision the loop can act on: `ask` has been resolved to allow or deny. */
export interface Verdict {
  action: "allow" | "deny";
  rule?: string;
  reason: string;
  /** Folders the call must leave as they were (`PermissionDecision.guard`): the tool puts back what it changed there. */
  guard?: string[];
  /** What of the session shell's exports the call was judged with (`PermissionDecision.judgedExports`): the tool runs it only with those. */
  judgedExports?: Readonly<Record<string, string>>;
  /**
   * After a person's yes to this call only (never a rule's, nor bypass mode's): the variables it
   * visibly sets that change what runs (`PermissionDecision.sets`). What the command leaves them as
   * becomes the session shell's start for them, so later commands no longer ask because of them.
   */
  approvedSets?: string[];
}

export const NON_INTERACTIVE_REFUSAL =
  "this run is non-interactive, so a call that needs the user's consent is refused. Allow it with --allow RULE (for example --allow \"Edit(src/**)\") or another --permission-mode";

/** Resolves the permission system's decision, asking the user when it says `ask` and someone can answer. */
export async function judge(request: PermissionRequest, mode: PermissionMode, policy: PermissionPolicy, interaction: Interaction | undefined): Promise<Verdict> {
  const decision = await policy.decide(request, mode);
  const rule = decision.rule?.pattern;
  // What the call must leave as it was stays so after the person's yes too, and so does what it was judged with.
  const guard = { ...(decision.guard ? { guard: decision.guard } : {}), ...(decision.judgedExports ? { judgedExports: decision.judgedExports } : {}) };
  if (decision.action !== "ask") return { action: decision.action, ...(rule ? { rule } : {}), reason: decision.reason, ...(decision.action === "allow" ? guard : {}) };
  if (!interaction) return { action: "deny", reason: `${decision.reason}; ${NON_INTERACTIVE_REFUSAL}` };
  const { reply, typed, note } = await interaction.askPermission(request, decision);
  // A person said yes to this command, as they saw it: what it visibly sets is theirs.
  const approved = decision.sets && decision.sets.length > 0 ? { ...guard, approvedSets: decision.sets } : guard;
  // The person's note goes to the model with the refusal, in their words.
  const withNote = (reason: string): string => (note?.trim() ? `${reason.replace(/\.?$/, ".")} The user says: ${note.trim()}` : reason);
  if (!policy.answer) return reply === "reject" ? { action: "deny", reason: withNote("the user refused it") } : { action: "allow", reason: `the user allowed it (${reply})`, ...approved };
  const final = await policy.answer(request, decision, reply, typed);
  const finalRule = final.rule?.pattern;
  const action = final.action === "allow" ? "allow" : "deny";
  return { action, ...(finalRule ? { rule: finalRule } : {}), reason: action === "deny" ? withNote(final.reason) : final.reason, ...(action === "allow" ? approved : {}) };
}

/** What the model reads when a call was refused: why, and what it can do instead. */
export function refusalForModel(tool: string, verdict: Verdict, mode: PermissionMode): string {
  // A reason is a sentence of its own (it may end in a full stop); inside the brackets it does not.
  const reason = verdict.reason.replace(/\.$/, "");
  const base = `Permission denied: ${tool} was not run (${reason}${verdict.rule ? `; rule ${verdict.rule}` : ""}).`;
  if (mode === "plan") {
    return `${base} Plan mode is on: only read-only tools run. Investigate with them, then call ExitPlanMode with your plan for the user to approve.`;
  }
  return `${base} Do not retry the same call; do what you can without it, or tell the user what needs their permission.`;
}
