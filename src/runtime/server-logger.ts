import { copyFileSync, fstatSync, ftruncateSync, statSync } from "node:fs";
import { pino, type DestinationStream, type Logger } from "pino";
import { prettyFactory } from "pino-pretty";
import type { LogFormat, LogLevel } from "../config/index.js";

/** Options of {@link createServerLogger}. */
export interface ServerLoggerOptions {
  level: LogLevel;
  /**
   * `pretty`: one readable line per record (time, level, message, fields); `json`: one JSON record
   * per line, for log collectors; `auto` (the default): pretty on a terminal, JSON otherwise.
   */
  format?: LogFormat;
  /** Where records go. Default: stderr (fd 2). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colour the pretty lines. Default: when the stream is a terminal and `NO_COLOR` is not set. */
  color?: boolean;
  /**
   * The file standard error is appended to (the daemon's `daemon.log`), kept to a size: once it is
   * past `maxBytes` (default {@link DEFAULT_LOG_FILE_BYTES}) it is copied to `<path>.1` (replacing
   * the previous one) and emptied in place, so what else writes to the descriptor (llama.cpp, Node's
   * warnings) keeps going to the file. Only while the descriptor `fd` (default 2) is that file,
   * opened for appending.
   */
  file?: { path: string; maxBytes?: number; fd?: number };
}

/** The size past which the log file of {@link ServerLoggerOptions.file} is moved to `<file>.1`. */
export const DEFAULT_LOG_FILE_BYTES = 16 * 1024 * 1024;

/** The server's logger: JSON for machines, readable lines for people at a terminal. */
export function createServerLogger(options: ServerLoggerOptions): Logger {
  const format = options.format ?? "auto";
  const fd = options.file?.fd ?? 2;
  const isTTY = options.stream ? options.stream.isTTY === true : fd === 2 ? process.stderr.isTTY : false;
  const pretty = format === "pretty" || (format === "auto" && isTTY);
  const bounded = (destination: DestinationStream): DestinationStream => (options.file ? keptToSize(destination, { ...options.file, fd }) : destination);
  // To a file, records are written before the call returns, as Node writes process.stderr to one: a
  // daemon that dies leaves its last lines, and the size looked at is the size written.
  const fileStream = (): DestinationStream => pino.destination({ dest: fd, sync: true });
  if (!pretty) return pino({ level: options.level }, bounded(options.stream ?? (options.file ? fileStream() : pino.destination(fd))));
  const stream = options.stream ?? (options.file ? fileStream() : process.stderr);
  const prettify = logPrettifier({ color: options.color ?? (isTTY && process.env["NO_COLOR"] === undefined) });
  // prettyFactory formats synchronously, so a record is on the terminal before the call returns
  // (a transport would run in a worker thread and could lose the last lines at exit).
  const destination: DestinationStream = { write: (line: string) => void stream.write(prettify(line)) };
  return pino({ level: options.level }, bounded(destination));
}

/** How many characters of records pass between two looks at the log file's size. */
const CHECK_EVERY = 1024 * 1024;

/**
 * `destination`, with the file of {@link ServerLoggerOptions.file} copied aside and emptied once it
 * is past `maxBytes`. The file's size is looked at only every {@link CHECK_EVERY} characters the
 * logger writes (one `fstat` per MiB of records), never at start: a daemon that fails to start
 * leaves its lines where the command that started it reads them.
 */
function keptToSize(destination: DestinationStream, file: { path: string; maxBytes?: number; fd: number }): DestinationStream {
  const maxBytes = file.maxBytes ?? DEFAULT_LOG_FILE_BYTES;
  const every = Math.min(CHECK_EVERY, Math.max(1, Math.floor(maxBytes / 4)));
  let written = 0;
  const check = (): void => {
    written = 0;
    try {
      const held = fstatSync(file.fd);
      if (!held.isFile() || held.size <= maxBytes) return;
      // Only the file at the path: standard error may have been sent elsewhere.
      const atPath = statSync(file.path, { throwIfNoEntry: false });
      if (atPath === undefined || atPath.ino !== held.ino || atPath.dev !== held.dev) return;
      copyFileSync(file.path, `${file.path}.1`);
      // Opened for appending (as the daemon's is), the next write lands at the new end: the start.
      ftruncateSync(file.fd, 0);
    } catch {
      // The log is kept to a size as a courtesy; logging goes on whatever happens here.
    }
  };
  const inner = destination as DestinationStream & { flush?: (cb?: (error?: Error) => void) => void };
  return {
    write: (line: string) => {
      inner.write(line);
      written += line.length;
      if (written >= every) check();
    },
    // pino's logger.flush() reaches the file's buffered writes through it.
    ...(inner.flush ? { flush: (cb?: (error?: Error) => void) => inner.flush?.(cb) } : {}),
  };
}

/**
 * Turns one JSON log record into the readable line {@link createServerLogger} prints on a terminal:
 * time, level, message, then its fields. `withDate` puts the day in the time too, for records read
 * back later (`wren daemon logs`).
 */
export function logPrettifier(options: { color: boolean; withDate?: boolean }): (record: string) => string {
  return prettyFactory({
    colorize: options.color,
    translateTime: options.withDate ? "SYS:yyyy-mm-dd HH:MM:ss.l" : "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
    singleLine: true,
  });
}
