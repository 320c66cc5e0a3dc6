import { formatBytes } from "../../models/index.js";
import { listPeers } from "../../runtime/peers-list.js";
import { numberFlag } from "../parse-flags.js";
import type { PeersListFlags } from "./peers.js";
import { renderTable } from "./table.js";

/** `wren peers list`: prints each peer heard, one row per model (a peer without info: one row saying why). */
export async function peersListCommand(flags: PeersListFlags): Promise<number> {
  const waitMs = numberFlag("--wait", flags.wait, { integer: true });
  const { self, peers } = await listPeers({ ...(waitMs === undefined ? {} : { waitMs }), waitFor: flags.waitFor });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ self, peers }, null, 2)}\n`);
    return 0;
  }
  if (peers.length === 0) {
    process.stdout.write("No wren peers answered on the LAN. Peers advertise with `wren serve --advertise` (or peers.advertise) and share peers.key.\n");
    return 0;
  }
  const rows: string[][] = [];
  for (const peer of peers) {
    const info = peer.info;
    // Heard, with the key, but its info has not come within the wait: it is asked, not known to be down.
    const health = peer.problem ?? info?.health ?? (peer.keyMatches ? "no answer yet (busy or slow; try --wait 10000)" : "unknown");
    const load = info?.load ? `${info.load.inFlight} in flight` : "-";
    const memory = info?.hardware?.memory ? `${formatBytes(info.hardware.memory.free)} free of ${formatBytes(info.hardware.memory.total)}` : "-";
    const hardware = `${info?.hardware?.gpu ?? "?"}, ${memory}`;
    const models = info?.models ?? [];
    if (models.length === 0) rows.push([peer.name, peer.url, "-", "-", load, hardware, health]);
    for (const m of models) rows.push([peer.name, peer.url, `peer:${peer.name}/${m.id}`, m.contextLength ? String(m.contextLength) : "?", load, hardware, health]);
  }
  process.stdout.write(renderTable(["PEER", "URL", "MODEL", "CONTEXT", "LOAD", "HARDWARE", "HEALTH"], rows));
  return 0;
}
