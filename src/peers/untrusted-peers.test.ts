import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { LAN_ADDRESS, mdnsSender as openSender, signedInfo as signedBy, standInHost } from "../../test/helpers/mdns-hosts.js";
import { serviceRecords } from "./advertise.js";
import { onLink, servicesIn } from "./browse.js";
import { PeerDirectory } from "./directory.js";
import { keyFingerprint } from "./fingerprint.js";
import { fetchPeerInfo } from "./info-client.js";

// A key of this file's own: directories other test files run meanwhile hear these advertisements too, and must not call them.
const KEY = `untrusted-peers-${randomBytes(12).toString("hex")}`;
const ON_THIS_MACHINE = { interface: "127.0.0.1" };

const disposers: Array<() => PromiseLike<unknown>> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function httpServer(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = await standInHost(host, handle);
  disposers.push(() => server[Symbol.asyncDispose]());
  return server;
}

const signedInfo = (info: unknown) => signedBy(KEY, info);

async function mdnsSender(address: string) {
  const sender = await openSender(address);
  disposers.push(() => sender[Symbol.asyncDispose]());
  return sender.send;
}

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

async function directoryOn(options: { offline?: boolean; maxPeers?: number; keys?: Record<string, string> } = {}): Promise<PeerDirectory> {
  const directory = new PeerDirectory({ ...ON_THIS_MACHINE, key: KEY, refreshMs: 0, ...options });
  disposers.push(() => directory[Symbol.asyncDispose]());
  // Let its socket join the group before anyone sends.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return directory;
}

const ad = (name: string, port: number, ttl = 120) => serviceRecords({ name, port, fingerprint: keyFingerprint(KEY), version: "1" }, ttl);

describe("peer info from a peer that misbehaves", () => {
  it("does not follow a redirect to another host: nothing reaches it, and the peer is refused", async () => {
    const elsewhere = await httpServer("127.0.0.1", signedInfo({ name: "elsewhere", models: [{ id: "m" }] }));
    const peer = await httpServer("127.0.0.1", (_req, res) => res.writeHead(307, { location: `${elsewhere.url}/v1/peer/info` }).end());
    await expect(fetchPeerInfo(peer.url, KEY)).rejects.toMatchObject({ code: "upstream_error", message: expect.stringMatching(/redirect/) as string });
    expect(elsewhere.requests).toEqual([]);
  });

  it("refuses info whose names would garble a terminal, or that lists models without end", async () => {
    const escape = await httpServer("127.0.0.1", signedInfo({ name: "ok", models: [{ id: "qwen\u001b[2J\u001b]0;owned\u0007" }] }));
    await expect(fetchPeerInfo(escape.url, KEY)).rejects.toMatchObject({ code: "upstream_error" });
    const many = await httpServer("127.0.0.1", signedInfo({ name: "ok", models: Array.from({ length: 5000 }, (_, i) => ({ id: `m${i}` })) }));
    await expect(fetchPeerInfo(many.url, KEY)).rejects.toMatchObject({ code: "upstream_error" });
    const long = await httpServer("127.0.0.1", signedInfo({ name: "ok", version: "v".repeat(10_000), models: [{ id: "m" }] }));
    await expect(fetchPeerInfo(long.url, KEY)).rejects.toMatchObject({ code: "upstream_error" });
    const fine = await httpServer("127.0.0.1", signedInfo({ name: "ok", version: "0.1.0", models: [{ id: "hf:Qwen/Qwen3-8B-GGUF:Q4_K_M", contextLength: 4096 }] }));
    expect(await fetchPeerInfo(fine.url, KEY)).toMatchObject({ models: [{ id: "hf:Qwen/Qwen3-8B-GGUF:Q4_K_M" }] });
  });

  it("a refusal's reason reaches wren's errors without control characters, on one short line", async () => {
    // Any host can answer 401: what it says is quoted in `wren peers list` and in the errors of requests for it.
    const message = `\u001b]0;owned\u0007keys differ\r\u202eevil ${"x".repeat(10_000)}`;
    const refuser = await httpServer("127.0.0.1", (_req, res) => res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message } })));
    const error = (await fetchPeerInfo(refuser.url, KEY).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "unauthorized", message: expect.stringContaining("keys differ") as string });
    // eslint-disable-next-line no-control-regex -- the characters that must not get through
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(error.message.length).toBeLessThan(500);
  });

  it("a peer that drips its answer, or never answers, does not hold up a wait for peers", async () => {
    const drip = await httpServer("127.0.0.1", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"name":"');
      const timer = setInterval(() => res.write("a"), 50);
      res.once("close", () => clearInterval(timer));
    });
    const silent = await httpServer("127.0.0.1", () => undefined);
    const send = await mdnsSender("127.0.0.1");
    const dripName = uniqueName("drip");
    const silentName = uniqueName("silent");
    const directory = new PeerDirectory({ ...ON_THIS_MACHINE, key: KEY, refreshMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send([...ad(dripName, drip.port), ...ad(silentName, silent.port)]);
    const started = Date.now();
    await directory.waitUntil(() => false, 500);
    await directory[Symbol.asyncDispose]();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(drip.requests).toEqual(["GET /v1/peer/info"]);
    expect(silent.requests).toEqual(["GET /v1/peer/info"]);
  });
});

