import { readFileSync } from "node:fs";
import { z } from "zod";
import { writeFileAtomicSync } from "../../shared/atomic-write.js";

/** Prompts kept per user: enough for weeks of work, small enough to read at start-up. */
export const HISTORY_LIMIT = 1000;

const entry = z.string();

/**
 * The prompts a user typed, oldest first, kept in `prompt-history.jsonl` in wren's data directory
 * (one JSON string a line, so multi-line prompts stay whole). Shared by every session of the user.
 */
export class PromptHistory {
  #entries: string[];

  constructor(readonly file: string) {
    this.#entries = readEntries(file);
  }

  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Adds a prompt (not a repeat of the last one) and saves the newest {@link HISTORY_LIMIT}. */
  add(prompt: string): void {
    if (!prompt.trim() || this.#entries.at(-1) === prompt) return;
    this.#entries = [...this.#entries, prompt].slice(-HISTORY_LIMIT);
    try {
      // Replaced in one step, keeping the file's permissions: two sessions saving at once never leave half a file.
      writeFileAtomicSync(this.file, this.#entries.map((e) => JSON.stringify(e)).join("\n") + "\n");
    } catch {
      // History is a convenience: a read-only data directory must not stop the session.
    }
  }
}

function readEntries(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const parsed = entry.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // A torn or foreign line is skipped, not fatal.
    }
  }
  return out.slice(-HISTORY_LIMIT);
}
