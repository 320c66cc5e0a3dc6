import type { LanguageModel, Message } from "../../protocol/index.js";
import { resultText } from "../../protocol/index.js";
import { toWrenError } from "../../shared/errors.js";

/** How a teacher judged the adapter's answers against the base model's. */
export interface JudgeResult {
  teacher: string;
  /** Examples the teacher gave a verdict on. */
  judged?: number;
  adapterWins?: number;
  baseWins?: number;
  ties?: number;
  /** Why there was no verdict (cloud use off or declined, the teacher failed). */
  skipped?: string;
}

/** One held-back example with the two answers to compare. */
export interface JudgeItem {
  prompt: Message[];
  reference: string;
  base: string;
  adapter: string;
}

const SYSTEM = [
  "You compare two answers of an assistant to the same conversation, given a reference answer that is known to be good.",
  'Reply with JSON only: {"better": "A"} or {"better": "B"} for the answer closer in quality and content to the reference, or {"better": "tie"} when neither is.',
].join(" ");

function transcript(messages: readonly Message[]): string {
  return messages
    .map((m) => {
      if (m.role === "system") return `[system] ${m.content}`;
      if (m.role === "user") return `[user] ${m.content.map((p) => (p.type === "text" ? p.text : "[image]")).join("")}`;
      if (m.role === "assistant") return `[assistant] ${m.content.map((p) => (p.type === "text" ? p.text : `[calls ${p.toolName}(${JSON.stringify(p.input)})]`)).join("")}`;
      return m.content.map((r) => `[tool ${r.toolName}] ${r.output}`).join("\n");
    })
    .join("\n");
}

/** The verdict in a teacher's reply: the `better` field of its JSON, else a lone A / B / tie. */
export function parseVerdict(text: string): "A" | "B" | "tie" | undefined {
  const field = /"better"\s*:\s*"(A|B|tie)"/i.exec(text)?.[1] ?? /^\s*(A|B|tie)\s*\.?\s*$/i.exec(text)?.[1];
  if (!field) return undefined;
  const upper = field.toUpperCase();
  return upper === "TIE" ? "tie" : (upper as "A" | "B");
}

/**
 * Asks the teacher, example by example, which answer is better. The base model's answer is A on
 * even examples and B on odd ones, so a teacher that favours a position favours neither model.
 * The first failure (cloud use refused by the router's consent gate, a teacher error) ends judging
 * with the reason instead of a verdict.
 */
export async function judgeAnswers(teacher: LanguageModel, teacherId: string, items: readonly JudgeItem[], signal?: AbortSignal): Promise<JudgeResult> {
  const result = { teacher: teacherId, judged: 0, adapterWins: 0, baseWins: 0, ties: 0 };
  for (const [index, item] of items.entries()) {
    const baseFirst = index % 2 === 0;
    const [a, b] = baseFirst ? [item.base, item.adapter] : [item.adapter, item.base];
    const question = [`Conversation:\n${transcript(item.prompt)}`, `Reference answer:\n${item.reference}`, `Answer A:\n${a}`, `Answer B:\n${b}`].join("\n\n");
    let reply: string;
    try {
      const answer = await teacher.doGenerate(
        { messages: [{ role: "system", content: SYSTEM }, { role: "user", content: [{ type: "text", text: question }] }], temperature: 0, maxOutputTokens: 32 },
        signal ? { signal } : {},
      );
      reply = resultText(answer);
    } catch (error) {
      return { teacher: teacherId, skipped: toWrenError(error).message };
    }
    const verdict = parseVerdict(reply);
    if (!verdict) continue;
    result.judged++;
    if (verdict === "tie") result.ties++;
    else if ((verdict === "A") === baseFirst) result.baseWins++;
    else result.adapterWins++;
  }
  return result;
}
