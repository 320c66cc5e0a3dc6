import { agentClients, runsOnThisNode } from "./clients.js";
import { clientsCacheDir, ensureClient } from "./install.js";

/**
 * Installs every pinned CLI this Node can run, all at once, before any test: a failed install fails
 * the run here with npm's message, instead of as a timeout inside a test.
 */
export default async function setup(): Promise<void> {
  const started = Date.now();
  const reports = await Promise.all(agentClients.filter(runsOnThisNode).map((client) => ensureClient(client)));
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const lines = reports.map((r) => `  ${r.client.name}@${r.client.version}: ${r.installed ? `installed in ${r.seconds.toFixed(0)} s` : "cached"}, ${mb(r.bytes)}`);
  const total = reports.reduce((sum, r) => sum + r.bytes, 0);
  process.stderr.write(`agent CLIs in ${clientsCacheDir()} (${((Date.now() - started) / 1000).toFixed(0)} s, ${mb(total)}):\n${lines.join("\n")}\n`);
}
