import { loadConfig } from "../config/index.js";
import { PeerDirectory, peerName, type PeerEntry } from "../peers/index.js";
import type { Env } from "../shared/paths.js";

/** Options of {@link listPeers}. */
export interface ListPeersOptions {
  /** Milliseconds to listen for answers. Default 2000. */
  waitMs?: number;
  /** Stop listening as soon as these peers are known with their info (or refused). */
  waitFor?: string[];
  env?: Env;
  /** `--offline`: peers beyond this machine's loopback are listed, never asked. Default: `router.offline`. */
  offline?: boolean;
}

/**
 * The wren servers that answer on the LAN, each with what it said of itself over
 * `/v1/peer/info` (fetched with `peers.key`): `wren peers list`. Listens for `waitMs`, or until
 * every peer in `waitFor` has answered.
 */
export async function listPeers(options: ListPeersOptions = {}): Promise<{ self: string; peers: PeerEntry[] }> {
  const env = options.env ?? process.env;
  const { config } = await loadConfig({ env });
  const self = peerName(config.peers);
  await using directory = new PeerDirectory({ key: config.peers.key, keys: config.peers.keys, interface: config.peers.interface, refreshMs: 0, offline: options.offline ?? config.router.offline });
  const waitFor = options.waitFor ?? [];
  // A peer counts as answered once its info came, or once it is known why it will not come.
  const answered = (name: string) => directory.entries().some((e) => e.name === name && (e.info !== undefined || e.problem !== undefined));
  const waitMs = options.waitMs ?? 2000;
  if (waitFor.length > 0) await directory.waitUntil(() => waitFor.every(answered), waitMs);
  else await directory.waitUntil(() => false, waitMs);
  return { self, peers: directory.entries() };
}
