import type { ChatRequest } from "../protocol/index.js";
import { outputReserve } from "./output-room.js";
import type { Condition } from "./route.js";

export interface ConditionContext {
  request: ChatRequest;
  /** The model name the client asked for (`auto` when none). */
  requestedModel: string;
  /** Prompt tokens, counted lazily and once. */
  promptTokens(): Promise<number>;
  /** Context window of the local model, when there is one. */
  localContextLength?: number | undefined;
}

/** The text of every user message, for `match` rules. */
export function userTextOf(request: ChatRequest): string {
  const out: string[] = [];
  if (request.rawPrompt) out.push(request.rawPrompt);
  for (const m of request.messages) {
    if (m.role !== "user") continue;
    for (const p of m.content) if (p.type === "text") out.push(p.text);
  }
  return out.join("\n");
}

export async function evaluateCondition(condition: Condition, ctx: ConditionContext): Promise<boolean> {
  if ("all" in condition) {
    for (const c of condition.all) if (!(await evaluateCondition(c, ctx))) return false;
    return true;
  }
  if ("any" in condition) {
    for (const c of condition.any) if (await evaluateCondition(c, ctx)) return true;
    return false;
  }
  if ("not" in condition) return !(await evaluateCondition(condition.not, ctx));
  if ("model" in condition) {
    const names = Array.isArray(condition.model) ? condition.model : [condition.model];
    return names.includes(ctx.requestedModel);
  }
  if ("minPromptTokens" in condition) return (await ctx.promptTokens()) >= condition.minPromptTokens;
  if ("exceedsLocalContext" in condition) {
    if (ctx.localContextLength === undefined) return false;
    return (await ctx.promptTokens()) + outputReserve(ctx.request.maxOutputTokens, ctx.localContextLength) > ctx.localContextLength;
  }
  if ("hasTools" in condition) return (ctx.request.tools?.length ?? 0) > 0 === condition.hasTools;
  if ("hasImages" in condition) {
    const has = ctx.request.messages.some((m) => m.role === "user" && m.content.some((p) => p.type === "image"));
    return has === condition.hasImages;
  }
  return new RegExp(condition.match, condition.flags ?? "i").test(userTextOf(ctx.request));
}

/** A short reason word for a branch taken on this condition, for provenance. */
export function reasonForCondition(condition: Condition): string {
  if ("model" in condition) return "model";
  if ("minPromptTokens" in condition || "exceedsLocalContext" in condition) return "context";
  if ("hasTools" in condition) return "tools";
  if ("hasImages" in condition) return "images";
  if ("match" in condition) return "match";
  if ("all" in condition) return condition.all[0] ? reasonForCondition(condition.all[0]) : "match";
  if ("any" in condition) return condition.any[0] ? reasonForCondition(condition.any[0]) : "match";
  return "match";
}
