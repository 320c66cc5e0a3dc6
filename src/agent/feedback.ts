import { closeSync, existsSync, openSync, readSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { tryFileLock } from "../models/file-lock.js";
import type { Message, Provenance } from "../protocol/index.js";
import { writeFileAtomicSync } from "../shared/atomic-write.js";
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
export function rateLastAnswer(transcriptFile: string, rating: Rating, options: { file: string; weights?: FeedbackWeights; lockWaitMs?: number }): FeedbackEntry {
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
  withFeedbackLock(options.file, options.lockWaitMs, () => appendJsonLine(options.file, entry));
  return entry;
}

/** How long a writer waits for the feedback log's lock by default: a rewrite of a large log takes a while. */
const LOCK_WAIT_MS = 30_000;

/**
 * Runs `fn` holding `<log>.lock` (see models/file-lock.ts), waiting up to `waitMs` for another
 * process's append or rewrite to finish. Every writer of the log takes it: an append made while
 * {@link forgetSessionFeedback} rewrites the log would go to the file the rewrite replaces, and be lost.
 * Synchronous, as the append is: each holder keeps the lock for one write.
 */
function withFeedbackLock<T>(file: string, waitMs: number | undefined, fn: () => T): T {
  const deadline = Date.now() + (waitMs ?? LOCK_WAIT_MS);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const attempt = tryFileLock(`${file}.lock`);
    if ("held" in attempt) {
      using _lock = attempt.held;
      return fn();
    }
    if (Date.now() >= deadline) {
      const who = attempt.holder ? ` (process ${attempt.holder.pid})` : "";
      throw new WrenError("overloaded", `The feedback log ${file} is busy: another wren${who} is writing it.`, { isRetryable: true, hint: "Try again in a moment." });
    }
    Atomics.wait(pause, 0, 0, 50);
  }
}

/**
 * Removes every rating of session `id` from the feedback log (`wren sessions rm`): a rating holds a
 * copy of the exchange, which `wren train export` would otherwise go on training on. The log is
 * rewritten beside itself and renamed over it (mode 0600), under the lock every writer takes, so
 * a rating appended meanwhile waits and is kept. Other lines stay byte for byte, damaged ones too;
 * a damaged line or torn fragment that names the session is dropped with it. When no line names it
 * the log is not touched. Returns the number of lines removed.
 */
export function forgetSessionFeedback(file: string, id: string, options: { lockWaitMs?: number; chunkBytes?: number } = {}): number {
  if (!existsSync(file)) return 0;
  return withFeedbackLock(file, options.lockWaitMs, () => {
    if (!existsSync(file)) return 0;
    const named = Buffer.from(id);
    const kept: Buffer[] = [];
    let removed = 0;
    for (const line of fileLines(file, options.chunkBytes ?? 16 * 1024 * 1024)) {
      if (line.bytes.includes(named) && ratingOf(line.bytes, id)) {
        removed++;
        continue;
      }
      // Copied: the reader's chunk is read into again.
      kept.push(Buffer.from(line.bytes));
      if (line.complete) kept.push(NEWLINE);
    }
    if (removed > 0) writeFileAtomicSync(file, Buffer.concat(kept), { mode: 0o600 });
    return removed;
  });
}

const NEWLINE = Buffer.from("\n");

/**
 * Whether a line that holds session `id` is its rating: an entry of it, or a line that is no JSON
 * (a fragment of a killed write, a hand edit) but says it is of the session.
 */
function ratingOf(bytes: Buffer, id: string): boolean {
  let text: string;
  try {
    text = bytes.toString("utf8");
  } catch {
    // Longer than a string can be: no line wren writes.
    return false;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new RegExp(`"sessionId"\\s*:\\s*"${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`).test(text);
  }
  return typeof parsed === "object" && parsed !== null && "sessionId" in parsed && parsed.sessionId === id;
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
 * The lines of a file, read a piece at a time: a log larger than JavaScript's longest string
 * (512 MiB) still reads. Each without its newline; a last line with none (a torn write) is given
 * as not `complete`. The bytes are the reader's: copy what is kept past the next line.
 */
function* fileLines(file: string, chunkBytes: number): Generator<{ bytes: Buffer; complete: boolean }> {
  const fd = openSync(file, "r");
  try {
    const chunk = Buffer.alloc(chunkBytes);
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const data = chunk.subarray(0, n);
      let start = 0;
      for (let at = data.indexOf(0x0a, start); at >= 0; at = data.indexOf(0x0a, start)) {
        const piece = data.subarray(start, at);
        yield { bytes: carry.length > 0 ? Buffer.concat([...carry, piece]) : piece, complete: true };
        carry = [];
        start = at + 1;
      }
      // Copied: the chunk is read into again.
      if (start < n) carry.push(Buffer.from(data.subarray(start)));
    }
    if (carry.length > 0) yield { bytes: Buffer.concat(carry), complete: false };
  } finally {
    closeSync(fd);
  }
}

/**
 * The complete lines of a file as text (see {@link fileLines}). A last line with no newline (a torn
 * write) is left out; a single line too long to decode is given as undefined.
 */
function* completeFileLines(file: string, chunkBytes: number): Generator<string | undefined> {
  for (const line of fileLines(file, chunkBytes)) {
    if (!line.complete) return;
    try {
      yield line.bytes.toString("utf8");
    } catch {
      yield undefined;
    }
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
