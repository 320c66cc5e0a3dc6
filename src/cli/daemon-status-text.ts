import type { DaemonStatus } from "../runtime/daemon.js";

/**
 * The `models` line of `wren daemon status`, and a `routes` line for the router's names (`auto`,
 * `default`, routes): its `/status` lists those among its models, and printed alike they read as
 * models not loaded. A local model is told by its files, which the daemon gives wren's own
 * commands; a daemon that gives none (an older wren) is listed as it reports.
 */
export function daemonModelLines(models: DaemonStatus["models"]): string[] {
  const all = models ?? [];
  const named = (list: typeof all) => list.map((m) => `${m.id}${m.loaded ? " (loaded)" : ""}`).join(", ");
  if (!all.some((m) => m.files !== undefined)) return [`  models    ${named(all) || "?"}`];
  const local = all.filter((m) => m.files !== undefined);
  const routes = all.filter((m) => m.files === undefined);
  return [`  models    ${named(local)}`, ...(routes.length > 0 ? [`  routes    ${routes.map((m) => m.id).join(", ")} (through its router)`] : [])];
}
