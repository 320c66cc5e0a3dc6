import { existsSync } from "node:fs";

/**
 * The held import resolves to a module of this scheme: it imports the real one, then waits at its
 * top level until the release file exists. Waiting in the module, not in a hook: from Node 24 on,
 * the main thread waits for the hooks while they run, so a hook that waits would stop the
 * program's event loop (its keys, its timers) too, and the test would hold what it meant to watch.
 */
const SCHEME = "wren-hold:";

let held;
export function initialize(data) {
  held = data;
}

export async function resolve(specifier, context, next) {
  if (held?.specifier && held.release && specifier === held.specifier && !existsSync(held.release)) {
    const target = await next(specifier, context);
    return { url: `${SCHEME}${encodeURIComponent(target.url)}`, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith(SCHEME)) return next(url, context);
  const target = JSON.stringify(decodeURIComponent(url.slice(SCHEME.length)));
  const source = [
    `import { existsSync } from "node:fs";`,
    `import { setTimeout as sleep } from "node:timers/promises";`,
    `import * as real from ${target};`,
    `export * from ${target};`,
    `export default real.default;`,
    // Polled: the test creates the file when it wants the import to go on.
    `while (!existsSync(${JSON.stringify(held.release)})) await sleep(10);`,
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
