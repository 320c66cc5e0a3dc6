import type { ToolCallPart, ToolResultPart } from "../protocol/index.js";
import type { PermissionMode } from "../permissions/types.js";
import { approvedPlaces } from "../tools/approved-path.js";
import type { Tool, ToolContext, ToolResult } from "../tools/tool.js";
import type { AgentEvent, ToolCallRecord } from "./events.js";
import { judge, refusalForModel, type Interaction, type PermissionPolicy, type Verdict } from "./permission-gate.js";
import { EXIT_PLAN_MODE, planOf, reviewPlan, type PlanOutcome } from "./plan-mode.js";
import { executeTool, prepareCall } from "./tool-runner.js";

/** What the tool step needs from the agent. */
export interface ToolStepDeps {
  tools: readonly Tool[];
  permissions: PermissionPolicy;
  interaction: Interaction | undefined;
  /** The session's mode when the step starts. */
  mode: PermissionMode;
  executionMode: PermissionMode;
  ctx: ToolContext;
}

/** The tool step's answer: results in call order, the records, and a plan when one was reviewed. */
export interface ToolStep {
  results: ToolResultPart[];
  records: ToolCallRecord[];
  plan?: PlanOutcome;
}

interface Pending {
  call: ToolCallPart;
  verdict: Verdict;
  /** Set when the call runs. */
  tool?: Tool;
  input?: unknown;
  /** Where the call's paths led when it was judged (`ToolContext.approvedPaths`), for a call that names paths. */
  approvedPaths?: string[];
  /** Set when the answer is known without running (refused, invalid, a plan). */
  result?: ToolResult;
}

const CANCELLED: ToolResult = { llmContent: "Cancelled by the user before it ran.", display: "cancelled", isError: true };

/**
 * Judges every call in order (asking the user where needed), then runs the allowed ones: runs of
 * consecutive read-only calls together, everything else one at a time in the order asked.
 */
export async function* runToolCalls(calls: ToolCallPart[], turn: number, deps: ToolStepDeps): AsyncGenerator<AgentEvent, ToolStep> {
  const pending: Pending[] = [];
  let plan: PlanOutcome | undefined;
  for (const call of calls) {
    yield { type: "tool-call", turn, id: call.toolCallId, name: call.toolName, input: call.input };
    const item = await judgeCall(call, deps, plan);
    if (item.planOutcome) {
      plan = item.planOutcome;
      yield { type: "plan", plan: plan.plan, verdict: plan.verdict };
    }
    pending.push(item.pending);
    const { verdict } = item.pending;
    yield { type: "decision", turn, id: call.toolCallId, name: call.toolName, action: verdict.action, ...(verdict.rule ? { rule: verdict.rule } : {}), reason: verdict.reason };
  }

  const results: ToolResultPart[] = [];
  const records: ToolCallRecord[] = [];
  for (let i = 0; i < pending.length; ) {
    let j = i + 1;
    if (isReadOnlyRun(pending[i]!)) while (j < pending.length && isReadOnlyRun(pending[j]!)) j++;
    const batch = pending.slice(i, j);
    const done = await Promise.all(batch.map((p) => settle(p, deps.ctx)));
    for (const [k, p] of batch.entries()) {
      const result = done[k]!;
      const { call, verdict } = p;
      // What wren undid of the call (a change to its own settings, put back) is told as the decision it carries out.
      if (result.notice) yield { type: "decision", turn, id: call.toolCallId, name: call.toolName, action: verdict.action, ...(verdict.rule ? { rule: verdict.rule } : {}), reason: result.notice };
      yield { type: "tool-result", turn, id: call.toolCallId, name: call.toolName, output: result.llmContent, display: result.display, isError: result.isError };
      results.push({ type: "tool-result", toolCallId: call.toolCallId, toolName: call.toolName, output: result.llmContent, ...(result.isError ? { isError: true } : {}) });
      records.push({
        id: call.toolCallId,
        name: call.toolName,
        input: call.input,
        decision: verdict.action,
        ...(verdict.rule ? { rule: verdict.rule } : {}),
        reason: verdict.reason,
        isError: result.isError,
      });
    }
    i = j;
  }
  return { results, records, ...(plan ? { plan } : {}) };
}

function isReadOnlyRun(p: Pending): boolean {
  return p.result === undefined && p.tool?.readOnly === true;
}

async function settle(p: Pending, ctx: ToolContext): Promise<ToolResult> {
  if (p.result) return p.result;
  if (ctx.signal.aborted || !p.tool) return CANCELLED;
  const { guard, judgedExports, approvedSets } = p.verdict;
  const approvedPaths = p.approvedPaths;
  return executeTool(p.tool, p.input, {
    ...ctx,
    ...(guard ? { guard } : {}),
    ...(judgedExports ? { judgedExports } : {}),
    ...(approvedSets ? { approvedSets } : {}),
    ...(approvedPaths ? { approvedPaths } : {}),
  });
}

async function judgeCall(call: ToolCallPart, deps: ToolStepDeps, earlierPlan: PlanOutcome | undefined): Promise<{ pending: Pending; planOutcome?: PlanOutcome }> {
  const prepared = prepareCall(deps.tools, call.toolName, call.input);
  if (!prepared.ok) return { pending: { call, verdict: { action: "deny", reason: "the call was not valid" }, result: prepared.result } };
  // A plan approved earlier in this answer switched the mode; later calls see the new one.
  const mode = earlierPlan?.mode ?? deps.mode;
  if (mode === "plan" && call.toolName === EXIT_PLAN_MODE && !earlierPlan?.ends) {
    const outcome = await reviewPlan(planOf(prepared.input), deps.interaction, deps.executionMode);
    const verdict: Verdict = { action: "allow", reason: outcome.verdict === "result" ? "plan mode: the plan is the result of this run" : `plan review: ${outcome.verdict}` };
    return { pending: { call, verdict, result: { llmContent: outcome.llmContent, display: outcome.plan, isError: outcome.isError } }, planOutcome: outcome };
  }
  let verdict: Verdict;
  let approvedPaths: string[] | undefined;
  try {
    const request = prepared.tool.permission(prepared.input, deps.ctx);
    // Taken before the judgement (which may wait on the user): the tool does only what this covers.
    if (request.paths) approvedPaths = approvedPlaces(request.paths);
    verdict = await judge(request, mode, deps.permissions, deps.interaction);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    verdict = { action: "deny", reason: `the call could not be checked: ${message}` };
  }
  if (verdict.action === "deny") {
    const text = refusalForModel(call.toolName, verdict, mode);
    return { pending: { call, verdict, result: { llmContent: text, display: `refused: ${verdict.reason}`, isError: true } } };
  }
  return { pending: { call, verdict, tool: prepared.tool, input: prepared.input, ...(approvedPaths ? { approvedPaths } : {}) } };
}
