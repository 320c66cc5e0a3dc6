import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { messageText } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { SessionLock } from "./session-lock.js";
import { onSessionDisk, readHeader, readTranscript, writtenByNewerWren, type SessionHeader } from "./transcript.js";

/** Where transcripts live: `<state dir>/sessions/<id>.jsonl`. */
export function sessionsDir(stateDir: string): string {
  return path.join(stateDir, "sessions");
}

export function newSessionId(): string {
  return randomUUID();
}

const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** The transcript of session `id`; an id that could escape the folder is refused. */
export function sessionFile(dir: string, id: string): string {
  if (!ID.test(id)) {
    throw new WrenError("bad_request", `"${id}" is not a session id.`, { hint: "Session ids are listed by `wren sessions list`." });
  }
  return path.join(dir, `${id}.jsonl`);
}

/** The transcript of an existing session, or a not_found error that says where to look. */
export function existingSessionFile(dir: string, id: string): string {
  const file = sessionFile(dir, id);
  if (!existsSync(file)) {
    throw new WrenError("not_found", `There is no session "${id}".`, { hint: "See `wren sessions list` for the sessions there are." });
  }
  return file;
}

export interface SessionSummary {
  id: string;
  createdAt: string;
  /** When the transcript was last written. */
  updatedAt: string;
  cwd: string;
  model: string;
  /** The first user message, shortened: what the session was about. */
  title: string;
  messages: number;
  /** The person's prompts (user messages): the session's turns as they count them. */
  prompts: number;
  file: string;
  /**
   * Set when the transcript cannot be read whole: what is wrong with it (the session cannot be
   * continued; `id`, and `cwd` and `model` when its header is readable, still tell which it is).
   */
  damaged?: string;
  /** Set with `damaged` when the transcript is whole but a newer wren wrote it: updating wren opens it. */
  newer?: true;
}

/** Every session, most recently used first; one whose transcript cannot be read is listed as `damaged`. */
export function listSessions(dir: string): SessionSummary[] {
  if (!existsSync(dir)) return [];
  const out: SessionSummary[] = [];
  for (const name of onSessionDisk("read", `the sessions folder ${dir}`, dir, () => readdirSync(dir))) {
    if (!name.endsWith(".jsonl")) continue;
    const file = path.join(dir, name);
    let updatedAt: string;
    try {
      updatedAt = statSync(file).mtime.toISOString();
    } catch {
      continue; // Removed meanwhile.
    }
    try {
      const records = readTranscript(file);
      const head = records[0] as SessionHeader;
      const messages = records.filter((r) => r.type === "message");
      const firstUser = messages.find((r) => r.message.role === "user");
      const title = firstUser ? messageText(firstUser.message).replace(/\s+/g, " ").trim() : "";
      out.push({
        id: head.id,
        createdAt: head.createdAt,
        updatedAt,
        cwd: head.cwd,
        model: head.model,
        title: title.length > 60 ? `${title.slice(0, 59)}…` : title,
        messages: messages.length,
        prompts: messages.filter((r) => r.message.role === "user").length,
        file,
      });
    } catch (error) {
      // Shown, not hidden: a damaged newest session must not pass for none (or `--continue` for an older one).
      const head = readHeader(file);
      out.push({
        id: head?.id ?? name.slice(0, -".jsonl".length),
        createdAt: head?.createdAt ?? updatedAt,
        updatedAt,
        cwd: head?.cwd ?? "",
        model: head?.model ?? "",
        title: "",
        messages: 0,
        prompts: 0,
        file,
        damaged: error instanceof Error ? error.message : String(error),
        ...(writtenByNewerWren(error) ? { newer: true as const } : {}),
      });
    }
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.createdAt.localeCompare(a.createdAt));
}

/**
 * The most recently used session started in `cwd`, for `--continue`. When that session is damaged
 * it is refused, naming it and the ways on: an older session is never picked in its place. On
 * Windows a folder is the same in any case (`c:\proj` from one terminal, `C:\Proj` from another).
 */
export function lastSessionIn(dir: string, cwd: string, platform: NodeJS.Platform = process.platform): SessionSummary | undefined {
  const paths = platform === "win32" ? path.win32 : path.posix;
  const key = (p: string): string => (platform === "win32" ? paths.resolve(p).toLowerCase() : paths.resolve(p));
  const wanted = key(cwd);
  const last = listSessions(dir).find((s) => s.cwd !== "" && key(s.cwd) === wanted);
  if (last?.damaged !== undefined) {
    if (last.newer) {
      throw new WrenError("bad_request", `The last session in ${cwd}, ${last.id}, cannot be continued by this version of wren: ${last.damaged}`, {
        hint: "Update wren to continue it, continue an older session with --resume ID (see `wren sessions list`), or start a new session without --continue.",
      });
    }
    throw new WrenError("bad_request", `The last session in ${cwd}, ${last.id}, is damaged and cannot be continued: ${last.damaged}`, {
      hint: `Continue an older session with --resume ID (see \`wren sessions list\`), remove this one with \`wren sessions rm ${last.id}\`, or start a new session without --continue.`,
    });
  }
  return last;
}

export function removeSession(dir: string, id: string): void {
  const file = existingSessionFile(dir, id);
  using _lock = SessionLock.acquire(file, id);
  rmSync(file);
}

/**
 * Removes session `id` when it holds no conversation (no message: opened and left before any
 * prompt, as the terminal UI's is when quit at once); true when removed. A session a run holds (its
 * lock taken), a missing or damaged one, is left as it is.
 */
export function removeSessionIfEmpty(dir: string, id: string): boolean {
  const file = sessionFile(dir, id);
  if (!existsSync(file)) return false;
  let lock: SessionLock;
  try {
    lock = SessionLock.acquire(file, id);
  } catch {
    return false;
  }
  try {
    if (readTranscript(file).some((r) => r.type === "message" || r.type === "compaction")) return false;
    rmSync(file, { force: true });
    return true;
  } catch {
    return false;
  } finally {
    lock.release();
  }
}

export function ensureSessionsDir(dir: string): void {
  onSessionDisk("write", `the sessions folder ${dir}`, dir, () => mkdirSync(dir, { recursive: true, mode: 0o700 }));
}
