import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

let held;
export function initialize(data) {
  held = data;
}
export async function resolve(specifier, context, next) {
  if (held?.specifier && held.release && specifier === held.specifier) {
    // Polled: the test creates the file when it wants the import to go on.
    while (!existsSync(held.release)) await sleep(10);
  }
  return next(specifier, context);
}
