import { z } from "zod";

/** How long a session may stay silent before the daemon drops it from its list: 15 minutes. */
export const DAEMON_SESSION_IDLE_MS = 15 * 60_000;

/** What a client says about its session each time it sends the daemon a request. */
export const sessionTouchSchema = z
  .object({
    id: z.string().min(1).max(200),
    /** The folder the session works in, shown by `wren daemon status`. */
    cwd: z.string().max(4096).optional(),
    /** The model the session asked for. */
    model: z.string().max(500).optional(),
  })
  .strict();
export type SessionTouch = z.infer<typeof sessionTouchSchema>;

/** A session the daemon has heard from recently. */
export interface DaemonSession extends SessionTouch {
  /** ISO time of the session's first request to this daemon. */
  since: string;
  /** ISO time of its latest request. */
  lastActivity: string;
  /** Requests it sent this daemon. */
  requests: number;
}

/**
 * The sessions of clients using the daemon (the assistant's `wren -p` runs), kept in memory: each
 * request touches its session, and sessions silent past `idleMs` are dropped whenever the list is
 * read or written, so no timer keeps the daemon busy.
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, DaemonSession>();

  constructor(
    private readonly idleMs: number = DAEMON_SESSION_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  touch(touch: SessionTouch): DaemonSession {
    this.#prune();
    const at = new Date(this.now()).toISOString();
    const previous = this.#sessions.get(touch.id);
    const session: DaemonSession = { ...previous, ...touch, since: previous?.since ?? at, lastActivity: at, requests: (previous?.requests ?? 0) + 1 };
    this.#sessions.set(touch.id, session);
    return session;
  }

  list(): DaemonSession[] {
    this.#prune();
    return [...this.#sessions.values()].sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
  }

  #prune(): void {
    const cutoff = this.now() - this.idleMs;
    for (const [id, s] of this.#sessions) if (Date.parse(s.lastActivity) < cutoff) this.#sessions.delete(id);
  }
}
