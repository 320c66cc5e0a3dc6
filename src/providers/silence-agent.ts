import type { Agent } from "undici";

/**
 * How long a provider's connection may stay silent (before its response headers, or between two
 * pieces of its body) before the transport drops it: 15 minutes, a failsafe. The limits users set
 * are the router's (`router.timeouts`: a stream's idle limit, a non-streamed call's
 * `nonStreamedMs` or `totalMs`), and a transport that gave up before them would overrule them:
 * Node's fetch, which the SDKs use by default, drops a request after 5 minutes without headers, so
 * a reasoning teacher's non-streamed answer could never take the 10 minutes the router allows it.
 * Past the router's defaults with room to spare, it still bounds what they leave unbounded (a LAN
 * peer or a server on this machine gone silent) near the 10 minutes it was before.
 */
export const SILENCE_MS = 15 * 60_000;

/**
 * A kept-alive connection pool (undici's `Agent`) whose only silence limit is {@link SILENCE_MS};
 * undici loads on the first call, not at start-up: a run pays only for the providers it calls.
 */
export function silenceAgent(options: { maxResponseSize?: number } = {}): Promise<Agent> {
  return loadUndici().then(({ Agent }) => new Agent({ headersTimeout: SILENCE_MS, bodyTimeout: SILENCE_MS, ...options }));
}

/**
 * Loads undici (once; Node keeps the module) ahead of a call: a model's `prepare` whose pools are
 * made per replica or per peer, at call time.
 */
export function loadUndici() {
  return import("undici");
}
