import v8 from "node:v8";

const PRETENURING = "allocation-site-pretenuring";

/**
 * Turns off V8's allocation-site pretenuring in a process that serves HTTP, unless the user set it
 * themselves (`node --allocation-site-pretenuring`; Node takes no such flag from NODE_OPTIONS).
 *
 * Under concurrent load every request's objects (its Node request and response, headers, signal,
 * parsed body) are still alive at a young collection, so V8 learns to allocate them straight in
 * the old generation, and keeps doing so once the load drops. Dead there, they stay until a full
 * collection, and each young collection meanwhile scans their pointers into the young generation:
 * measured through `wren serve` (`npm run bench`, serve-overhead), young pauses of 3 to 4 ms
 * instead of about 1 ms, each one landing on a request in flight (the one-client p99). Requests
 * live for milliseconds; nothing a server allocates per request gains from being pretenured.
 */
export function tuneHeapForServing(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.replaceAll("_", "-").includes(PRETENURING))) return false;
  v8.setFlagsFromString(`--no-${PRETENURING}`);
  return true;
}
