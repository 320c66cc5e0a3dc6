import { Hono } from "hono";
import { WrenError } from "../../shared/errors.js";
import { answerPeerRequest, isPeerSignature, PEER_PROOF_HEADER } from "../../shared/peer-signature.js";
import type { PeerInfo } from "../../wire/peer/info.js";
import { PEER_KEY_ID, type AuthVariables } from "../auth.js";

/** What `/v1/peer/info` needs: the info to give a peer. */
export interface PeerRouteOptions {
  /** The peers key: a signed request's answer is proved with it (PEER_PROOF_HEADER). */
  key: string;
  info(): PeerInfo;
}

/**
 * `GET /v1/peer/info`: a LAN peer's view of this server (models, context sizes, hardware, load,
 * health), for the client the auth middleware knows as the peer (key id `peer`): another wren
 * signing its request with the shared key, or a local client sending the key itself. A client with
 * just the server's API key (or any other key) is refused, so the key that opens the API does not
 * also describe the machine.
 */
export function peerRoutes(options: PeerRouteOptions): Hono<{ Variables: AuthVariables }> {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get("/peer/info", (c) => {
    if (c.get("client").keyId !== PEER_KEY_ID) {
      throw new WrenError("unauthorized", "Peer info is for peers that hold the shared peers key.", { hint: "Send peers.key as 'Authorization: Bearer KEY', or sign the request with it as wren does (docs/peers.md)." });
    }
    const body = JSON.stringify(options.info());
    // A peer's signed request is answered with proof that this server holds the key too.
    const authorization = c.req.header("authorization");
    if (isPeerSignature(authorization)) c.header(PEER_PROOF_HEADER, answerPeerRequest(options.key, authorization, body));
    return c.body(body, 200, { "content-type": "application/json" });
  });
  return app;
}
