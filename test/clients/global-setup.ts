import { agentClients, isSelected, runsOnThisNode } from "./clients.js";
import { clientsCacheDir, ensureClient } from "./install.js";

/**
 * Installs every pinned CLI the run will use (see {@link isSelected}), all at once, before any
 * test: a failed install fails the run here with npm's message, not as a timeout inside a test.
 */
export default async function setup(): Promise<void> {
  const started = Date.now();
  const reports = await Promise.all(agentClients.filter((client) => isSelected(client)).map((client) => ensureClient(client)));
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const lines = reports.map((r) => `  ${r.client.name}@${r.client.version}: ${r.installed ? `installed in ${r.seconds.toFixed(0)} s` : "cached"}, ${mb(r.bytes)}`);
  const total = reports.reduce((sum, r) => sum + r.bytes, 0);
  for (const client of agentClients.filter((c) => !isSelected(c))) {
    lines.push(`  ${client.name}@${client.version}: not run (${runsOnThisNode(client) ? "not in WREN_TEST_CLIENTS" : `needs Node ${client.minNode}+`})`);
  }
  process.stderr.write(`agent CLIs in ${clientsCacheDir()} (${((Date.now() - started) / 1000).toFixed(0)} s, ${mb(total)}):\n${lines.join("\n")}\n`);
}
