import type { StaleDaemonFiles } from "../runtime/daemon-inspect.js";
import type { DaemonNotice } from "../runtime/daemon-notice.js";
import type { OutdatedDaemon } from "../runtime/daemon-version.js";

/**
 * Says on stderr that stale daemon files were removed: left behind by a daemon that had exited, or
 * naming a live process that could not be confirmed as the daemon, which was not touched.
 */
export function staleNotice({ pid, exited }: StaleDaemonFiles): string {
  if (pid === undefined) return "wren: removed stale daemon files naming no process wren could confirm";
  if (exited) return `wren: removed stale daemon files naming pid ${pid}: that wren daemon had exited and left them behind`;
  return `wren: removed stale daemon files naming pid ${pid}, which could not be confirmed as a wren daemon (it was left alone)`;
}

/** Says on stderr that the daemon runs another wren version and was used as it is, since it was busy (or did not say it was not). */
export function outdatedNotice(outdated: OutdatedDaemon): string {
  const runs = outdated.daemonVersion === undefined ? "an older wren" : `wren ${outdated.daemonVersion}`;
  const busy = outdated.activeRequests === undefined ? "it did not say whether it is busy with another session's requests" : "it is busy with another session's requests";
  return `wren: the wren daemon (pid ${outdated.pid}) runs ${runs}, this is wren ${outdated.wrenVersion}; ${busy}, so it was used as it is. Run \`wren daemon stop\` once it is free, and the next command starts this wren's daemon.`;
}

/** "--a", "--a and --b", "--a, --b and --c". */
function listed(flags: readonly string[]): string {
  return flags.length <= 1 ? (flags[0] ?? "") : `${flags.slice(0, -1).join(", ")} and ${flags.at(-1) ?? ""}`;
}

/** Says on stderr which flags had no effect because the daemon was already running, and how to apply them. */
export function unappliedFlagsNotice(pid: number, flags: readonly string[]): string {
  const them = flags.length === 1 ? "it applies" : "they apply";
  return `wren: the wren daemon (pid ${pid}) was already running, so ${listed(flags)} had no effect: ${them} only when the daemon starts. To use ${flags.length === 1 ? "it" : "them"}, run \`wren daemon stop\`, then this command again.`;
}

/** Says on stderr that the daemon's first model answered, since it does not serve the configured default. */
export function fallbackNotice(pid: number, asked: string, answered: string): string {
  return `wren: the wren daemon (pid ${pid}) does not serve ${asked} (models.default), so its model ${answered} answered. To use ${asked}, run \`wren daemon stop\` so the next command starts the daemon with it, or run with --no-daemon.`;
}

/** A notice of the daemon's, as one line for stderr (starting `wren: `). */
export function daemonNoticeText(notice: DaemonNotice): string {
  switch (notice.kind) {
    case "stale-removed":
      return staleNotice(notice);
    case "outdated":
      return outdatedNotice(notice.daemon);
    case "unapplied-flags":
      return unappliedFlagsNotice(notice.pid, notice.flags);
    case "model-fallback":
      return fallbackNotice(notice.pid, notice.asked, notice.answered);
  }
}
