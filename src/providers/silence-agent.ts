import type { Dispatcher } from "undici";
import { proxyFor } from "../shared/proxy-env.js";

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
 * A kept-alive connection pool (undici's `Agent`) for the server at `target` whose only silence
 * limit is {@link SILENCE_MS}; through the proxy the environment sets for it (`HTTPS_PROXY`,
 * `HTTP_PROXY`, `NO_PROXY`: see {@link proxyFor}), decided once for the pool, not per request.
 * undici loads on the first call, not at start-up: a run pays only for the providers it calls.
 */
export async function silenceAgent(target: string, options: { maxResponseSize?: number } = {}): Promise<Dispatcher> {
  const proxy = proxyFor(target);
  const { Agent, ProxyAgent } = await loadUndici();
  const settings = { headersTimeout: SILENCE_MS, bodyTimeout: SILENCE_MS, ...options };
  return proxy === undefined ? new Agent(settings) : new ProxyAgent({ ...settings, uri: proxy });
}

/**
 * Loads undici (once; Node keeps the module) ahead of a call: a model's `prepare` whose pools are
 * made per replica or per peer, at call time.
 */
export function loadUndici() {
  return import("undici");
}
