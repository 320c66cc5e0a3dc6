import { wrenVersion } from "../shared/version.js";

/** Prints the version as `wren --version` does (commander prints the same line on the slow path). */
export function printVersion(): void {
  process.stdout.write(`${wrenVersion()}\n`);
}
