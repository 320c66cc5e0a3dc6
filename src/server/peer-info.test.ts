import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { isProvenPeerAnswer, PEER_PROOF_HEADER, signPeerRequest } from "../shared/peer-signature.js";
import type { PeerInfo } from "../wire/peer/info.js";
import { createServerApp } from "./app.js";
import { OWNER_KEY_HEADER } from "./auth.js";

const PEERS_KEY = "peers-key-for-info-tests";
const API_KEY = "api-key-for-info-tests-0";
const ALICE = "alice-key-for-info-tests";
const OWNER = "owner-key-for-info-tests";
const INFO: PeerInfo = { name: "beta", models: [{ id: "tiny" }] };

/** `GET /v1/peer/info` answers whoever the auth middleware knows as the peer, and no other client. */
describe("GET /v1/peer/info", () => {
  const { app } = createServerApp({
    host: new ScriptedHost(new Map([["tiny", new ScriptedModel("tiny", () => ({ text: "hi" }))]])),
    apiKey: API_KEY,
    keys: [{ name: "alice", key: ALICE }],
    ownerKey: OWNER,
    peer: { key: PEERS_KEY, info: () => INFO },
  });
  const info = (headers: Record<string, string>): Promise<Response> => Promise.resolve(app.request("/v1/peer/info", { headers }));

  it("answers a request signed with the peers key, and a local client sending the peers key itself", async () => {
    const signed = await info({ authorization: signPeerRequest(PEERS_KEY, { method: "GET", path: "/v1/peer/info" }) });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual(INFO);
    for (const headers of [{ authorization: `Bearer ${PEERS_KEY}` }, { "x-api-key": PEERS_KEY }] as Array<Record<string, string>>) {
      const bearer = await info(headers);
      expect(bearer.status).toBe(200);
      expect(await bearer.json()).toEqual(INFO);
    }
  });

  it("proves its answer to a signed request with the peers key, over that request's nonce", async () => {
    const authorization = signPeerRequest(PEERS_KEY, { method: "GET", path: "/v1/peer/info" });
    const signed = await info({ authorization });
    const body = await signed.text();
    expect(isProvenPeerAnswer(PEERS_KEY, authorization, signed.headers.get(PEER_PROOF_HEADER), body)).toBe(true);
    expect(JSON.parse(body)).toEqual(INFO);
    // Proved for that request only; a client sending the key itself asked for no proof.
    expect(isProvenPeerAnswer(PEERS_KEY, signPeerRequest(PEERS_KEY, { method: "GET", path: "/v1/peer/info" }), signed.headers.get(PEER_PROOF_HEADER), body)).toBe(false);
    expect((await info({ authorization: `Bearer ${PEERS_KEY}` })).headers.get(PEER_PROOF_HEADER)).toBeNull();
  });

  it("refuses with 401 every other client the server lets in, and one it does not", async () => {
    const others: Array<Record<string, string>> = [
      { authorization: `Bearer ${API_KEY}` },
      { authorization: `Bearer ${ALICE}` },
      { [OWNER_KEY_HEADER]: OWNER },
      { authorization: signPeerRequest(API_KEY, { method: "GET", path: "/v1/peer/info" }) },
      { authorization: "Bearer not-a-key-of-this-server" },
      {},
    ];
    for (const headers of others) {
      const response = await info(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.stringify(await response.json())).not.toContain("beta");
    }
    // The same clients still reach the API itself: only the machine's description is the peers'.
    for (const headers of others.slice(0, 3)) expect((await app.request("/v1/models", { headers })).status).toBe(200);
  });
});
