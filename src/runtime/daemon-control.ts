import { createHash, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { DAEMON_TOKEN_HEADER, identityProof, type DaemonIdentity, type DaemonPhase } from "./daemon-identity.js";
import type { DaemonLoad } from "./daemon-load.js";
import { SessionRegistry, sessionTouchSchema, type DaemonSession } from "./daemon-sessions.js";
import { newDaemonToken } from "./daemon-state.js";

/**
 * The daemon's control listener: on 127.0.0.1 only, on a port of its own, up from the daemon's
 * first moment (before its lock exists, long before the model is loaded), so `wren daemon stop`
 * and `start` can always tell the daemon from a process that reused its pid, and stop it without a
 * signal. Separate from the API server, which may not listen yet, may be exposed beyond loopback,
 * and may require an API key the CLI does not have.
 */
export interface DaemonControl extends AsyncDisposable {
  pid: number;
  port: number;
  /** This instance's secret; written into the lock. */
  token: string;
  /** Settles when a client that holds the token asked the daemon to shut down. */
  shutdownRequested: Promise<void>;
  setPhase(phase: DaemonPhase): void;
  /** The sessions that used the daemon recently (see {@link SessionRegistry}). */
  sessions(): DaemonSession[];
  /**
   * Where the daemon's model is (`GET /load`) and how to load it again after an idle unload
   * (`POST /load`), once the server exists; until then `/load` reports `starting`.
   */
  setLoad(load: { report: () => DaemonLoad; load: () => void }): void;
  close(): Promise<void>;
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Options of {@link openDaemonControl}. */
export interface DaemonControlOptions {
  /** The session list; default one that drops sessions idle for 15 minutes. */
  sessions?: SessionRegistry;
}

export async function openDaemonControl(pid: number = process.pid, options: DaemonControlOptions = {}): Promise<DaemonControl> {
  const sessions = options.sessions ?? new SessionRegistry();
  const token = newDaemonToken();
  const tokenDigest = digest(token);
  let phase: DaemonPhase = "starting";
  let load: { report: () => DaemonLoad; load: () => void } | undefined;
  let requestShutdown!: () => void;
  const shutdownRequested = new Promise<void>((resolve) => (requestShutdown = resolve));

  const app = new Hono();
  app.get("/identity", (c) => {
    const challenge = c.req.query("challenge") ?? "";
    if (!/^[0-9a-f]{16,128}$/.test(challenge)) return c.json({ error: "challenge: 16 to 128 hex digits" }, 400);
    const identity: DaemonIdentity = { pid, phase, proof: identityProof(token, challenge) };
    return c.json(identity);
  });
  // Sessions and shutdown are for the user who owns the daemon: the token is in their lock file.
  const owner = (presented: string | undefined): boolean => presented !== undefined && timingSafeEqual(digest(presented), tokenDigest);
  app.post("/sessions", async (c) => {
    if (!owner(c.req.header(DAEMON_TOKEN_HEADER))) return c.json({ error: "not this daemon's token" }, 401);
    const parsed = sessionTouchSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: `session: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}` }, 400);
    return c.json(sessions.touch(parsed.data));
  });
  app.get("/sessions", (c) => {
    if (!owner(c.req.header(DAEMON_TOKEN_HEADER))) return c.json({ error: "not this daemon's token" }, 401);
    return c.json({ sessions: sessions.list() });
  });
  // The assistant shows the model's load progress and asks for a load when a session starts.
  app.get("/load", (c) => {
    if (!owner(c.req.header(DAEMON_TOKEN_HEADER))) return c.json({ error: "not this daemon's token" }, 401);
    return c.json(load?.report() ?? { phase: "starting" });
  });
  app.post("/load", (c) => {
    if (!owner(c.req.header(DAEMON_TOKEN_HEADER))) return c.json({ error: "not this daemon's token" }, 401);
    if (load?.report().phase === "unloaded") load.load();
    return c.json(load?.report() ?? { phase: "starting" }, 202);
  });
  app.post("/shutdown", (c) => {
    if (!owner(c.req.header(DAEMON_TOKEN_HEADER))) return c.json({ error: "not this daemon's token" }, 401);
    phase = "stopping";
    requestShutdown();
    return c.json({ pid }, 202);
  });

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ("closeAllConnections" in server) server.closeAllConnections();
    }));
  return {
    pid,
    port,
    token,
    shutdownRequested,
    setPhase: (next) => {
      phase = next;
    },
    sessions: () => sessions.list(),
    setLoad: (next) => {
      load = next;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
