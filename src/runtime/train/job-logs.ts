import { open } from "node:fs/promises";
import type { Env } from "../../shared/paths.js";
import { findJob, type JobFiles } from "./job-store.js";
import { jobStatus } from "./job-status.js";
import { trainerLine, type TrainerLine } from "./trainer.js";

/** One thing `wren train logs` shows: a line of the trainer's progress, or text from the job's log. */
export type JobLogEvent = { kind: "progress"; line: TrainerLine; at: string } | { kind: "log"; text: string } | { kind: "end"; state: string };

/** Reads what a file gained since `from`; returns the new text and the offset to read from next. */
async function readFrom(file: string, from: number): Promise<{ text: string; next: number }> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return { text: "", next: from };
  }
  try {
    const { size } = await handle.stat();
    if (size <= from) return { text: "", next: from };
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    // Only whole lines: a line still being written is read next time.
    const end = buffer.lastIndexOf(10) + 1;
    return { text: buffer.subarray(0, end).toString("utf8"), next: from + end };
  } finally {
    await handle.close();
  }
}

function progressEvents(text: string): JobLogEvent[] {
  return text.split("\n").flatMap((line): JobLogEvent[] => {
    if (!line.trim()) return [];
    try {
      const value = JSON.parse(line) as { at?: unknown };
      const parsed = trainerLine.safeParse(value);
      return parsed.success ? [{ kind: "progress", line: parsed.data, at: typeof value.at === "string" ? value.at : "" }] : [];
    } catch {
      return [];
    }
  });
}

const ACTIVE = new Set(["starting", "preparing", "running", "converting"]);

/**
 * `wren train logs [-f]`: the job's progress lines and its log, and with `follow` whatever comes
 * next until the job stops (then one `end` event with its state).
 */
export async function* jobLogs(options: { id?: string; follow?: boolean; env?: Env; signal?: AbortSignal; pollMs?: number } = {}): AsyncGenerator<JobLogEvent> {
  const files: JobFiles = await findJob(options.id, options.env);
  let progressAt = 0;
  let logAt = 0;
  for (;;) {
    // The state is read before the files, so nothing written before the job stopped is missed.
    const { state } = await jobStatus(files);
    const log = await readFrom(files.log, logAt);
    logAt = log.next;
    if (log.text) yield { kind: "log", text: log.text };
    const progress = await readFrom(files.progress, progressAt);
    progressAt = progress.next;
    yield* progressEvents(progress.text);
    if (!options.follow || !ACTIVE.has(state) || options.signal?.aborted) {
      if (options.follow) yield { kind: "end", state };
      return;
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}