describe("what the network may say about peers", () => {
  it("ignores an advertised name that is not a peer name (control characters, spaces, too long)", () => {
    const records = (name: string) => serviceRecords({ name, port: 1234, fingerprint: "0123456789abcdef", version: "1" });
    for (const name of ["evil\u001b[31m", "two words", "a\nb", "x".repeat(64), "-lead"]) {
      expect(servicesIn(records(name), "127.0.0.1").found).toEqual([]);
    }
    expect(servicesIn(records("studio"), "127.0.0.1").found).toMatchObject([{ name: "studio", port: 1234 }]);
  });

  it.skipIf(!LAN_ADDRESS)("offline, a peer beyond this machine's loopback is neither asked for info nor offered", async () => {
    const lan = await httpServer(LAN_ADDRESS!, signedInfo({ name: "lan", models: [{ id: "m" }] }));
    const send = await mdnsSender(LAN_ADDRESS!);
    const name = uniqueName("lan");
    const directory = await directoryOn({ offline: true });
    await send(ad(name, lan.port));
    await directory.waitUntil(() => directory.entries().some((e) => e.name === name), 3000);
    await directory.waitUntil(() => lan.requests.length > 0, 300);
    expect(lan.requests).toEqual([]);
    const view = directory.list().find((v) => v.name === name);
    expect(view).toMatchObject({ healthy: false, key: "", problem: expect.stringMatching(/offline/) as string });
  });

  it("offline, a peer on this machine's loopback is still used", async () => {
    const name = uniqueName("here");
    const local = await httpServer("127.0.0.1", signedInfo({ name, models: [{ id: "m" }] }));
    const send = await mdnsSender("127.0.0.1");
    const directory = await directoryOn({ offline: true });
    await send(ad(name, local.port));
    expect(await directory.waitUntil(() => directory.list().some((v) => v.name === name && v.healthy), 3000)).toBe(true);
  });

  it.skipIf(!LAN_ADDRESS)("a second host claiming a known peer's name is not called in its place", async () => {
    const name = uniqueName("studio");
    const real = await httpServer("127.0.0.1", signedInfo({ name, models: [{ id: "m" }] }));
    const impostor = await httpServer(LAN_ADDRESS!, signedInfo({ name, models: [{ id: "m" }] }));
    const fromReal = await mdnsSender("127.0.0.1");
    const fromImpostor = await mdnsSender(LAN_ADDRESS!);
    const directory = await directoryOn();
    await fromReal(ad(name, real.port));
    expect(await directory.waitUntil(() => directory.list().some((v) => v.name === name && v.healthy), 3000)).toBe(true);
    // The impostor copies the advertisement (its fingerprint is public) from its own address.
    await fromImpostor(ad(name, impostor.port));
    await directory.waitUntil(() => impostor.requests.length > 0, 500);
    expect(impostor.requests).toEqual([]);
    const view = directory.list().find((v) => v.name === name);
    expect(view?.url).not.toContain(LAN_ADDRESS!);
    expect(view).toMatchObject({ healthy: false, problem: expect.stringMatching(/more than one host/) as string });
  });

  it.skipIf(!LAN_ADDRESS)("another host cannot withdraw a peer", async () => {
    const name = uniqueName("desk");
    const real = await httpServer("127.0.0.1", signedInfo({ name, models: [{ id: "m" }] }));
    const fromReal = await mdnsSender("127.0.0.1");
    const fromOther = await mdnsSender(LAN_ADDRESS!);
    const directory = await directoryOn();
    await fromReal(ad(name, real.port));
    expect(await directory.waitUntil(() => directory.list().some((v) => v.name === name && v.healthy), 3000)).toBe(true);
    await fromOther(ad(name, real.port, 0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(directory.entries().map((e) => e.name)).toContain(name);
    await fromReal(ad(name, real.port, 0));
    expect(await directory.waitUntil(() => !directory.entries().some((e) => e.name === name), 2000)).toBe(true);
  });

  it("keeps a bounded number of peers however many names the network announces, and a known one stays", async () => {
    const known = uniqueName("known");
    const real = await httpServer("127.0.0.1", signedInfo({ name: known, models: [{ id: "m" }] }));
    const send = await mdnsSender("127.0.0.1");
    // A small bound: every directory on this machine hears the flood, other test files' too.
    const directory = await directoryOn({ maxPeers: 4 });
    await send(ad(known, real.port));
    expect(await directory.waitUntil(() => directory.list().some((v) => v.name === known && v.healthy), 3000)).toBe(true);
    const prefix = uniqueName("flood");
    const flood = Array.from({ length: 12 }, (_, i) => ad(`${prefix}-${i}`, 9)).flat();
    await send(flood);
    await directory.waitUntil(() => directory.entries().length > 4, 500);
    expect(directory.entries()).toHaveLength(4);
    expect(directory.list().find((v) => v.name === known)).toMatchObject({ healthy: true });
    await send(flood.map((r) => ({ ...r, ttl: 0 })));
  });
});

describe("per-peer keys", () => {
  it("a peer named like an object's own property (constructor, toString) is called with the shared key", async () => {
    const peer = await httpServer("127.0.0.1", signedInfo({ name: "constructor", models: [{ id: "m" }] }));
    const send = await mdnsSender("127.0.0.1");
    // As the config gives it: no per-peer keys.
    const directory = await directoryOn({ keys: {} });
    await send(ad("constructor", peer.port));
    expect(await directory.waitUntil(() => directory.list().some((v) => v.name === "constructor" && v.healthy), 3000)).toBe(true);
    await send(ad("constructor", peer.port, 0));
  });
});

describe("where mDNS answers may come from", () => {
  it("only from this machine's links: an answer routed from farther away is nobody's peer", () => {
    const interfaces = {
      lo: [{ address: "127.0.0.1", netmask: "255.0.0.0", family: "IPv4", mac: "00:00:00:00:00:00", internal: true, cidr: "127.0.0.1/8" }],
      eth0: [{ address: "192.168.1.7", netmask: "255.255.255.0", family: "IPv4", mac: "02:00:00:00:00:01", internal: false, cidr: "192.168.1.7/24" }],
    } as const;
    const ifs = interfaces as unknown as Parameters<typeof onLink>[1];
    expect(onLink("192.168.1.20", ifs)).toBe(true);
    expect(onLink("127.0.0.1", ifs)).toBe(true);
    expect(onLink("192.168.2.20", ifs)).toBe(false);
    expect(onLink("8.8.8.8", ifs)).toBe(false);
    expect(onLink("fe80::1", ifs)).toBe(false);
  });

  it("only from mDNS's port: an answer sent from another port is not heard", async () => {
    const peer = await httpServer("127.0.0.1", signedInfo({ name: "p", models: [{ id: "m" }] }));
    const sender = await openSender("127.0.0.1", { port: 0 });
    disposers.push(() => sender[Symbol.asyncDispose]());
    const name = uniqueName("port");
    const directory = await directoryOn();
    await sender.send(ad(name, peer.port));
    expect(await directory.waitUntil(() => directory.entries().some((e) => e.name === name), 500)).toBe(false);
    expect(peer.requests).toEqual([]);
  });
});
