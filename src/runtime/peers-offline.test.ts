import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LAN_ADDRESS, mdnsSender, signedInfo, standInHost } from "../../test/helpers/mdns-hosts.js";
import { defaultConfig } from "../config/index.js";
import { keyFingerprint, serviceRecords } from "../peers/index.js";
import { listPeers } from "./peers-list.js";
import { serverPeers } from "./serve-peers.js";

// A key of this file's own: directories other test files run meanwhile hear these advertisements too, and must not call them.
const KEY = `peers-offline-${randomBytes(12).toString("hex")}`;

const disposers: Array<() => PromiseLike<unknown>> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

/** A stand-in wren on the LAN (at LAN_ADDRESS) serving one model, advertised from its address; its name. */
async function lanPeer(): Promise<{ name: string; requests: string[]; announce: () => Promise<void> }> {
  const name = `lan-${randomBytes(4).toString("hex")}`;
  const host = await standInHost(LAN_ADDRESS!, signedInfo(KEY, { name, models: [{ id: "m" }] }));
  disposers.push(() => host[Symbol.asyncDispose]());
  const sender = await mdnsSender(LAN_ADDRESS!);
  disposers.push(() => sender[Symbol.asyncDispose]());
  const records = serviceRecords({ name, port: host.port, fingerprint: keyFingerprint(KEY), version: "1" });
  return { name, requests: host.requests, announce: () => sender.send(records) };
}

describe.skipIf(!LAN_ADDRESS)("offline, LAN peers are not called", () => {
  it("wren serve --offline: discovery lists a peer beyond loopback and never asks it", async () => {
    const peer = await lanPeer();
    const peersConfig = defaultConfig({}, { peers: { discover: true, key: KEY, interface: "127.0.0.1" } }).peers;
    const peers = serverPeers(peersConfig, "1", { offline: true });
    disposers.push(() => peers[Symbol.asyncDispose]());
    const directory = peers.directory!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await peer.announce();
    expect(await directory.waitUntil(() => directory.entries().some((e) => e.name === peer.name), 3000)).toBe(true);
    await directory.waitUntil(() => peer.requests.length > 0, 300);
    expect(peer.requests).toEqual([]);
    expect(directory.list().find((v) => v.name === peer.name)).toMatchObject({ healthy: false, problem: expect.stringMatching(/offline/) as string });
  });

  it("wren peers list with router.offline: the peer is shown with why, and never asked", async () => {
    const peer = await lanPeer();
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-peers-offline-"));
    disposers.push(() => Promise.resolve(rmSync(home, { recursive: true, force: true })));
    const env = { WREN_HOME: home, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), WREN_PEERS_KEY: KEY, WREN_PEERS_INTERFACE: "127.0.0.1", WREN_ROUTER_OFFLINE: "true" };
    const listed = listPeers({ env, waitMs: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await peer.announce();
    const { peers } = await listed;
    expect(peers.find((p) => p.name === peer.name)).toMatchObject({ keyMatches: false, problem: expect.stringMatching(/offline/) as string });
    expect(peer.requests).toEqual([]);
  });
});
