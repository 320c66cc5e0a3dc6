import { createHash, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { DAEMON_TOKEN_HEADER, identityProof, type DaemonIdentity, type DaemonPhase } from "./daemon-identity.js";
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
  close(): Promise<void>;
}

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

export async function openDaemonControl(pid: number = process.pid): Promise<DaemonControl> {
  const token = newDaemonToken();
  const tokenDigest = digest(token);
  let phase: DaemonPhase = "starting";
  let requestShutdown!: () => void;
  const shutdownRequested = new Promise<void>((resolve) => (requestShutdown = resolve));

  const app = new Hono();
  app.get("/identity", (c) => {
    const challenge = c.req.query("challenge") ?? "";
    if (!/^[0-9a-f]{16,128}$/.test(challenge)) return c.json({ error: "challenge: 16 to 128 hex digits" }, 400);
    const identity: DaemonIdentity = { pid, phase, proof: identityProof(token, challenge) };
    return c.json(identity);
  });
  app.post("/shutdown", (c) => {
    const presented = c.req.header(DAEMON_TOKEN_HEADER);
    if (presented === undefined || !timingSafeEqual(digest(presented), tokenDigest)) return c.json({ error: "not this daemon's token" }, 401);
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
    close,
    [Symbol.asyncDispose]: close,
  };
}
