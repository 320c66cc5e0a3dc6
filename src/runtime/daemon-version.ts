import { ownerHeaders } from "./daemon-identity.js";
import type { DaemonLock } from "./daemon-state.js";

/**
 * A running daemon of another wren version that was left running because it was busy: another
 * session's requests were in flight, so it was used as it is.
 */
export interface OutdatedDaemon {
  pid: number;
  /** The version the daemon recorded; undefined for a daemon of a wren too old to record one. */
  daemonVersion: string | undefined;
  /** This wren's version. */
  wrenVersion: string;
  /** Its requests running or queued; undefined when it did not say (it may be busy). */
  activeRequests: number | undefined;
}

/**
 * The requests a daemon is running or has queued, as its `/status` reports them (what
 * `wren daemon status` shows), read with its owner key; undefined when it does not answer. Those
 * it forwards through its router (to a teacher, say) count too, where it reports them
 * (`routedRequests`; a daemon of an older wren does not).
 */
export async function daemonActiveRequests(url: string, lock: DaemonLock, timeoutMs = 5000): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/status`, { headers: ownerHeaders(lock), signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const body = (await res.json()) as { activeRequests?: unknown; routedRequests?: unknown };
    if (typeof body.activeRequests !== "number") return undefined;
    return body.activeRequests + (typeof body.routedRequests === "number" ? body.routedRequests : 0);
  } catch {
    return undefined;
  }
}
