import { collectStream, resultText, userText, type LanguageModel, type Usage } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { addUsage, ZERO_USAGE } from "./usage.js";

/** One reviewer: who they are and what they look for in a plan. */
export interface ReviewerPersona {
  id: string;
  /** As the user sees it above the findings. */
  title: string;
  /** What this reviewer checks, told to the model. */
  focus: string;
}

/** The seven reviewers of a critiqued plan, each with one angle that plans tend to miss. */
export const REVIEWER_PERSONAS: readonly ReviewerPersona[] = [
  { id: "security", title: "Security", focus: "secrets, injection, unsafe commands, permissions, data leaving the machine, untrusted input" },
  { id: "performance", title: "Performance", focus: "needless work, slow paths, memory, blocking calls, behaviour at scale" },
  { id: "maintainability", title: "Maintainability", focus: "structure, naming, duplication, coupling, whether the change is small and clear" },
  { id: "test-coverage", title: "Test coverage", focus: "which tests prove the change, edge cases left untested, flaky or slow tests" },
  { id: "user-impact", title: "User impact", focus: "what users see, breaking changes, error messages, documentation to update" },
  { id: "operations", title: "Operations", focus: "deployment, configuration, migration, logging, rollback, platforms (Linux, macOS, Windows)" },
  { id: "sceptic", title: "Sceptic", focus: "whether the plan solves the actual task at all, wrong assumptions, simpler alternatives" },
];

/** One reviewer's findings. */
export interface PlanReviewFindings {
  persona: ReviewerPersona;
  /** The reviewer's words, or why there are none. */
  findings: string;
  /** True when this reviewer's call failed: the others still count. */
  failed: boolean;
}

/** What the critique loop produced: every review, and the plan revised with them. */
export interface PlanCritique {
  original: string;
  reviews: PlanReviewFindings[];
  revised: string;
  usage: Usage;
}

/** Options of {@link critiquePlan}. */
export interface PlanCritiqueOptions {
  /** The model that reviews and revises: in wren, the session's routed model. */
  model: LanguageModel;
  /** What the user asked for, so reviewers judge the plan against it. */
  task: string;
  /** Default: {@link REVIEWER_PERSONAS}. */
  personas?: readonly ReviewerPersona[];
  signal: AbortSignal;
}

const REVIEWER_SYSTEM = (p: ReviewerPersona): string =>
  `You are ${/^[aeiou]/i.test(p.title) ? "an" : "a"} ${p.title.toLowerCase()} reviewer of a coding assistant's plan. Look only at ${p.focus}. ` +
  "List concrete problems and what to change, most important first, as short bullet points. If the plan is fine from your angle, say so in one line.";

const REVISER_SYSTEM =
  "You are a coding assistant revising your own plan after review. Address every finding that matters; ignore ones that do not apply, saying why in one line. " +
  "Answer with the revised plan only, as numbered steps.";

async function ask(model: LanguageModel, system: string, prompt: string, signal: AbortSignal): Promise<{ text: string; usage: Usage }> {
  const answer = await collectStream(model.doStream({ messages: [{ role: "system", content: system }, userText(prompt)], toolChoice: "none" }, { signal }));
  return { text: resultText(answer).trim(), usage: answer.usage };
}

/** The revision prompt: the plan and each reviewer's findings under their title. */
export function revisionPrompt(task: string, plan: string, reviews: readonly PlanReviewFindings[]): string {
  const findings = reviews.filter((r) => !r.failed).map((r) => `## ${r.persona.title}\n${r.findings}`);
  return `Task: ${task}\n\nYour plan:\n${plan}\n\nThe reviewers' findings:\n\n${findings.join("\n\n")}`;
}

/**
 * Plan mode's critique loop: each persona reviews the plan in its own model call (all at once, so
 * seven reviews take about as long as one where the router allows it), then the model revises the
 * plan with their findings. A reviewer whose call fails is recorded as failed and left out of the
 * revision; if all of them fail, or the revision comes back empty, the loop fails with the reason.
 */
export async function critiquePlan(plan: string, options: PlanCritiqueOptions): Promise<PlanCritique> {
  const personas = options.personas ?? REVIEWER_PERSONAS;
  const prompt = `Task: ${options.task}\n\nPlan to review:\n${plan}`;
  const settled = await Promise.allSettled(personas.map((p) => ask(options.model, REVIEWER_SYSTEM(p), prompt, options.signal)));
  if (options.signal.aborted) throw new WrenError("aborted", "The plan's review was cancelled.");
  let usage = ZERO_USAGE;
  const reviews = settled.map((s, i): PlanReviewFindings => {
    const persona = personas[i]!;
    if (s.status === "rejected") {
      const reason = s.reason instanceof Error ? s.reason.message : String(s.reason);
      return { persona, findings: `No review: ${reason}`, failed: true };
    }
    usage = addUsage(usage, s.value.usage);
    return { persona, findings: s.value.text || "No findings.", failed: false };
  });
  if (reviews.every((r) => r.failed)) {
    throw new WrenError("upstream_error", `None of the ${personas.length} reviewers could review the plan: ${reviews[0]?.findings ?? "no reviewers"}.`, {
      hint: "Approve or reject the plan without a critique (a plain /plan TASK), or try again once the model answers.",
    });
  }
  const revision = await ask(options.model, REVISER_SYSTEM, revisionPrompt(options.task, plan, reviews), options.signal);
  usage = addUsage(usage, revision.usage);
  if (!revision.text) throw new WrenError("upstream_error", "The model returned an empty revised plan.", { hint: "Review the original plan yourself, or run /plan --critique again." });
  return { original: plan, reviews, revised: revision.text, usage };
}
