import { readFileSync } from "node:fs";

/** wren's version, from the package's own package.json. */
export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Prints the version as `wren --version` does (commander prints the same line on the slow path). */
export function printVersion(): void {
  process.stdout.write(`${readVersion()}\n`);
}
