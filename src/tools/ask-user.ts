import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { errorResult, okResult } from "./result.js";
import type { AskUserAnswer, AskUserQuestion } from "./tool.js";

const option = z.union([
  z.string().min(1),
  z.object({ label: z.string().min(1).describe("The choice, in 1–5 words."), description: z.string().optional().describe("What picking it means.") }),
]);

const parameters = z.object({
  questions: z
    .array(
      z.object({
        question: z.string().min(1).describe("The question, ending with a question mark."),
        header: z.string().max(30).optional().describe("A very short label for it (at most 30 characters)."),
        options: z.array(option).min(2).max(4).describe("2–4 choices. The user can always answer in their own words instead."),
        multi_select: z.boolean().default(false).describe("Whether the user may pick more than one choice."),
      }),
    )
    .min(1)
    .max(4)
    .describe("1–4 questions."),
});

export const askUserTool = defineTool({
  name: "AskUser",
  description:
    "Asks the user 1–4 multiple-choice questions when you need their decision (a preference, an ambiguous requirement, " +
    "a choice between approaches) and cannot find the answer yourself. Each question has 2–4 options; the user may also " +
    "answer in their own words. Do not ask for permission to use tools: that is asked for you.",
  parameters,
  readOnly: true,
  permission: () => ({ tool: "AskUser", effect: "interact" }),
  async execute(input, ctx) {
    if (!ctx.ask) {
      return errorResult(
        "No one can answer questions in this session: it is not interactive.",
        "Choose the most reasonable option yourself, say which and why, and go on.",
      );
    }
    const questions: AskUserQuestion[] = input.questions.map((q) => {
      const question: AskUserQuestion = {
        question: q.question,
        options: q.options.map((o) => (typeof o === "string" ? { label: o } : o)),
        multiSelect: q.multi_select,
      };
      if (q.header !== undefined) question.header = q.header;
      return question;
    });
    const answers = await ctx.ask(questions, ctx.signal);
    const lines = questions.map((q, i) => `${i + 1}. ${q.question}\n   → ${describeAnswer(answers[i])}`);
    const text = `The user answered:\n${lines.join("\n")}`;
    return okResult(text, { data: { kind: "answers", questions, answers } });
  },
});

function describeAnswer(answer: AskUserAnswer | undefined): string {
  if (!answer) return "(no answer)";
  const parts: string[] = [];
  if (answer.selected.length > 0) parts.push(answer.selected.join(", "));
  if (answer.other?.trim()) parts.push(`in their own words: ${JSON.stringify(answer.other.trim())}`);
  return parts.length > 0 ? parts.join("; ") : "(no answer)";
}
