import { formatBytes, formatDuration } from "./bytes.js";
import type { DownloadProgress, ProgressListener } from "./download.js";

export interface ProgressRendererOptions {
  /** Draw a bar redrawn in place (default: whether the stream is a TTY). */
  tty?: boolean;
  /** Columns of the terminal (default: the stream's, else 80). */
  columns?: number;
  /** Minimum ms between redraws on a TTY. Default 100. */
  intervalMs?: number;
  now?: () => number;
}

interface FileState {
  startedAt: number;
  lastDraw: number;
  lastStep: number;
}

/** Speed (bytes/s) and ETA (s) for this run, from when this file started. */
export function rate(progress: DownloadProgress, startedAt: number, now: number): { speed: number; eta: number } {
  const seconds = Math.max((now - startedAt) / 1000, 0.001);
  const speed = (progress.received - progress.resumedFrom) / seconds;
  const left = progress.total === null ? NaN : progress.total - progress.received;
  return { speed, eta: speed > 0 ? left / speed : NaN };
}

function describe(progress: DownloadProgress, speed: number, eta: number): string {
  const size = progress.total === null ? formatBytes(progress.received) : `${formatBytes(progress.received)}/${formatBytes(progress.total)}`;
  if (progress.verifying) return `${size} read ${formatBytes(speed)}/s ${progress.done ? "done" : `ETA ${formatDuration(eta)}`}`;
  const tail = progress.done ? "done" : `ETA ${formatDuration(eta)}`;
  return `${size} ${formatBytes(speed)}/s ${tail}`;
}

/**
 * Turns download progress into output: on a terminal, one bar redrawn in place (bytes, speed, ETA);
 * elsewhere (pipes, logs, CI), a plain line at every 10% so logs stay readable.
 */
export function createProgressRenderer(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, options: ProgressRendererOptions = {}): ProgressListener {
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const files = new Map<string, FileState>();
  return (progress) => {
    const time = now();
    // Checking bytes already on disk and downloading are timed (and stepped) apart.
    const key = progress.verifying ? `${progress.file}\0verifying` : progress.file;
    let state = files.get(key);
    if (!state) {
      state = { startedAt: time, lastDraw: -Infinity, lastStep: -1 };
      files.set(key, state);
      if (!tty && progress.resumedFrom > 0) stream.write(`${progress.file}: resuming at ${formatBytes(progress.resumedFrom)}\n`);
    }
    const what = progress.verifying ? "checking SHA-256 " : "";
    const { speed, eta } = rate(progress, state.startedAt, time);
    const fraction = progress.total ? Math.min(progress.received / progress.total, 1) : 0;
    const percent = Math.floor(fraction * 100);
    if (tty) {
      if (!progress.done && time - state.lastDraw < interval) return;
      state.lastDraw = time;
      const columns = options.columns ?? stream.columns ?? 80;
      const info = ` ${what}${String(percent).padStart(3)}% ${describe(progress, speed, eta)}`;
      const name = progress.file.length > 24 ? `…${progress.file.slice(-23)}` : progress.file;
      const width = Math.max(10, Math.min(40, columns - name.length - info.length - 4));
      const filled = Math.round(fraction * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      stream.write(`\r\x1b[K${name} ${bar}${info}${progress.done ? "\n" : ""}`);
      return;
    }
    const step = Math.floor(percent / 10);
    if (!progress.done && (step === state.lastStep || percent >= 100)) return;
    state.lastStep = step;
    stream.write(`${progress.file}: ${what}${percent}% ${describe(progress, speed, eta)}\n`);
  };
}
