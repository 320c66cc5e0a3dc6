import { randomUUID } from "node:crypto";

/**
 * A random id with a dialect's prefix (`chatcmpl-`, `msg_`, ...): 24 hex digits. randomUUID draws
 * from a cached block of entropy, where randomBytes asks the system for every id (a tenth of a
 * millisecond per request through `wren serve`).
 */
export function newId(prefix: string): string {
  const hex = randomUUID().replaceAll("-", "");
  // Skip the UUID's version digit (always 4) so all 24 digits are random.
  return `${prefix}${hex.slice(0, 12)}${hex.slice(13, 25)}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
