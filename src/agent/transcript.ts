import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Message } from "../protocol/index.js";
import type { PermissionMode } from "../permissions/types.js";
import { WrenError, type SerializedError } from "../shared/errors.js";
import type { StopReason, ToolCallRecord, TurnRecord } from "./events.js";
import { completeLines, openJsonLines } from "./jsonl.js";

/** The first line of every transcript: what the session was started with, never changed after. */
export interface SessionHeader {
  type: "session";
  version: 1;
  id: string;
  createdAt: string;
  /** Where the session was started (`--continue` finds the last session of a directory by it). */
  cwd: string;
  projectRoot: string;
  /** What the user asked for: `auto`, a route or `provider:model`. */
  model: string;
  mode: PermissionMode;
  /** The system prompt, kept so a resumed session sends the same prefix. */
  system: string;
  tools: string[];
}

/** One line of a transcript. Replaying the lines in order rebuilds the session. */
export type TranscriptRecord =
  | SessionHeader
  | { type: "message"; at: string; message: Message }
  | ({ type: "tool-call"; at: string } & ToolCallRecord)
  | ({ type: "turn"; at: string } & TurnRecord)
  /** Older messages were replaced: `messages` is the whole conversation from here on. */
  | { type: "compaction"; at: string; summary: string; messages: Message[] }
  | { type: "mode"; at: string; mode: PermissionMode }
  /** The end of a run; `error`: what failed, when `reason` is `error`. */
  | { type: "end"; at: string; reason: StopReason; error?: SerializedError };

/**
 * Carries the conversation the model is sent through one record of the transcript: a message joins
 * it, a compaction replaces it, and the end of a run that failed before the model answered its
 * prompt leaves that prompt out. The prompt stays in the transcript (`wren sessions show` prints it
 * with the error); sent with the next one, it would reach the model twice when the user types it
 * again, and as two user messages in a row, which some chat templates refuse.
 */
export function followConversation(messages: Message[], record: TranscriptRecord): void {
  if (record.type === "message") messages.push(record.message);
  else if (record.type === "compaction") messages.splice(0, messages.length, ...record.messages);
  else if (record.type === "end" && record.reason === "error" && messages.at(-1)?.role === "user") messages.pop();
}

const header = z.object({
  type: z.literal("session"),
  version: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  cwd: z.string(),
  projectRoot: z.string(),
  model: z.string(),
  mode: z.enum(["default", "accept-edits", "plan", "bypass"]),
  system: z.string(),
  tools: z.array(z.string()),
});

// Messages are checked for shape only where the loop relies on it: role and a content array or string.
const message = z.looseObject({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) });
const record = z.discriminatedUnion("type", [
  header,
  z.looseObject({ type: z.literal("message"), at: z.string(), message }),
  z.looseObject({ type: z.literal("tool-call"), at: z.string(), id: z.string(), name: z.string() }),
  z.looseObject({ type: z.literal("turn"), at: z.string(), turn: z.number() }),
  z.looseObject({ type: z.literal("compaction"), at: z.string(), summary: z.string(), messages: z.array(message) }),
  z.looseObject({ type: z.literal("mode"), at: z.string(), mode: header.shape.mode }),
  z.looseObject({ type: z.literal("end"), at: z.string(), reason: z.string() }),
]);

const DISK_TROUBLE: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOTDIR: "a file stands where a folder of its path should be",
  EEXIST: "a file stands where a folder of its path should be",
  EISDIR: "a folder stands where the file should be",
  ENOSPC: "there is no space left on the disk",
  EDQUOT: "the disk quota is used up",
  EFBIG: "the file has reached the largest size this process may write (its file-size limit, ulimit -f)",
};

/**
 * A failure of the disk under the sessions folder or one transcript (not writable, a file where a
 * folder should be, full) as a WrenError that says what and what to do, rather than Node's
 * "EACCES: permission denied, open"; any other error is returned as it is. `what`: "the sessions
 * folder DIR", "the session transcript FILE".
 */
