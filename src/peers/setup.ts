import os from "node:os";
import type { WrenConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";

type PeersConfig = WrenConfig["peers"];

/** This server's name among peers: `peers.name`, else the host name reduced to DNS-SD-safe characters. */
export function peerName(config: PeersConfig): string {
  if (config.name) return config.name;
  const host = os.hostname().split(".")[0] ?? "";
  const safe = host.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[-_]+/, "").slice(0, 63);
  return safe || "wren";
}

/** True when the server looks for peers: `peers.discover`, or by default when it advertises. */
export function discovers(config: PeersConfig): boolean {
  return config.discover ?? config.advertise;
}

/**
 * Refuses an advertising server without a key before anything listens: advertising without one
 * would offer its models to anyone on the network.
 */
export function checkPeersConfig(config: PeersConfig): void {
  if (config.advertise && !config.key) {
    throw new WrenError("config_invalid", "peers.advertise is on, and no peers.key is set: wren never offers its models to the network without a key.", {
      hint: "Set the same key (16 characters or more) on every peer: WREN_PEERS_KEY=... or peers.key in the config; e.g. `openssl rand -hex 24` makes one.",
    });
  }
}
