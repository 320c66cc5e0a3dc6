import { createHash } from "node:crypto";
import type { FeedbackEntry } from "../../agent/feedback.js";
import type { AssistantMessage, Message } from "../../protocol/index.js";
import { toChatFormat, type DatasetMessage } from "./chat-format.js";
import { redactExample } from "./redact-exchange.js";

/** How much each kind of example counts (`[train] weights`). */
export interface ExampleWeights {
  corrected: number;
  bad: number;
  good: number;
  /** A teacher's answer after the local model failed or was escalated from. */
  teacher: number;
}

/** Options of {@link buildDataset}. */
export interface BuildDatasetOptions {
  weights: ExampleWeights;
  /** Share held back for evaluation, 0 to 0.5. */
  evalFraction: number;
  /** Files outside this folder are redacted from tool results. */
  projectRoot: string;
  /** Only feedback given at or after this time. */
  since?: Date;
  /** Only examples weighing at least this much. */
  minWeight?: number;
}

export type ExampleKind = "corrected" | "bad" | "good" | "teacher";

/** One line of the dataset. */
export interface DatasetExample {
  messages: DatasetMessage[];
  /** How many times the example counts in training. */
  weight: number;
  kind: ExampleKind;
  /** False for a bad answer with no correction: trainers that take negative examples (KTO) use it as one; others should skip it. */
  label: boolean;
  /** Stable id: a hash of the messages. */
  id: string;
}

/** What went in and why the rest did not. */
export interface DatasetSummary {
  read: number;
  kept: { train: number; eval: number };
  byKind: Record<ExampleKind, number>;
  skipped: { beforeSince: number; belowMinWeight: number; duplicate: number; empty: number };
  redacted: { secrets: number; outsideFiles: number };
  /** Lines of the feedback log that hold no rating (cut short by a killed write, or edited by hand), by number. */
  damaged: { count: number; lines: number[] };
}

function kindOf(entry: FeedbackEntry & { teacher?: boolean }): ExampleKind {
  if (entry.teacher) return "teacher";
  if (entry.rating === "good") return "good";
  return entry.correction ? "corrected" : "bad";
}

/** The exchange with a correction in place of the rated answer (the last assistant message). */
function corrected(messages: readonly Message[], correction: string): Message[] {
  const last = messages.findLastIndex((m) => m.role === "assistant");
  const answer: AssistantMessage = { role: "assistant", content: [{ type: "text", text: correction }] };
  return last < 0 ? [...messages, answer] : [...messages.slice(0, last), answer];
}

const hash = (value: unknown): string => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/**
 * Turns feedback entries into a chat-format dataset: weighted by kind, redacted, deduplicated
 * (a repeat keeps the larger weight), split into train and eval by a hash of each example so the
 * same example always falls on the same side.
 */
export function buildDataset(entries: ReadonlyArray<FeedbackEntry & { teacher?: boolean }>, options: BuildDatasetOptions): { train: DatasetExample[]; eval: DatasetExample[]; summary: DatasetSummary } {
  const summary: DatasetSummary = {
    read: entries.length,
    kept: { train: 0, eval: 0 },
    byKind: { corrected: 0, bad: 0, good: 0, teacher: 0 },
    skipped: { beforeSince: 0, belowMinWeight: 0, duplicate: 0, empty: 0 },
    redacted: { secrets: 0, outsideFiles: 0 },
    damaged: { count: 0, lines: [] },
  };
  const byId = new Map<string, DatasetExample>();
  /**
   * Each example's verdicts, by who gave them: a session's rating of an answer rated there again is
   * replaced (a misclick undone: the user's last word counts), and of the verdicts of different
   * sessions (and teacher answers) the one weighing most is kept.
   */
  const verdicts = new Map<string, Map<string, { weight: number; kind: ExampleKind }>>();
  for (const entry of entries) {
    if (options.since && !(new Date(entry.at) >= options.since)) {
      summary.skipped.beforeSince++;
      continue;
    }
    const kind = kindOf(entry);
    const weight = options.weights[kind];
    if (weight <= 0 || weight < (options.minWeight ?? 0)) {
      summary.skipped.belowMinWeight++;
      continue;
    }
    const messages = kind === "corrected" && entry.correction ? corrected(entry.exchange.messages, entry.correction) : entry.exchange.messages;
    if (!messages.some((m) => m.role === "assistant")) {
      summary.skipped.empty++;
      continue;
    }
    const { messages: clean, redactions } = redactExample(toChatFormat(entry.exchange.system, messages), options.projectRoot);
    summary.redacted.secrets += redactions.secrets;
    summary.redacted.outsideFiles += redactions.outsideFiles;
    const id = hash(clean).slice(0, 16);
    const by = kind === "teacher" ? `teacher\u0000${verdicts.get(id)?.size ?? 0}` : `rating\u0000${entry.sessionId}`;
    const seen = verdicts.get(id) ?? new Map<string, { weight: number; kind: ExampleKind }>();
    verdicts.set(id, seen.set(by, { weight, kind }));
    if (byId.has(id)) summary.skipped.duplicate++;
    else byId.set(id, { messages: clean, weight, kind, label: kind !== "bad", id });
  }
  const train: DatasetExample[] = [];
  const held: DatasetExample[] = [];
  for (const example of byId.values()) {
    // The first verdict weighing most (Map keeps first-seen order, so a tie keeps the earlier one).
    let best: { weight: number; kind: ExampleKind } | undefined;
    for (const v of verdicts.get(example.id)?.values() ?? []) if (!best || v.weight > best.weight) best = v;
    if (best) Object.assign(example, { weight: best.weight, kind: best.kind, label: best.kind !== "bad" });
    summary.byKind[example.kind]++;
    // The first 8 hex digits of the id as a number in [0, 1): stable across runs and machines.
    const point = Number.parseInt(example.id.slice(0, 8), 16) / 2 ** 32;
    (point < options.evalFraction ? held : train).push(example);
  }
  summary.kept = { train: train.length, eval: held.length };
  return { train, eval: held, summary };
}
