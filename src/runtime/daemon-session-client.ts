import { z } from "zod";
import { DAEMON_TOKEN_HEADER } from "./daemon-identity.js";
import type { DaemonSession, SessionTouch } from "./daemon-sessions.js";
import type { DaemonLock } from "./daemon-state.js";

const sessionSchema = z.object({
  id: z.string(),
  cwd: z.string().optional(),
  model: z.string().optional(),
  since: z.string(),
  lastActivity: z.string(),
  requests: z.number(),
});
const listSchema = z.object({ sessions: z.array(sessionSchema) });

const controlUrl = (lock: DaemonLock, route: string): string => `http://127.0.0.1:${lock.controlPort}${route}`;

/**
 * Tells the daemon that this session is sending it a request. Best effort: a daemon that does not
 * answer is found out by the request itself, which is what is retried.
 */
export async function touchDaemonSession(lock: DaemonLock, touch: SessionTouch): Promise<void> {
  try {
    const res = await fetch(controlUrl(lock, "/sessions"), {
      method: "POST",
      headers: { "content-type": "application/json", [DAEMON_TOKEN_HEADER]: lock.token },
      body: JSON.stringify(touch),
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
  } catch {
    // See above: the model request that follows says what went wrong.
  }
}

/** The daemon's recent sessions; undefined when it does not answer (or is a wren without sessions). */
export async function listDaemonSessions(lock: DaemonLock): Promise<DaemonSession[] | undefined> {
  try {
    const res = await fetch(controlUrl(lock, "/sessions"), { headers: { [DAEMON_TOKEN_HEADER]: lock.token }, signal: AbortSignal.timeout(2000) });
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const parsed = listSchema.safeParse(await res.json());
    return parsed.success ? parsed.data.sessions : undefined;
  } catch {
    return undefined;
  }
}
