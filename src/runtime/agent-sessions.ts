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
import { forgetSessionFeedback } from "../agent/feedback.js";
import { WrenError } from "../shared/errors.js";
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

/** What `wren sessions rm` removed. */
export interface RemovedSession {
  /** The transcript was there (false: only ratings of a session removed before were left). */
  transcript: boolean;
  /** Ratings of the session removed from `feedback.jsonl`. */
  ratings: number;
}

/**
 * Removes session `id`: its transcript and, unless `keepRatings`, the ratings given in it, which
 * hold copies of its exchanges that `wren train export` would train on. A session whose transcript
 * is gone has its ratings removed; one with neither is not found.
 */
export function removeAgentSession(id: string, env: Env = process.env, options: { keepRatings?: boolean } = {}): RemovedSession {
  let transcript = true;
  let missing: unknown;
  try {
    removeSession(dirOf(env), id);
  } catch (error) {
    if (!(error instanceof WrenError && error.code === "not_found")) throw error;
    transcript = false;
    missing = error;
  }
  const ratings = options.keepRatings ? 0 : forgetSessionFeedback(feedbackFile(resolvePaths(env).dataDir), id);
  if (!transcript && ratings === 0) throw missing;
  return { transcript, ratings };
}

/** Removes session `id` if it holds no conversation (see `removeSessionIfEmpty`); true when removed. */
export function removeEmptyAgentSession(id: string, env: Env = process.env): boolean {
  return removeSessionIfEmpty(dirOf(env), id);
}

/** Rates the session's last answer into `feedback.jsonl` under the XDG data dir, weighted by `agent.feedback`. */
export function rateAgentSession(id: string, rating: Rating, weights: FeedbackWeights, env: Env = process.env): FeedbackEntry {
  return rateLastAnswer(existingSessionFile(dirOf(env), id), rating, { file: feedbackFile(resolvePaths(env).dataDir), weights });
}
