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

/**
 * `data`: `specifier`, the bare import to hold, or `url`, what it resolves to (an import spelled
 * otherwise, as vitest spells its own: a path); `release`, the file whose existence lets it go on;
 * `started`, optional, a file the held module creates when it begins to wait.
 */
export async function resolve(specifier, context, next) {
  const holding = held?.release && !existsSync(held.release) && !context.parentURL?.startsWith(SCHEME);
  if (!holding || (specifier !== held.specifier && !held.url)) return next(specifier, context);
  const target = await next(specifier, context);
  if (specifier !== held.specifier && target.url !== held.url) return target;
  // What the held module waits for travels in its URL: with hooks registered more than once (one
  // hold each), the first to load it may be another registration's.
  const hold = { url: target.url, release: held.release, started: held.started };
  return { url: `${SCHEME}${encodeURIComponent(JSON.stringify(hold))}`, shortCircuit: true };
}

export async function load(url, context, next) {
  if (!url.startsWith(SCHEME)) return next(url, context);
  const hold = JSON.parse(decodeURIComponent(url.slice(SCHEME.length)));
  const target = JSON.stringify(hold.url);
  const source = [
    `import { existsSync, writeFileSync } from "node:fs";`,
    `import { setTimeout as sleep } from "node:timers/promises";`,
    `import * as real from ${target};`,
    `export * from ${target};`,
    `export default real.default;`,
    hold.started ? `writeFileSync(${JSON.stringify(hold.started)}, "");` : "",
    // Polled: the test creates the file when it wants the import to go on.
    `while (!existsSync(${JSON.stringify(hold.release)})) await sleep(10);`,
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
