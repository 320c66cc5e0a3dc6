import type { StaleDaemonFiles } from "./daemon-inspect.js";
import type { OutdatedDaemon } from "./daemon-version.js";

/**
 * Something a client of the daemon should tell its user, found while reaching the daemon: the
 * runtime returns these, the CLI words and prints them (`daemonNoticeText` in cli/).
 */
export type DaemonNotice =
  /** Stale daemon files were removed; the process they named (if any) was left alone. */
  | ({ kind: "stale-removed" } & StaleDaemonFiles)
  /** The daemon runs another wren version and was busy, so it was used as it is. */
  | { kind: "outdated"; daemon: OutdatedDaemon }
  /** Flags that matter only when the daemon starts were given, and it was already running. */
  | { kind: "unapplied-flags"; pid: number; flags: string[] }
  /** The daemon does not serve the configured `models.default` (`asked`): its first model answered. */
  | { kind: "model-fallback"; pid: number; asked: string; answered: string };

/** The notices of one connection to the daemon (what `openDaemonModel` found on the way). */
export function daemonNotices(found: { pid: number; staleRemoved?: StaleDaemonFiles | undefined; outdated?: OutdatedDaemon | undefined; unappliedFlags?: string[] | undefined; fallback?: { asked: string; answered: string } | undefined }): DaemonNotice[] {
  const notices: DaemonNotice[] = [];
  if (found.staleRemoved) notices.push({ kind: "stale-removed", pid: found.staleRemoved.pid, exited: found.staleRemoved.exited });
  if (found.outdated) notices.push({ kind: "outdated", daemon: found.outdated });
  if (found.unappliedFlags?.length) notices.push({ kind: "unapplied-flags", pid: found.pid, flags: found.unappliedFlags });
  if (found.fallback) notices.push({ kind: "model-fallback", pid: found.pid, ...found.fallback });
  return notices;
}
