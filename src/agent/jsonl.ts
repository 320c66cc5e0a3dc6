import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * Opens a JSON-lines file for appending. A line cut short (a write stopped by SIGKILL, a full
 * disk) has no newline at its end. With `truncateTorn` (a file with one writer) the fragment is cut
 * off; otherwise the first append starts on a fresh line, so the fragment never merges with a good
 * record. Readers only trust lines that end in a newline.
 */
export function openJsonLines(file: string, options: { truncateTorn?: boolean } = {}): { fd: number; needsNewline: boolean } {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, "a+", 0o600);
  const size = fstatSync(fd).size;
  let needsNewline = false;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    needsNewline = last[0] !== 0x0a;
  }
  if (needsNewline && options.truncateTorn) {
    // Through a handle opened for writing: Windows refuses to truncate through an append-only one.
    const writable = openSync(file, "r+");
    try {
      ftruncateSync(writable, lastNewlineEnd(fd, size));
    } finally {
      closeSync(writable);
    }
    needsNewline = false;
  }
  return { fd, needsNewline };
}

/** The offset just past the last newline before `size` (0 when there is none). */
function lastNewlineEnd(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const at = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

/** Appends one record in one write and makes it durable: either the whole line is there or none of it. */
export function appendJsonLine(file: string, value: unknown): void {
  const { fd, needsNewline } = openJsonLines(file);
  try {
    writeSync(fd, `${needsNewline ? "\n" : ""}${JSON.stringify(value)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The complete lines of a JSON-lines text (a last line without its newline is a torn write: left out). */
export function completeLines(text: string): string[] {
  const end = text.lastIndexOf("\n");
  if (end < 0) return [];
  return text
    .slice(0, end)
    .split("\n")
    .filter((line) => line.trim() !== "");
}
