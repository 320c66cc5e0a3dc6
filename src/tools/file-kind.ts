import type { Stats } from "node:fs";

/**
 * What a path is when it is neither a regular file nor a folder, in words ("a FIFO (named pipe)"),
 * or undefined. The file tools refuse these before opening them: opening a FIFO waits for a writer
 * on a thread that no cancel reaches, and a device such as /dev/zero never ends.
 */
export function specialFileKind(stat: Stats): string | undefined {
  if (stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a regular file";
}

/** `<file> is a FIFO (named pipe), not a regular file`, for the tools' error results. */
export function notRegularFile(file: string, kind: string): string {
  return kind === "not a regular file" ? `${file} is not a regular file` : `${file} is ${kind}, not a regular file`;
}
