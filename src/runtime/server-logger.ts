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
}

/** The server's logger: JSON for machines, readable lines for people at a terminal. */
export function createServerLogger(options: ServerLoggerOptions): Logger {
  const format = options.format ?? "auto";
  const isTTY = options.stream ? options.stream.isTTY === true : process.stderr.isTTY;
  const pretty = format === "pretty" || (format === "auto" && isTTY);
  if (!pretty) return pino({ level: options.level }, options.stream ?? pino.destination(2));
  const stream = options.stream ?? process.stderr;
  const prettify = logPrettifier({ color: options.color ?? (isTTY && process.env["NO_COLOR"] === undefined) });
  // prettyFactory formats synchronously, so a record is on the terminal before the call returns
  // (a transport would run in a worker thread and could lose the last lines at exit).
  const destination: DestinationStream = { write: (line: string) => void stream.write(prettify(line)) };
  return pino({ level: options.level }, destination);
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