export function sessionDiskError(error: unknown, action: "read" | "write", what: string, subject: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why = code === undefined || error instanceof WrenError ? undefined : DISK_TROUBLE[code];
  if (why === undefined) return error;
  const at = (error as NodeJS.ErrnoException).path;
  const full = code === "ENOSPC" || code === "EDQUOT";
  return new WrenError("internal", `Cannot ${action === "read" ? "read" : "write to"} ${what}: ${why}${at && at !== subject ? ` (${at})` : ""}.`, {
    cause: error,
    hint: full
      ? "Free some space on that disk; what the session had recorded before is kept."
      : code === "EFBIG"
        ? "Raise the limit, or start a new session; what the session had recorded before is kept."
        : "Let your user read and write wren's state folder, or keep it elsewhere: set WREN_HOME (or XDG_STATE_HOME) to a folder you own.",
  });
}

/** Runs `fn`, its disk failures said as {@link sessionDiskError} says them. */
export function onSessionDisk<T>(action: "read" | "write", what: string, subject: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw sessionDiskError(error, action, what, subject);
  }
}

/**
 * How a line that a failed write left torn, and that could not be cut off the file again, is
 * ended: the next record's write starts with it. Every record's line ends in `}`, so no record
 * ends so; readers skip such a line (its record was never taken as written) and read on.
 */
const TORN_MARK = " [torn]";

/**
 * An append-only JSONL transcript. Each record is written whole with one `write` on a file opened
 * for appending (a process killed with SIGKILL cannot tear it), and `sync()` at turn boundaries
 * makes the file durable, so a crash loses at most the turn in flight.
 */
export class TranscriptWriter implements Disposable {
  private fd: number | undefined;
  /** Written before the next record: the end of a torn line (see {@link TORN_MARK}), or nothing. */
  private pending: string;

  constructor(readonly file: string) {
    const opened = onSessionDisk("write", `the session transcript ${file}`, file, () => openJsonLines(file, { truncateTorn: true }));
    this.fd = opened.fd;
    this.pending = opened.needsNewline ? `${TORN_MARK}\n` : "";
  }

  /**
   * Writes one record whole, or not at all: a write the disk cuts short or refuses (full, the
   * file-size limit) is cut off the file again and thrown, so the file holds what it held before.
   * Where cutting it off fails too, the torn line is ended with {@link TORN_MARK} before the next
   * record, so readers skip it (even one that got all but its newline) and read the records after it.
   */
  append(entry: TranscriptRecord): void {
    const fd = this.fd;
    if (fd === undefined) throw new WrenError("internal", `The transcript ${this.file} is closed.`);
    onSessionDisk("write", `the session transcript ${this.file}`, this.file, () => {
      const bytes = Buffer.from(`${this.pending}${JSON.stringify(entry)}\n`);
      const size = fstatSync(fd).size;
      let done = 0;
      try {
        // A short write is retried with the rest; where the disk has no more room, that one throws.
        while (done < bytes.length) done += writeSync(fd, bytes, done);
      } catch (error) {
        if (!cutBack(this.file, fd, size) && (done > 0 || grewFrom(fd, size))) this.pending = `${TORN_MARK}\n`;
        throw error;
      }
    });
    this.pending = "";
  }

