import { randomBytes } from "node:crypto";

/** A random id with a dialect's prefix (`chatcmpl-`, `msg_`, ...). */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString("hex")}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
