import type { WrenConfig } from "../config/index.js";
import { Advertiser, checkPeersConfig, discovers, keyFingerprint, PeerDirectory, peerInfo, peerName } from "../peers/index.js";
import type { ServerApp } from "../server/app.js";
import type { PeerInfo } from "../wire/peer/info.js";
import type { LocalModelHost } from "./serve-host.js";

/** A server's part in LAN peering: the peers it found, and its own advertisement once it listens. */
export interface ServerPeers extends AsyncDisposable {
  /** The peers found (for `peer:` targets); undefined when discovery is off. */
  directory: PeerDirectory | undefined;
  /** The app's `peer` option: set when this server advertises. */
  appOption(info: () => { models: LocalModelHost; app: ServerApp | undefined; backend: string | undefined }): { peer?: { key: string; info: () => PeerInfo } };
  /** Announces the server on the LAN, once it listens on `port`. */
  advertise(port: number): void;
}

/**
 * Sets up `[peers]` for a server: refuses to advertise without a key (before anything listens),
 * starts discovery when it is on, and advertises once the port is known. `offline` (`--offline`,
 * `router.offline`): peers beyond this machine's loopback are never called.
 */
export function serverPeers(config: WrenConfig["peers"] | undefined, version: string, options: { offline?: boolean } = {}): ServerPeers {
  if (config) checkPeersConfig(config);
  const name = config ? peerName(config) : "wren";
  const directory =
    config && discovers(config)
      ? new PeerDirectory({ self: name, key: config.key, keys: config.keys, interface: config.interface, refreshMs: config.refreshSeconds * 1000, offline: options.offline })
      : undefined;
  let advertiser: Advertiser | undefined;
  const key = config?.advertise ? config.key : undefined;
  return {
    directory,
    appOption: (facts) => {
      if (!key) return {};
      return {
        peer: {
          key,
          info: () => {
            const { models, backend } = facts();
            let inFlight = 0;
            for (const queue of models.queues()) inFlight += queue.active + queue.queued;
            return peerInfo({ name, version, backend, inFlight, models: models.list().map((m) => ({ id: m.id, contextLength: m.contextLength, sizeBytes: m.sizeBytes, loaded: m.loaded })) });
          },
        },
      };
    },
    advertise: (port) => {
      if (!key || advertiser) return;
      advertiser = new Advertiser({ name, port, fingerprint: keyFingerprint(key), version }, { interface: config?.interface });
    },
    [Symbol.asyncDispose]: async () => {
      await advertiser?.[Symbol.asyncDispose]();
      await directory?.[Symbol.asyncDispose]();
    },
  };
}
