import { closeSync, existsSync, openSync, readSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Message, Provenance } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { appendJsonLine } from "./jsonl.js";
import { followConversation, readTranscript, type SessionHeader } from "./transcript.js";

/** How much one rating counts when the feedback trains a model. */
export interface FeedbackWeights {
  /** A bad answer a teacher then corrected. Default 10. */
  corrected: number;
  /** A bad answer. Default 3. */
  bad: number;
  /** A good answer. Default 1. */
  good: number;
}

export const DEFAULT_FEEDBACK_WEIGHTS: FeedbackWeights = { corrected: 10, bad: 3, good: 1 };

/** A rating of the last answer. */
export interface Rating {
  rating: "good" | "bad";
  note?: string;
  /** The better answer, when a teacher corrected a bad one. */
  correction?: string;
}

/** One line of `feedback.jsonl`. */
export interface FeedbackEntry {
  at: string;
  sessionId: string;
  rating: "good" | "bad";
  note?: string;
  correction?: string;
  weight: number;
  /** Who answered the rated turn, and why. */
  provenance: Provenance | null;
  /** The system prompt and the messages from the last user prompt to the answer. */
  exchange: { system: string; messages: Message[] };
}

/** Where ratings go: `<data dir>/feedback.jsonl`. */
export function feedbackFile(dataDir: string): string {
  return path.join(dataDir, "feedback.jsonl");
}

/** The weight of a rating under `weights`. */
export function weightOf(rating: Rating, weights: FeedbackWeights = DEFAULT_FEEDBACK_WEIGHTS): number {
  if (rating.rating === "good") return weights.good;
  return rating.correction ? weights.corrected : weights.bad;
}

/**
 * Rates the last answer of a session (read from its transcript) and appends the rating, the whole
 * exchange and who answered to the feedback file, in one durable write.
 */
export function rateLastAnswer(transcriptFile: string, rating: Rating, options: { file: string; weights?: FeedbackWeights }): FeedbackEntry {
  if (rating.rating === "good" && rating.correction) {
    throw new WrenError("bad_request", "A correction goes with a bad rating, not a good one.", { hint: "Rate it bad with the correction, or good without one." });
  }
  const records = readTranscript(transcriptFile);
  const header = records[0] as SessionHeader;
  const messages: Message[] = [];
  let provenance: Provenance | null = null;
  for (const r of records) {
    followConversation(messages, r);
    if (r.type === "turn") provenance = r.provenance ?? null;
  }
  const start = messages.findLastIndex((m) => m.role === "user");
  const exchange = start < 0 ? [] : messages.slice(start);
  if (!exchange.some((m) => m.role === "assistant")) {
    throw new WrenError("bad_request", `Session ${header.id} has no answer to rate yet.`, { hint: "Rate a session after the assistant has answered." });
  }
  const entry: FeedbackEntry = {
    at: new Date().toISOString(),
    sessionId: header.id,
    rating: rating.rating,
    ...(rating.note ? { note: rating.note } : {}),
    ...(rating.correction ? { correction: rating.correction } : {}),
    weight: weightOf(rating, options.weights),
    provenance,
    exchange: { system: header.system, messages: exchange },
  };
  appendJsonLine(options.file, entry);
  return entry;
}

/** What a feedback line must hold to be used (the exchange's messages as wren writes them). */
const part = z.looseObject({ type: z.string() });
const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: z.string() }),
  z.looseObject({ role: z.enum(["user", "assistant", "tool"]), content: z.array(part) }),
]);
const entrySchema = z.looseObject({
  at: z.string(),
  sessionId: z.string(),
  rating: z.enum(["good", "bad"]),
  note: z.string().optional(),
  correction: z.string().optional(),
  weight: z.number(),
  provenance: z.looseObject({}).nullable(),
  exchange: z.looseObject({ system: z.string(), messages: z.array(message) }),
});

/**
 * The complete lines of a file, read a piece at a time: a log larger than JavaScript's longest
 * string (512 MiB) still reads. A last line with no newline (a torn write) is left out; a single
 * line too long to decode is given as undefined.
 */
function* completeFileLines(file: string, chunkBytes: number): Generator<string | undefined> {
  const fd = openSync(file, "r");
  try {
    const chunk = Buffer.alloc(chunkBytes);
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return;
      const data = chunk.subarray(0, n);
      let start = 0;
      for (let at = data.indexOf(0x0a, start); at >= 0; at = data.indexOf(0x0a, start)) {
        const piece = data.subarray(start, at);
        try {
          yield (carry.length > 0 ? Buffer.concat([...carry, piece]) : piece).toString("utf8");
        } catch {
          yield undefined;
        }
        carry = [];
        start = at + 1;
      }
      // Copied: the chunk is read into again.
      if (start < n) carry.push(Buffer.from(data.subarray(start)));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The ratings in a feedback file, and the numbers (1-based) of the lines that are not one: a
 * fragment of a write that was killed (the next record starts on a fresh line, see openJsonLines)
 * or a hand edit. A torn last line (no newline yet) is neither. `chunkBytes`: how much is read at a
 * time (default 16 MiB).
 */
export function readFeedbackLog(file: string, options: { chunkBytes?: number } = {}): { entries: FeedbackEntry[]; damaged: number[] } {
  const entries: FeedbackEntry[] = [];
  const damaged: number[] = [];
  if (!existsSync(file)) return { entries, damaged };
  let number = 0;
  for (const line of completeFileLines(file, options.chunkBytes ?? 16 * 1024 * 1024)) {
    number++;
    if (line === undefined) {
      damaged.push(number);
      continue;
    }
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      damaged.push(number);
      continue;
    }
    const checked = entrySchema.safeParse(parsed);
    if (checked.success) entries.push(checked.data as unknown as FeedbackEntry);
    else damaged.push(number);
  }
  return { entries, damaged };
}

/** Every rating in a feedback file (damaged lines and a torn last line are left out). */
export function readFeedback(file: string): FeedbackEntry[] {
  return readFeedbackLog(file).entries;
}
