import { closeSync, fsyncSync, readFileSync, writeSync } from "node:fs";
import { z } from "zod";
import type { Message } from "../protocol/index.js";
import type { PermissionMode } from "../permissions/types.js";
import { WrenError } from "../shared/errors.js";
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
  | { type: "end"; at: string; reason: StopReason };

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

/**
 * An append-only JSONL transcript. Each record is written whole with one `write` on a file opened
 * for appending (a process killed with SIGKILL cannot tear it), and `sync()` at turn boundaries
 * makes the file durable, so a crash loses at most the turn in flight.
 */
export class TranscriptWriter implements Disposable {
  private fd: number | undefined;
  private needsNewline: boolean;

  constructor(readonly file: string) {
    ({ fd: this.fd, needsNewline: this.needsNewline } = openJsonLines(file, { truncateTorn: true }));
  }

  append(entry: TranscriptRecord): void {
    if (this.fd === undefined) throw new WrenError("internal", `The transcript ${this.file} is closed.`);
    writeSync(this.fd, `${this.needsNewline ? "\n" : ""}${JSON.stringify(entry)}\n`);
    this.needsNewline = false;
  }

  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
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
}

/**
 * Reads a transcript: its complete lines (a torn last write is left out, see `openJsonLines`). A
 * line that is not a valid record is an error naming the line.
 */
export function readTranscript(file: string): TranscriptRecord[] {
  const lines = completeLines(readFileSync(file, "utf8"));
  const out: TranscriptRecord[] = [];
  for (const [index, line] of lines.entries()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw badLine(file, index);
    }
    const checked = record.safeParse(parsed);
    if (!checked.success) throw badLine(file, index, checked.error.issues[0]?.message);
    out.push(checked.data as TranscriptRecord);
  }
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

function badLine(file: string, index: number, why?: string): WrenError {
  return new WrenError("bad_request", `Line ${index + 1} of the session transcript ${file} is not a valid record${why ? ` (${why})` : ""}.`, {
    hint: "The file was edited or damaged; start a new session, or remove this one with `wren sessions rm ID`.",
  });
}
