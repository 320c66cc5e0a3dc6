import {
  existingSessionFile,
  feedbackFile,
  listSessions,
  rateLastAnswer,
  readTranscriptLines,
  removeSession,
  removeSessionIfEmpty,
  sessionsDir,
  type FeedbackEntry,
  type FeedbackWeights,
  type Rating,
  type SessionSummary,
  type SkippedLine,
  type TranscriptRecord,
} from "../agent/index.js";
import { resolvePaths, type Env } from "../shared/paths.js";

/** `wren sessions …` over the sessions folder of this user (XDG state dir, or `WREN_HOME`). */
const dirOf = (env: Env): string => sessionsDir(resolvePaths(env).stateDir);

export function listAgentSessions(env: Env = process.env): SessionSummary[] {
  return listSessions(dirOf(env));
}

/** The records of session `id`, with the torn lines readers skip in their places (see `readTranscriptLines`). */
export function readAgentSession(id: string, env: Env = process.env): (TranscriptRecord | SkippedLine)[] {
  return readTranscriptLines(existingSessionFile(dirOf(env), id));
}

export function removeAgentSession(id: string, env: Env = process.env): void {
  removeSession(dirOf(env), id);
}

/** Removes session `id` if it holds no conversation (see `removeSessionIfEmpty`); true when removed. */
export function removeEmptyAgentSession(id: string, env: Env = process.env): boolean {
  return removeSessionIfEmpty(dirOf(env), id);
}

/** Rates the session's last answer into `feedback.jsonl` under the XDG data dir, weighted by `agent.feedback`. */
export function rateAgentSession(id: string, rating: Rating, weights: FeedbackWeights, env: Env = process.env): FeedbackEntry {
  return rateLastAnswer(existingSessionFile(dirOf(env), id), rating, { file: feedbackFile(resolvePaths(env).dataDir), weights });
}
