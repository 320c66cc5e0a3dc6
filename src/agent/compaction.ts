import { collectStream, messageText, resultText, type LanguageModel, type Message, type Provenance, type Usage } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";

/** When and how older turns are summarised. */
export interface CompactionOptions {
  /**
   * The model's context window in tokens, or a function of who answered the last turn (under
   * `auto` a local model and a cloud teacher have very different windows).
   */
  contextWindow: number | ((answeredBy: Provenance | undefined) => number);
  /**
   * Asked only when the conversation passes the threshold of `contextWindow`'s window, before
   * compacting: the window for certain, for a model that knows its own only once it is loaded or
   * reached (a local model with an automatic context, the daemon's). A resumed session's first turn
   * is then judged against the window of the model that will answer, not a configured guess.
   * Default: `contextWindow`'s answer stands.
   */
  confirmWindow?: (answeredBy: Provenance | undefined, signal: AbortSignal) => Promise<number>;
  /** Compact once the conversation passes this share of the window. Default 0.8. */
  threshold?: number;
  /** The model that writes the summary. Default: the session's model. */
  model?: LanguageModel;
  /** Model turns kept verbatim after the summary. Default 2. */
  keepTurns?: number;
}

/** Tokens of a conversation as last measured by the model, plus a rough count for what came after. */
export class ContextMeter {
  private measured = 0;
  private measuredAt = 0;

  /** After a model call: `usage` counted the request of `messageCount` messages plus its answer. */
  update(usage: Usage, messageCount: number): void {
    if (usage.inputTokens <= 0) return;
    this.measured = usage.inputTokens + usage.outputTokens;
    this.measuredAt = messageCount;
  }

  reset(): void {
    this.measured = 0;
    this.measuredAt = 0;
  }

  /**
   * The conversation's size in tokens: the model's own count when it gave one, plus ~4 characters
   * per token for messages since (an estimate that only decides when to compact).
   */
  estimate(system: string, messages: readonly Message[]): number {
    const base = this.measured > 0 ? this.measured : Math.ceil(system.length / 4);
    const from = this.measured > 0 ? this.measuredAt : 0;
    let chars = 0;
    for (const m of messages.slice(from)) chars += JSON.stringify(m.content).length;
    return base + Math.ceil(chars / 4);
  }
}

export const SUMMARY_PREFIX = "Summary of the earlier conversation (older turns were compacted):";

const SUMMARISE =
  "Summarise the conversation below for the assistant that continues it. Keep the user's goals and constraints, decisions made, files read or changed (with paths), commands run and their outcomes, and what remains to do. Be concise; write plain text.";

/** Where the conversation may be cut: before a user or assistant message, never between a call and its result. */
function cutPoints(messages: readonly Message[]): number[] {
  const out: number[] = [];
  messages.forEach((m, i) => {
    if (i > 0 && m.role !== "tool") out.push(i);
  });
  return out;
}

function render(messages: readonly Message[]): string {
  return messages
    .map((m) => {
      if (typeof m.content === "string") return `${m.role}: ${m.content}`;
      const parts = m.content.map((p) => {
        switch (p.type) {
          case "text":
            return p.text;
          case "tool-call":
            return `[called ${p.toolName} ${JSON.stringify(p.input)}]`;
          case "tool-result":
            return `[${p.toolName} ${p.isError ? "failed" : "returned"}: ${p.output}]`;
          default:
            return "[image]";
        }
      });
      return `${m.role}: ${parts.join("\n")}`;
    })
    .join("\n\n");
}

/**
 * The conversation with each tool result longer than `maxChars` cut to its start, saying so: a
 * result too large for the model's context (a long file read into a small local window) would
 * otherwise overflow every request after it, the summary's included, and the session could not go on.
 */
function cutLargeResults(messages: readonly Message[], maxChars: number): Message[] {
  return messages.map((m) => {
    if (m.role !== "tool" || !m.content.some((r) => r.output.length > maxChars)) return m;
    const content = m.content.map((r) =>
      r.output.length > maxChars
        ? { ...r, output: `${r.output.slice(0, maxChars)}\n[Result cut when the conversation was compacted: ${r.output.length} characters, the first ${maxChars} kept, as it was too large for the model's context. Ask for a narrower part if more is needed.]` }
        : r,
    );
    return { ...m, content };
  });
}

/** The result of one compaction: the new conversation and the summary at its head. */
export interface Compacted {
  summary: string;
  messages: Message[];
  /** What the summary request cost, in tokens. */
  usage: Usage;
}

/**
 * Summarises all but the last `keepTurns` model turns with `model` and returns the conversation
 * as the summary followed by those turns. Undefined when there is nothing old enough to summarise.
 * A tool result longer than `maxResultChars` is cut to its start, in the summary's request and in
 * the turns kept (default: never).
 */
export async function compactMessages(
  all: readonly Message[],
  model: LanguageModel,
  keepTurns: number,
  signal: AbortSignal,
  maxResultChars = Infinity,
): Promise<Compacted | undefined> {
  const messages = cutLargeResults(all, maxResultChars);
  const points = cutPoints(messages);
  if (points.length === 0) return undefined;
  const cut = points[Math.max(0, points.length - keepTurns)]!;
  const old = messages.slice(0, cut);
  // Only the previous summary is older than the kept turns: summarising it again gains nothing, but
  // a result too large, come since, is still cut.
  if (old.length === 1 && messageText(old[0]!).startsWith(SUMMARY_PREFIX)) {
    if (messages.every((m, i) => m === all[i])) return undefined;
    const summary = messageText(old[0]!).slice(SUMMARY_PREFIX.length).trim();
    return { summary, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, messages };
  }
  const answer = await collectStream(
    model.doStream(
      {
        messages: [
          { role: "system", content: "You write faithful, compact summaries of conversations between a user and a coding assistant." },
          { role: "user", content: [{ type: "text", text: `${SUMMARISE}\n\n<conversation>\n${render(old)}\n</conversation>` }] },
        ],
        toolChoice: "none",
      },
      { signal },
    ),
  );
  const summary = resultText(answer).trim();
  if (!summary) throw new WrenError("upstream_error", "The model returned an empty summary, so the conversation was not compacted.", { hint: "Try /compact again, or configure another compaction model." });
  const head = `${SUMMARY_PREFIX}\n${summary}`;
  const tail = messages.slice(cut);
  const first = tail[0];
  // A summary is a user message; when the kept part starts with one, they merge (some APIs refuse two in a row).
  if (first?.role === "user") {
    return { summary, usage: answer.usage, messages: [{ role: "user", content: [{ type: "text", text: `${head}\n\n` }, ...first.content] }, ...tail.slice(1)] };
  }
  return { summary, usage: answer.usage, messages: [{ role: "user", content: [{ type: "text", text: head }] }, ...tail] };
}
