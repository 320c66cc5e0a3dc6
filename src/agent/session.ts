import { existsSync, rmSync } from "node:fs";
import type { Message, Provenance, ToolResultPart } from "../protocol/index.js";
import type { PermissionMode } from "../permissions/types.js";
import type { SerializedError } from "../shared/errors.js";
import type { StopReason, ToolCallRecord, TurnRecord } from "./events.js";
import { SessionLock } from "./session-lock.js";
import { ensureSessionsDir, existingSessionFile, newSessionId, sessionFile } from "./session-store.js";
import { fitTranscriptIds } from "./tool-call-ids.js";
import { followConversation, readTranscriptLines, TranscriptWriter, type SessionHeader, type TranscriptRecord } from "./transcript.js";

/**
 * Options of {@link Session.create}: what its header records (the system prompt is built once per
 * session and never changed, so the engine can reuse the prompt prefix), where it lives, its id.
 */
export type NewSessionOptions = Pick<SessionHeader, "cwd" | "projectRoot" | "model" | "mode" | "system" | "tools"> & {
  /** The sessions folder (`sessionsDir(stateDir)`). */
  dir: string;
  /** Default: a new random id. */
  id?: string;
};

const now = (): string => new Date().toISOString();

/**
 * One conversation and its transcript. Every change is appended to the transcript as it happens,
 * and made in memory only once it is on record: a write that fails throws (its message says why)
 * and leaves the session as the file has it, so a reopened session is the one the user saw. `sync()`
 * at turn boundaries makes it durable.
 */
export class Session implements Disposable {
  readonly messages: Message[] = [];
  mode: PermissionMode;
  /**
   * Who answered the session's last turn, as far as it is known: a resumed session has it from the
   * transcript, so compaction judges the conversation against that model's window from the start.
   */
  lastProvenance: Provenance | undefined;
  /** Whether a model has answered in this session (a turn is recorded), in this run or before. */
  answered = false;
  /** How this session's last run here ended; undefined while none has. */
  lastEnd: StopReason | undefined;
  /**
   * The prompts of the transcript when the session was opened: all of them (`wren sessions show`
   * prints them, compacted or not), and those whose run failed before an answer, which the model
   * no longer sees (`followConversation`). None for a new session.
   */
  readonly earlierPrompts = { total: 0, failed: 0 };
  /**
   * Records of the transcript skipped when the session was opened: writes a full disk or the
   * file-size limit cut short, ended with ` [torn]` (see `readTranscriptLines`). The conversation
   * goes on without them; what continues the session says so. None for a new session.
   */
  damagedRecords = 0;

  private constructor(
    readonly header: SessionHeader,
    private readonly writer: TranscriptWriter,
    private readonly lock: SessionLock,
    /** True when {@link Session.create} made it in this process, false when reopened. */
    readonly created: boolean,
  ) {
    this.mode = header.mode;
  }

