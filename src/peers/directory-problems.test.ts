import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PeerModel } from "../providers/peer/model.js";
import { answerPeerRequest, PEER_PROOF_HEADER, PeerNonces, verifyPeerSignature } from "../shared/peer-signature.js";
import { Advertiser, serviceRecords } from "./advertise.js";
import { PeerDirectory } from "./directory.js";
import { keyFingerprint } from "./fingerprint.js";
import { instanceName, openMdns, SERVICE_TYPE } from "./mdns.js";

const KEY = "the-shared-peers-key-0123456789";
const ON_THIS_MACHINE = { interface: "127.0.0.1" };

/** A stand-in peer called `name`: `/v1/peer/info` answers one model to a request signed with the right key, proved with it. */
async function startPeer(name: string): Promise<Server> {
  const nonces = new PeerNonces();
  const server = createServer((req, res) => {
    const authorization = req.headers.authorization ?? "";
    try {
      verifyPeerSignature(KEY, authorization, { method: req.method ?? "", path: req.url ?? "" }, nonces);
    } catch {
      return void res.writeHead(401).end();
    }
    const body = JSON.stringify({ name, models: [{ id: "qwen", contextLength: 4096 }] });
    res.writeHead(200, { "content-type": "application/json", [PEER_PROOF_HEADER]: answerPeerRequest(KEY, authorization, body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const disposers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

/** A request to `peer:<name>/qwen` through the peer provider: the error it ends with. */
async function requestError(directory: PeerDirectory, name: string): Promise<{ message: string; hint?: string }> {
  const model = new PeerModel(directory, `${name}/qwen`);
  for await (const part of model.doStream({ messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] })) {
    if (part.type === "error") return part.error;
  }
  throw new Error("the request did not fail");
}

describe("a peer that is heard but cannot be used", () => {
  it("a peer that advertises no key fingerprint is never sent the key, and says why it is not used", async () => {
    const name = `unkeyed-${randomBytes(4).toString("hex")}`;
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    disposers.push(() => new Promise((resolve) => server.close(resolve)));
    // wren's own advertisement with the fp= entry left out of its TXT record.
    const records = serviceRecords({ name, port: (server.address() as AddressInfo).port, fingerprint: "", version: "1" }).map((r) =>
      r.type === "TXT" ? { ...r, data: (r.data as string[]).filter((d) => !d.startsWith("fp=")) } : r,
    );
    const mdns = openMdns(ON_THIS_MACHINE);
    mdns.on("query", (query) => {
      if (query.questions.some((q) => q.name === SERVICE_TYPE || q.name === instanceName(name))) mdns.respond(records);
    });
    mdns.respond(records);
    disposers.push(() => new Promise<void>((resolve) => mdns.destroy(() => resolve())));
    const directory = new PeerDirectory({ ...ON_THIS_MACHINE, key: KEY, refreshMs: 0 });
    disposers.push(() => directory[Symbol.asyncDispose]());
    expect(await directory.waitUntil(() => directory.entries().some((e) => e.name === name), 20_000, 250)).toBe(true);
    await directory.refresh();
    expect(directory.entries().find((e) => e.name === name)).toMatchObject({ keyMatches: false, problem: "it advertises no key fingerprint, so it is not sent this machine's key" });
    expect(seen).toEqual([]);
    expect((await requestError(directory, name)).message).toContain("it advertises no key fingerprint");
  });

  it("a request to a peer whose key differs says so, not that no such peer is known", async () => {
    const name = `keyed-${randomBytes(4).toString("hex")}`;
    const server = await startPeer(name);
    disposers.push(() => new Promise((resolve) => server.close(resolve)));
    const advertiser = new Advertiser({ name, port: (server.address() as AddressInfo).port, fingerprint: keyFingerprint("another-key-of-another-network"), version: "1" }, ON_THIS_MACHINE);
    disposers.push(() => advertiser[Symbol.asyncDispose]());
    const directory = new PeerDirectory({ ...ON_THIS_MACHINE, key: KEY, refreshMs: 0 });
    disposers.push(() => directory[Symbol.asyncDispose]());
    expect(await directory.waitUntil(() => directory.entries().some((e) => e.name === name), 20_000, 250)).toBe(true);
    const error = await requestError(directory, name);
    expect(error.message).toContain(`Peer "${name}"`);
    expect(error.message).toContain("its key differs from this machine's");
  });

  it("a request to a peer that stopped answering says it stopped, with why", async () => {
    const name = `gone-${randomBytes(4).toString("hex")}`;
    const server = await startPeer(name);
    const port = (server.address() as AddressInfo).port;
    const advertiser = new Advertiser({ name, port, fingerprint: keyFingerprint(KEY), version: "1" }, ON_THIS_MACHINE);
    disposers.push(() => advertiser[Symbol.asyncDispose]());
    const directory = new PeerDirectory({ ...ON_THIS_MACHINE, key: KEY, refreshMs: 0 });
    disposers.push(() => directory[Symbol.asyncDispose]());
    expect(await directory.waitUntil(() => directory.list().some((p) => p.name === name && p.healthy), 20_000, 250)).toBe(true);
    // It goes away without a goodbye (a crash, a cable pulled): the next refresh finds it gone.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await directory.refresh();
    const error = await requestError(directory, name);
    expect(error.message).toContain(`Peer "${name}"`);
    expect(error.message).toMatch(/did not answer/);
    expect(error.message).not.toMatch(/is known on the network/);
  });
});
