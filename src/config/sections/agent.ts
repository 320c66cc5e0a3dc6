import { z } from "zod";
import type { FieldMeta } from "./context.js";

/** The modes `--permission-mode` takes (permissions/ owns their meaning; config is a leaf and names them). */
export const AGENT_PERMISSION_MODES = ["default", "accept-edits", "plan", "bypass"] as const;

const weight = (what: string, value: number) => z.number().min(0).default(value).describe(what);

/** `[agent]`: the coding assistant (`wren -p`). */
export function section() {
  return z
    .strictObject({
      maxTurns: z.int().min(1).default(25).describe("Model turns a run may take before it stops (`--max-turns` overrides it)."),
      dialogGraceMs: z
        .int()
        .min(0)
        .max(10_000)
        .default(600)
        .describe(
          "How long, in milliseconds, a terminal dialog that can run something (a permission, a plan, cloud consent, the model's question) ignores keys after it appears, so keys typed for the prompt that reach it as it is drawn answer nothing. 0 turns it off.",
        ),
      permissionMode: z
        .enum(AGENT_PERMISSION_MODES)
        .default("default")
        .describe("The mode a new session starts in: `default` asks (and `wren -p` refuses) anything not allowed by a rule; `accept-edits` also allows edits inside the project; `plan` is read-only; `bypass` allows everything that is not denied. `--permission-mode` overrides it; a resumed session keeps its own, except `bypass`, which holds only for the run that gives the flag.")
        .meta({ noun: "permission mode" } satisfies FieldMeta),
      compactAt: z
        .number()
        .gt(0)
        .max(1)
        .default(0.8)
        .describe("The share of the model's context window past which older turns are summarised (compaction)."),
      compactionModel: z
        .string()
        .min(1)
        .optional()
        .describe("The model that writes compaction summaries: `auto`, a route or `provider:model` (default: the session's own model)."),
      feedback: z
        .strictObject({
          corrected: weight("Weight of a bad answer that a teacher then corrected (`wren sessions rate ID bad --correction …`).", 10),
          bad: weight("Weight of an answer rated bad.", 3),
          good: weight("Weight of an answer rated good.", 1),
        })
        .prefault({})
        .describe("Weights written with each rating to feedback.jsonl, for training on the answers that matter most."),
    })
    .prefault({})
    .describe("The coding assistant (`wren -p`).");
}