  /** Runs `open` while holding the session's lock, which the session keeps; released if it throws. */
  private static locked(file: string, id: string, open: (lock: SessionLock) => Session): Session {
    const lock = SessionLock.acquire(file, id);
    try {
      return open(lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get id(): string {
    return this.header.id;
  }

  get file(): string {
    return this.writer.file;
  }

  static create(options: NewSessionOptions): Session {
    ensureSessionsDir(options.dir);
    const id = options.id ?? newSessionId();
    const header: SessionHeader = {
      type: "session",
      version: 1,
      id,
      createdAt: now(),
      cwd: options.cwd,
      projectRoot: options.projectRoot,
      model: options.model,
      mode: options.mode,
      system: options.system,
      tools: options.tools,
    };
    const file = sessionFile(options.dir, id);
    // Held from the start: `--continue` in another process must not pick this session while it runs.
    return Session.locked(file, id, (lock) => {
      const fresh = !existsSync(file);
      const writer = new TranscriptWriter(file);
      try {
        // Written, not yet synced: the first turn boundary makes it durable with the turn, so a new
        // session's first request does not wait on the disk (a crash before then loses only that turn).
        writer.append(header);
      } catch (error) {
        // A header the disk refused leaves a file with no header (empty, or torn where it could not
        // be cut back): a session that never started, which would be listed as damaged. It holds nothing.
        // Where it cannot be removed either, readers say so (see `readTranscript`).
        writer.abandon();
        if (fresh) {
          try {
            rmSync(file, { force: true });
          } catch {
            // Kept: the disk error below is the one to tell.
          }
        }
        throw error;
      }
      return new Session(header, writer, lock, true);
    });
  }

  /**
   * Reopens session `id` to continue it: its messages and mode as the transcript left them. Throws
   * when another run holds the session (see {@link SessionLock}).
   */
  static open(dir: string, id: string): Session {
    const file = existingSessionFile(dir, id);
    // Taken before reading: the writer cuts a torn last line, which must not be another run's record in flight.
    return Session.locked(file, id, (lock) => {
      const lines = readTranscriptLines(file);
      const records = lines.filter((r): r is TranscriptRecord => r.type !== "skipped");
      const session = new Session(records[0] as SessionHeader, new TranscriptWriter(file), lock, false);
      session.damagedRecords = lines.length - records.length;
      session.replay(records.slice(1));
      fitTranscriptIds(session.messages);
      session.closeDanglingCalls();
      return session;
    });
  }

  private replay(records: TranscriptRecord[]): void {
    for (const r of records) {
      const before = this.messages.length;
      followConversation(this.messages, r);
      if (r.type === "message" && r.message.role === "user") this.earlierPrompts.total++;
      else if (r.type === "end" && this.messages.length < before) this.earlierPrompts.failed++;
      if (r.type === "mode") this.mode = r.mode;
      else if (r.type === "turn") {
        this.answered = true;
        if (r.provenance) this.lastProvenance = r.provenance;
      }
    }
  }

  /**
   * A process killed between a tool call and its result, or a run whose results its transcript
   * refused (a full disk), leaves a call with no answer, which providers reject. Each such call gets
   * a result saying its fate is unknown: a turn's results are recorded together after its last
   * call, so any of them may have run (a Write done, a command half-way), and a model told
   * otherwise would repeat it. Done when the session is reopened, and before each prompt.
   */
  closeDanglingCalls(): void {
    const last = this.messages.at(-1);
    if (last?.role !== "assistant") return;
    const results: ToolResultPart[] = last.content
      .filter((p) => p.type === "tool-call")
      .map((call) => ({
        type: "tool-result",
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output:
          "The run ended while this call was in progress, before its result was recorded: it may have run in full, in part or not at all. Check what it would have changed before calling it again.",
        isError: true,
      }));
    if (results.length > 0) this.push({ role: "tool", content: results });
  }

  /**
   * Adds a message to the conversation once it is on record: a write that fails throws and leaves
   * the conversation as the file has it, so the two never part.
   */
  push(message: Message): void {
    this.writer.append({ type: "message", at: now(), message });
    this.messages.push(message);
  }

  recordToolCall(call: ToolCallRecord): void {
    this.writer.append({ type: "tool-call", at: now(), ...call });
  }

  recordTurn(turn: TurnRecord): void {
    this.writer.append({ type: "turn", at: now(), ...turn });
    this.answered = true;
    if (turn.provenance) this.lastProvenance = turn.provenance;
  }

  /** Replaces the whole conversation (after compaction) and records the replacement. */
  replaceMessages(summary: string, messages: Message[]): void {
    this.writer.append({ type: "compaction", at: now(), summary, messages });
    this.messages.splice(0, this.messages.length, ...messages);
    this.writer.sync();
  }

  setMode(mode: PermissionMode): void {
    this.writer.append({ type: "mode", at: now(), mode });
    this.mode = mode;
  }

  /** Records the end of a run, with what failed when it ended in an error (`wren sessions show` says it). */
  end(reason: StopReason, error?: SerializedError): void {
    const record: TranscriptRecord = { type: "end", at: now(), reason, ...(reason === "error" && error ? { error } : {}) };
    this.writer.append(record);
    this.lastEnd = reason;
    // As a reopened session reads it: a prompt the run failed before answering is not sent again.
    followConversation(this.messages, record);
    this.writer.sync();
  }

  sync(): void {
    this.writer.sync();
  }

  [Symbol.dispose](): void {
    try {
      this.writer.close();
    } finally {
      this.lock.release();
    }
  }
}
