import { Hono } from "hono";
import { WrenError } from "../../shared/errors.js";
import type { PeerInfo } from "../../wire/peer/info.js";
import { peerSignatureOf } from "../auth.js";

/** What `/v1/peer/info` needs: whether a request holds the peers key, and the info to give it. */
export interface PeerRouteOptions {
  /** True when the request carries the peers key (not merely the server's API key). */
  holdsPeerKey(request: Request): boolean;
  info(): PeerInfo;
}

/**
 * `GET /v1/peer/info`: a LAN peer's view of this server (models, context sizes, hardware, load,
 * health), for peers that hold the shared key only (other wrens sign their requests with it, which
 * clientAuth verified; a local client may send the key itself); a client with just the server's API
 * key is refused, so the key that opens the API does not also describe the machine.
 */
export function peerRoutes(options: PeerRouteOptions): Hono {
  const app = new Hono();
  app.get("/peer/info", (c) => {
    if (peerSignatureOf(c.req.raw) === undefined && !options.holdsPeerKey(c.req.raw)) {
      throw new WrenError("unauthorized", "Peer info is for peers that hold the shared peers key.", { hint: "Send peers.key as 'Authorization: Bearer KEY', or sign the request with it as wren does (docs/peers.md)." });
    }
    return c.json(options.info());
  });
  return app;
}
