import { readFileSync } from "node:fs";

let cached: string | undefined;

/**
 * This wren's version, from the package's own package.json (`wren --version` prints it; a daemon
 * records it, and a client compares it with the running daemon's). Read once.
 */
export function wrenVersion(): string {
  if (cached === undefined) {
    try {
      cached = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
    } catch {
      cached = "0.0.0";
    }
  }
  return cached;
}
