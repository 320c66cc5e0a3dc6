import { readdirSync } from "node:fs";
import path from "node:path";
import type { FeedbackEntry } from "../../agent/feedback.js";
import { readTranscript, type SessionHeader } from "../../agent/transcript.js";
import type { Message } from "../../protocol/index.js";

/**
 * Router reasons that mean a teacher answered because the local model could not: it failed
 * (`fallback`), was unhealthy, loading or cut off by its circuit breaker, or the request was
 * escalated past it (`context`: too long for it; `tool-call`: it produced no valid call). A teacher
 * chosen first (`primary`) or by a rule of the user's is not the local model falling short.
 */
const ESCALATED = new Set(["fallback", "context", "tool-call", "unhealthy", "loading", "circuit-open"]);

/** A teacher's answer, as a feedback entry the dataset builder takes (`teacher: true`). */
export type TeacherEntry = FeedbackEntry & { teacher: true };

/**
 * Exchanges of the assistant's sessions (their transcripts, which record who answered each turn)
 * where a teacher answered after the local model failed or was escalated from.
 */
export function teacherExchanges(sessionsDir: string): TeacherEntry[] {
  let files: string[];
  try {
    files = readdirSync(sessionsDir).filter((f) => f.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const out: TeacherEntry[] = [];
  for (const file of files.sort()) {
    let records;
    try {
      records = readTranscript(path.join(sessionsDir, file));
    } catch {
      // A transcript that cannot be read is no training data; `wren sessions` reports it.
      continue;
    }
    const header = records[0] as SessionHeader;
    let messages: Message[] = [];
    for (const r of records) {
      if (r.type === "message") messages.push(r.message);
      else if (r.type === "compaction") messages = [...r.messages];
      else if (r.type === "turn" && r.provenance && r.provenance.provider !== "local" && ESCALATED.has(r.provenance.reason)) {
        const start = messages.findLastIndex((m) => m.role === "user");
        const exchange = start < 0 ? [] : messages.slice(start);
        if (!exchange.some((m) => m.role === "assistant")) continue;
        out.push({ at: r.at, sessionId: header.id, rating: "good", weight: 0, provenance: r.provenance, exchange: { system: header.system, messages: exchange }, teacher: true });
      }
    }
  }
  return out;
}
