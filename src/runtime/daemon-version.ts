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
  /** Its requests running, queued or forwarded; undefined when it did not say (it may be busy). */
  activeRequests: number | undefined;
}

/**
 * The requests a daemon is running or has queued, as its `/status` reports them (what
 * `wren daemon status` shows), read with its owner key, with those it forwards through its router
 * (`routedRequests`: to a teacher, say); undefined when it does not answer, or does not report
 * both. A daemon of a wren older than `routedRequests` leaves it out: its local models may be idle
 * while it streams a teacher's answer to another session, so it may be busy.
 */
export async function daemonActiveRequests(url: string, lock: DaemonLock, timeoutMs = 5000): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/status`, { headers: ownerHeaders(lock), signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const body = (await res.json()) as { activeRequests?: unknown; routedRequests?: unknown };
    if (typeof body.activeRequests !== "number" || typeof body.routedRequests !== "number") return undefined;
    return body.activeRequests + body.routedRequests;
  } catch {
    return undefined;
  }
}
