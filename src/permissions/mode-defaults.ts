import type { PathBases } from "./path-pattern.js";
import { protectedReason } from "./protected-paths.js";
import { describeSubject, type Subject } from "./subjects.js";
import type { PermissionMode, PermissionRequest, PermissionRule } from "./types.js";

/** One subject's verdict. `explicit` marks an `ask` that a rule (not a default) asked for. */
export interface Verdict {
  action: "allow" | "ask";
  rule?: PermissionRule;
  reason: string;
  explicit?: boolean;
  /** A longer-lasting rule could allow this subject (false for what must be asked every time). */
  rememberable: boolean;
}

/** What the model is told when plan mode refuses a call, so it can carry on planning. */
export const PLAN_REFUSAL =
  "Keep to reading and searching, then call ExitPlanMode with your plan; the user approves, edits or rejects it before anything changes.";

/**
 * What happens to a subject no rule decides. Reads inside the project and talking to the user run;
 * `accept-edits` lets file edits inside the project run; everything else asks. MCP tools always ask,
 * whatever effect their server claims. Plan and bypass mode are applied by the caller.
 */
export function byDefault(subject: Subject, request: PermissionRequest, mode: PermissionMode, bases: PathBases, mcp: boolean): Verdict {
  const what = describeSubject(subject, bases);
  if (subject.kind === "part") {
    const remember = !subject.part.dynamic;
    if (subject.part.risk === "high" || subject.part.risk === "critical") {
      return { action: "ask", reason: `${what} is high-risk: it runs with your consent, or under a rule that names this exact command.`, rememberable: remember };
    }
    return { action: "ask", reason: `${request.tool} runs ${what}, which needs your consent.`, rememberable: remember };
  }
  if (mcp) return { action: "ask", reason: `${request.tool} is an MCP tool, which needs your consent.`, rememberable: true };
  const outside = subject.kind === "path" && !subject.inside;
  if (subject.kind === "path" && subject.sensitive && request.effect !== "interact") {
    return { action: "ask", reason: `${request.tool} ${request.effect === "write" ? "changes" : "reads"} ${what}, which holds keys, credentials or shell settings; that always asks.`, rememberable: true };
  }
  switch (request.effect) {
    case "interact":
      return { action: "allow", reason: `${request.tool} talks to you; it needs no consent.`, rememberable: true };
    case "read":
      if (outside) return { action: "ask", reason: `${request.tool} reads ${what}, outside the project; that always asks.`, rememberable: true };
      return { action: "allow", reason: `${request.tool} reads inside the project, which runs freely.`, rememberable: true };
    case "write": {
      const guarded = subject.kind === "path" ? protectedReason(subject.path, bases.projectRoot) : undefined;
      if (guarded) return { action: "ask", reason: `${request.tool} changes ${what}: ${guarded}.`, rememberable: false };
      if (outside) return { action: "ask", reason: `${request.tool} writes ${what}, outside the project; that always asks.`, rememberable: true };
      if (mode === "accept-edits") return { action: "allow", reason: `accept-edits mode allows ${request.tool} to change ${what} inside the project.`, rememberable: true };
      return { action: "ask", reason: `${request.tool} changes ${subject.kind === "call" ? "files" : what}, which needs your consent.`, rememberable: true };
    }
    case "network":
      return { action: "ask", reason: `${request.tool} reaches ${subject.kind === "call" ? "the network" : what} over the network, which needs your consent.`, rememberable: true };
    case "execute":
      return { action: "ask", reason: `${request.tool} runs a program, which needs your consent.`, rememberable: true };
  }
}
