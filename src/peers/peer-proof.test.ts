import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { mdnsSender } from "../../test/helpers/mdns-hosts.js";
import { userText } from "../protocol/index.js";
import { PeerModel } from "../providers/peer/model.js";
import { answerPeerRequest, PEER_PROOF_HEADER, PeerNonces, verifyPeerSignature } from "../shared/peer-signature.js";
import { serviceRecords } from "./advertise.js";
import { PeerDirectory } from "./directory.js";
import { keyFingerprint } from "./fingerprint.js";
import { fetchPeerInfo } from "./info-client.js";

// A key of this file's own: directories other test files run meanwhile hear these advertisements too.
const KEY = `peer-proof-${randomBytes(12).toString("hex")}`;

const disposers: Array<() => PromiseLike<unknown>> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

/** An HTTP host on loopback answering with `handle`; `requests` keeps what it was sent. */
async function host(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  disposers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, requests };
}

/** A peer holding `key`: checks the caller's signature, and proves its answer with the same key. */
function holder(key: string, info: unknown): (req: IncomingMessage, res: ServerResponse) => void {
  const nonces = new PeerNonces();
  return (req, res) => {
    const authorization = req.headers.authorization ?? "";
    try {
      verifyPeerSignature(key, authorization, { method: req.method ?? "", path: req.url ?? "" }, nonces);
    } catch {
      return void res.writeHead(401).end();
    }
    const body = JSON.stringify(info);
    res.writeHead(200, { "content-type": "application/json", [PEER_PROOF_HEADER]: answerPeerRequest(key, authorization, body) }).end(body);
  };
}

/** A host without the key: it cannot check a signature, and answers every caller as a peer would. */
const pretender = (info: unknown) => (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(info));

/** Sends `req` on to the peer at `url` unchanged (its signature included), and reads its answer. */
async function passOn(url: string, req: IncomingMessage): Promise<{ status: number; proof: string; body: string }> {
  const answer = await fetch(`${url}${req.url}`, { headers: { authorization: req.headers.authorization ?? "" } });
  return { status: answer.status, proof: answer.headers.get(PEER_PROOF_HEADER) ?? "", body: await answer.text() };
}

const bigModel = { id: "qwen3-235b", contextLength: 131072, sizeBytes: 140e9 };
const ad = (name: string, port: number, ttl = 120) => serviceRecords({ name, port, fingerprint: keyFingerprint(KEY), version: "1" }, ttl);

async function directory(): Promise<PeerDirectory> {
  const d = new PeerDirectory({ interface: "127.0.0.1", key: KEY, refreshMs: 0 });
  disposers.push(() => d[Symbol.asyncDispose]());
  await new Promise((resolve) => setTimeout(resolve, 100));
  return d;
}

async function send(records: ReturnType<typeof ad>): Promise<void> {
  const sender = await mdnsSender("127.0.0.1");
  disposers.push(() => sender[Symbol.asyncDispose]());
  await sender.send(records);
  disposers.push(() => sender.send(records.map((r) => ({ ...r, ttl: 0 }))));
}

describe("a peer proves it holds the key before it is sent requests", () => {
  it("a host that copies the key's fingerprint but does not hold the key is not offered, so it is sent no prompt", async () => {
    const name = `copycat-${randomBytes(4).toString("hex")}`;
    const impostor = await host(pretender({ name, models: [bigModel] }));
    const peers = await directory();
    await send(ad(name, impostor.port));
    await peers.waitUntil(() => peers.entries().some((e) => e.name === name && (e.info !== undefined || e.problem !== undefined)), 3000);
    const view = peers.list().find((v) => v.name === name);
    expect(view).toMatchObject({ healthy: false, models: [], problem: expect.stringMatching(/did not prove it holds this machine's key/) as string });
    // A prompt for it is not sent: the target names why.
    const prompt = { messages: [userText("a private prompt")], maxOutputTokens: 8 };
    await expect(new PeerModel(peers, `${name}/${bigModel.id}`).doGenerate(prompt)).rejects.toMatchObject({ message: expect.stringMatching(/did not prove/) as string });
    expect(impostor.requests).toEqual(["GET /v1/peer/info"]);
    await expect(fetchPeerInfo(impostor.url, KEY)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("a host that holds the key is offered once it proves so", async () => {
    const name = `holder-${randomBytes(4).toString("hex")}`;
    const peer = await host(holder(KEY, { name, models: [bigModel] }));
    const peers = await directory();
    await send(ad(name, peer.port));
    expect(await peers.waitUntil(() => peers.list().some((v) => v.name === name && v.healthy), 3000)).toBe(true);
  });

  it("an answer proved with another key, or a proof replayed from an earlier answer, is refused", async () => {
    const other = await host(holder(`another-key-${randomBytes(8).toString("hex")}`, { name: "x", models: [bigModel] }));
    // Its signature check fails first (401): make one that takes any caller but proves with another key.
    const wrongKey = await host((req, res) => {
      const body = JSON.stringify({ name: "x", models: [bigModel] });
      res.writeHead(200, { [PEER_PROOF_HEADER]: answerPeerRequest("not-the-key-0123456789", req.headers.authorization ?? "", body) }).end(body);
    });
    await expect(fetchPeerInfo(other.url, KEY)).rejects.toMatchObject({ code: "unauthorized" });
    await expect(fetchPeerInfo(wrongKey.url, KEY)).rejects.toMatchObject({ code: "unauthorized", message: expect.stringMatching(/did not prove/) as string });
    // A host keeps a real peer's proven answer and plays it back to a later request: the proof is over that request's nonce.
    const real = await host(holder(KEY, { name: "x", models: [bigModel] }));
    let kept: { proof: string; body: string } | undefined;
    const replay = await host((req, res) => {
      if (kept) return void res.writeHead(200, { [PEER_PROOF_HEADER]: kept.proof }).end(kept.body);
      void passOn(real.url, req).then((answer) => {
        kept = answer;
        res.writeHead(answer.status, { [PEER_PROOF_HEADER]: answer.proof }).end(answer.body);
      });
    });
    expect(await fetchPeerInfo(replay.url, KEY)).toMatchObject({ name: "x" });
    await expect(fetchPeerInfo(replay.url, KEY)).rejects.toMatchObject({ code: "unauthorized", message: expect.stringMatching(/did not prove/) as string });
  });

  it("a key holder's proven info, passed on by a host advertising another name, is not taken as that name's", async () => {
    const real = await host(holder(KEY, { name: "studio", models: [bigModel] }));
    const name = `relay-${randomBytes(4).toString("hex")}`;
    // The relay passes each request on to the real peer unchanged, and its answer back.
    const relay = await host((req, res) => void passOn(real.url, req).then((answer) => res.writeHead(answer.status, { [PEER_PROOF_HEADER]: answer.proof }).end(answer.body)));
    const peers = await directory();
    await send(ad(name, relay.port));
    await peers.waitUntil(() => peers.entries().some((e) => e.name === name && (e.info !== undefined || e.problem !== undefined)), 3000);
    expect(real.requests).toEqual(["GET /v1/peer/info"]);
    expect(peers.list().find((v) => v.name === name)).toMatchObject({ healthy: false, problem: expect.stringMatching(/calls itself "studio"/) as string });
  });
});
