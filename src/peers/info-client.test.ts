import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerPeerRequest, PEER_PROOF_HEADER } from "../shared/peer-signature.js";
import { fetchPeerInfo } from "./info-client.js";

/** A peer whose `/v1/peer/info` answers with what `answer` writes. */
let answer: (res: ServerResponse, req: IncomingMessage) => void;
let server: Server;
let url: string;
let open = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    open++;
    res.once("close", () => open--);
    answer(res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Answers `body` as a peer holding the key "k" does: with its proof over the request's signature. */
const proved = (body: string) => (res: ServerResponse, req: IncomingMessage) => res.writeHead(200, { [PEER_PROOF_HEADER]: answerPeerRequest("k", req.headers.authorization ?? "", body) }).end(body);

describe("fetchPeerInfo", () => {
  it("reads a peer's models", async () => {
    answer = proved(JSON.stringify({ name: "beta", models: [{ id: "qwen", contextLength: 4096 }] }));
    expect(await fetchPeerInfo(url, "k")).toMatchObject({ name: "beta", models: [{ id: "qwen", contextLength: 4096 }] });
  });

  it("stops reading a peer that sends without end, and says so", async () => {
    answer = (res) => {
      const chunk = Buffer.alloc(64 * 1024, "a");
      res.write('{"name":"');
      const more = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", more);
      };
      more();
    };
    await expect(fetchPeerInfo(url, "k")).rejects.toMatchObject({
      code: "upstream_error",
      message: `Peer ${url} sent an answer larger than 1 MiB; wren stopped reading it.`,
    });
    await expect.poll(() => open, { timeout: 5_000 }).toBe(0);
  });

  it("says a peer that went away in the middle of its answer went away, not that it sent what wren cannot read", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "200" });
      res.write('{"name":"beta","models":[{"id":"qw', () => res.destroy());
    };
    const error = await fetchPeerInfo(url, "k").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "network_error", isRetryable: true });
    expect((error as Error).message).toMatch(/went away|stopped answering|connection/i);
    expect((error as Error).message).not.toMatch(/cannot read/);
  });

  it("says a peer's answer it cannot read is so, and a refused key as unauthorized", async () => {
    answer = proved("not json");
    await expect(fetchPeerInfo(url, "k")).rejects.toMatchObject({ code: "upstream_error", message: `Peer ${url} sent peer info wren cannot read.` });
    answer = (res) => res.writeHead(401).end();
    await expect(fetchPeerInfo(url, "k")).rejects.toMatchObject({ code: "unauthorized" });
  });
});