  sync(): void {
    const fd = this.fd;
    if (fd !== undefined) onSessionDisk("write", `the session transcript ${this.file}`, this.file, () => fsyncSync(fd));
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the file without syncing it, after a failure that leaves nothing worth keeping. */
  abandon(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Whether the file is no longer `size` bytes long (or cannot be told), after a write that failed. */
function grewFrom(fd: number, size: number): boolean {
  try {
    return fstatSync(fd).size !== size;
  } catch {
    return true;
  }
}

/**
 * Cuts the part of a record a failed write left back off the file, through the open handle or,
 * where that is refused (Windows, an append-only handle), one opened for writing. Says whether
 * the file is as it was.
 */
function cutBack(file: string, fd: number, size: number): boolean {
  try {
    ftruncateSync(fd, size);
    return true;
  } catch {
    try {
      const writable = openSync(file, "r+");
      try {
        ftruncateSync(writable, size);
        return true;
      } finally {
        closeSync(writable);
      }
    } catch {
      return false;
    }
  }
}

/**
 * A line of a transcript that readers skip, where it stood: a record a failed write tore and that
 * could not be cut off the file again (ended with {@link TORN_MARK}). Its record never counted as
 * written; `wren sessions show` says where it was. `line`: 1-based, in the file.
 */
export interface SkippedLine {
  type: "skipped";
  line: number;
  reason: "torn";
}

/**
 * Reads a transcript: its complete lines (a torn last write is left out, see `openJsonLines`; a
 * torn line the writer ended with {@link TORN_MARK} is skipped). Any other line that is not a valid
 * record is an error naming the line.
 */
export function readTranscript(file: string): TranscriptRecord[] {
  return readTranscriptLines(file).filter((r): r is TranscriptRecord => r.type !== "skipped");
}

/** {@link readTranscript}, with each line it skips in its place, for what shows a transcript whole. */
export function readTranscriptLines(file: string): (TranscriptRecord | SkippedLine)[] {
  const lines = completeLines(onSessionDisk("read", `the session transcript ${file}`, file, () => readFileSync(file, "utf8")));
  const out: (TranscriptRecord | SkippedLine)[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.endsWith(TORN_MARK)) {
      out.push({ type: "skipped", line: index + 1, reason: "torn" });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw badLine(file, index);
    }
    const checked = record.safeParse(parsed);
    if (!checked.success) throw newerRecord(file, index, parsed) ?? badLine(file, index, checked.error.issues[0]?.message);
    out.push(checked.data as TranscriptRecord);
  }
  if (out[0]?.type !== "session" && (out[0] === undefined || out[0].type === "skipped")) throw tornHeader(file, out.length - 1);
  if (out[0]?.type !== "session") {
    throw new WrenError("bad_request", `${file} is not a wren session transcript (its first line is not a session header).`, {
      hint: "Pick another session from `wren sessions list`.",
    });
  }
  return out;
}

/**
 * The header of a transcript whose later lines may be damaged: what `sessions list` and
 * `--continue` can still tell about such a session. Undefined when the first line is no header.
 */
export function readHeader(file: string): SessionHeader | undefined {
  try {
    const first = completeLines(readFileSync(file, "utf8"))[0];
    const checked = first === undefined ? undefined : header.safeParse(JSON.parse(first));
    return checked?.success ? checked.data : undefined;
  } catch {
    return undefined;
  }
}

/** Record types this version writes and reads. */
const KNOWN_TYPES = new Set(["session", "message", "tool-call", "turn", "compaction", "mode", "end"]);

/**
 * A well-formed record this version does not know (a new record type, a later header version):
 * written by a newer wren, so the session is not damaged, and replaying it without that record
 * could send the model a different conversation. Undefined for anything else.
 */
function newerRecord(file: string, index: number, parsed: unknown): WrenError | undefined {
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { type, version } = parsed as { type?: unknown; version?: unknown };
  let what: string | undefined;
  if (typeof type === "string" && type !== "" && !KNOWN_TYPES.has(type)) what = `a '${type}' record`;
  else if (type === "session" && typeof version === "number" && version > 1) what = `a version ${version} session header`;
  if (!what) return undefined;
  return new WrenError("bad_request", `Line ${index + 1} of the session transcript ${file} is ${what}, which this version of wren does not know: a newer wren wrote it.`, {
    hint: "Update wren to continue this session, or start a new one.",
    details: { newerVersion: true },
  });
}

/** Whether a transcript could not be read because a newer wren wrote it (see `readTranscript`). */
export function writtenByNewerWren(error: unknown): boolean {
  return error instanceof WrenError && (error.details as { newerVersion?: unknown } | undefined)?.newerVersion === true;
}

/**
 * A transcript whose first line is no header because the write of its header failed (torn, or
 * refused and cut back to nothing): the session never started. `after`: the records after it.
 */
function tornHeader(file: string, after: number): WrenError {
  const id = path.basename(file, ".jsonl");
  const cause = "its first record was cut short or refused as it was written (a full disk, the file-size limit)";
  if (after <= 0) {
    return new WrenError("bad_request", `The session transcript ${file} has no session header: ${cause}, so the session never started and holds nothing.`, {
      hint: `Remove it with \`wren sessions rm ${id}\`; nothing in it is lost.`,
    });
  }
  return new WrenError("bad_request", `The session transcript ${file} has no session header: ${cause}, so the session cannot be continued; what follows it (${after} record${after === 1 ? "" : "s"}) is kept in the file.`, {
    hint: "Start a new session; the records can be read in the file itself.",
  });
}

function badLine(file: string, index: number, why?: string): WrenError {
  return new WrenError("bad_request", `Line ${index + 1} of the session transcript ${file} is not a valid record${why ? ` (${why})` : ""}.`, {
    hint: "The file was edited or damaged; start a new session, or remove this one with `wren sessions rm ID`.",
  });
}
