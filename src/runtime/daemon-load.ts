import { z } from "zod";
import { DAEMON_TOKEN_HEADER } from "./daemon-identity.js";
import type { DaemonLock } from "./daemon-state.js";

/**
 * Where the daemon's model is, as its control listener reports it (`GET /load`): `starting` before
 * the daemon began loading (resolving or pulling the file), `loading` while the weights are read
 * (with `progress` from 0 to 1), `ready` once loaded, `unloaded` after an idle unload (a `POST /load`
 * loads it again).
 */
export const daemonLoadSchema = z.object({
  phase: z.enum(["starting", "loading", "ready", "unloaded"]),
  model: z.string().optional(),
  progress: z.number().min(0).max(1).optional(),
});
export type DaemonLoad = z.infer<typeof daemonLoadSchema>;

/** What the daemon's server knows about its models, enough to report the first one's load. */
export interface LoadingHost {
  isLoading(id: string): boolean;
  loadProgress(id: string): number | undefined;
  loaded(): Array<{ id: string }>;
}

/** The load report of model `id` served by `host`. */
export function hostLoadReport(host: LoadingHost, id: string): DaemonLoad {
  if (host.isLoading(id)) {
    const progress = host.loadProgress(id);
    // Clamped: the report's schema holds it to 0–1, and a float a hair past 1 must not void it.
    return { phase: "loading", model: id, ...(progress === undefined ? {} : { progress: Math.min(1, Math.max(0, progress)) }) };
  }
  return { phase: host.loaded().some((m) => m.id === id) ? "ready" : "unloaded", model: id };
}

/**
 * Asks the daemon where its model is (`GET /load`), or, with `load`, to load it if it was unloaded
 * (`POST /load`). Undefined when it does not answer or is a wren without this report: the caller
 * then waits for the daemon as before, without progress.
 */
export async function daemonLoad(lock: DaemonLock, options: { load?: boolean } = {}): Promise<DaemonLoad | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${lock.controlPort}/load`, {
      method: options.load ? "POST" : "GET",
      headers: { [DAEMON_TOKEN_HEADER]: lock.token },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const parsed = daemonLoadSchema.safeParse(await res.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
