import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { OWNER_KEY_HEADER } from "../shared/owner-key-header.js";
import type { DaemonLock } from "./daemon-state.js";

/**
 * How wren knows that a pid is its daemon before touching it, the same way on every OS: the
 * daemon's control listener (127.0.0.1, port in the lock) answers a fresh random challenge with an
 * HMAC keyed by the instance token from the lock. An unrelated process that got the pid (or the
 * port) cannot answer, and the token itself never goes over the wire to prove identity.
 */

/** Header carrying the token on `POST /shutdown`, sent only to a daemon that proved itself. */
export const DAEMON_TOKEN_HEADER = "x-wren-daemon-token";

/** Where the daemon is in its life, as its control listener reports it. */
export type DaemonPhase = "starting" | "ready" | "stopping";

export const identitySchema = z.object({
  pid: z.number().int(),
  phase: z.enum(["starting", "ready", "stopping"]),
  proof: z.string(),
});
export type DaemonIdentity = z.infer<typeof identitySchema>;

/** The answer to `challenge` that only the holder of `token` can give. */
export function identityProof(token: string, challenge: string): string {
  return createHmac("sha256", token).update(`wren-daemon:${challenge}`).digest("hex");
}

/**
 * The key the daemon lets its own user's wren commands in with where its API requires one (a daemon
 * started with `--advertise`): only a process that can read the lock (0600, the user's own) can
 * make it. Derived rather than the token itself, so the token, the daemon's shutdown key, never
 * goes to the API port. Its message never starts with `wren-daemon:`, so no challenge sent to
 * `/identity` gets it answered.
 */
export function daemonOwnerKey(token: string): string {
  return createHmac("sha256", token).update("wren-owner-key").digest("hex");
}

/**
 * What wren's own commands send the daemon's API: its owner key, made from the lock's token, which
 * gets them in where the daemon requires a key (`--advertise`). Nothing without the lock.
 */
export function ownerHeaders(lock: DaemonLock | undefined): Record<string, string> {
  return lock ? { [OWNER_KEY_HEADER]: daemonOwnerKey(lock.token) } : {};
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

function controlUrl(lock: DaemonLock, route: string): string {
  return `http://127.0.0.1:${lock.controlPort}${route}`;
}

/**
 * The daemon's phase when the process at `lock.controlPort` proves it is the daemon of this lock
 * (right proof, same pid); undefined when nothing answers, or something else does. Generous
 * timeout: a live daemon judged stale would lose its lock to a second one.
 */
export async function confirmDaemon(lock: DaemonLock, timeoutMs = 10_000): Promise<DaemonPhase | undefined> {
  const challenge = randomBytes(16).toString("hex");
  try {
    const res = await fetch(controlUrl(lock, `/identity?challenge=${challenge}`), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const parsed = identitySchema.safeParse(await res.json());
    if (!parsed.success) return undefined;
    const { pid, phase, proof } = parsed.data;
    return pid === lock.pid && sameHex(proof, identityProof(lock.token, challenge)) ? phase : undefined;
  } catch {
    return undefined;
  }
}

/** Asks the daemon to shut down cleanly; true when it accepted. Call only after {@link confirmDaemon}. */
export async function requestShutdown(lock: DaemonLock, timeoutMs = 10_000): Promise<boolean> {
  try {
    const res = await fetch(controlUrl(lock, "/shutdown"), { method: "POST", headers: { [DAEMON_TOKEN_HEADER]: lock.token }, signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === 202;
  } catch {
    return false;
  }
}
