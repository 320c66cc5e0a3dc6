import { createSocket } from "node:dgram";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import packet from "dns-packet";
import { answerPeerRequest, PEER_PROOF_HEADER, PeerNonces, verifyPeerSignature } from "../../src/shared/peer-signature.js";

/** This machine's first IPv4 address off loopback, where a "machine on the LAN" is played from; undefined without one. */
export const LAN_ADDRESS = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a?.family === "IPv4" && !a.internal)?.address;

/** An HTTP server on `host`, the requests it was sent (`METHOD /path`), and how to close it. */
export interface StandInHost extends AsyncDisposable {
  url: string;
  port: number;
  requests: string[];
}

/** Starts an HTTP server on `host` that answers with `handle`. */
export async function standInHost(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<StandInHost> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    [Symbol.asyncDispose]: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A stand-in peer's `/v1/peer/info`: answers a request signed with `key` with `info`, proved with the key as wren does; anything else 401. */
export function signedInfo(key: string, info: unknown): (req: IncomingMessage, res: ServerResponse) => void {
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

/** Sends mDNS answers, see {@link mdnsSender}. */
export interface MdnsSender extends AsyncDisposable {
  send: (answers: packet.Answer[]) => Promise<void>;
}

/**
 * A host sending mDNS answers from `address` (their source address) out of loopback: what every
 * browser on this machine joined to the group on 127.0.0.1 hears, as if from a machine at `address`.
 * `port`: the source port, default mDNS's own (5353).
 */
export async function mdnsSender(address: string, options: { port?: number } = {}): Promise<MdnsSender> {
  const socket = createSocket({ type: "udp4", reuseAddr: true });
  // From mDNS's own port, as a responder sends (browsers ignore answers from any other).
  await new Promise<void>((resolve) => socket.bind({ address, port: options.port ?? 5353 }, resolve));
  socket.setMulticastInterface("127.0.0.1");
  socket.setMulticastLoopback(true);
  return {
    send: (answers) =>
      new Promise<void>((resolve, reject) =>
        socket.send(packet.encode({ type: "response", flags: packet.AUTHORITATIVE_ANSWER, answers }), 5353, "224.0.0.251", (e) => (e ? reject(e) : resolve())),
      ),
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
