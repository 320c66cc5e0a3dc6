import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ANONYMOUS_KEY_ID, type ClientIdentity } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { OWNER_KEY_HEADER } from "../shared/owner-key-header.js";
import { isPeerSignature, PeerNonces, verifyPeerSignature, type VerifiedPeerSignature } from "../shared/peer-signature.js";
import { dialectOfPath } from "./dialect.js";

/** A key clients may present, and the name it is known by. */
export interface ClientKey {
  /** The key id budgets, rate limits and `/metrics` know its holder by. */
  name: string;
  /** The secret clients send. */
  key: string;
}

/** Options of {@link clientAuth}. */
export interface ClientAuthOptions {
  /** The one unnamed key (`server.apiKey`); its holder's key id is `key-` and a short hash of it. */
  apiKey?: string | undefined;
  /** Named keys (`server.keys`). */
  keys?: ClientKey[] | undefined;
  /**
   * A LAN peer's key (`peers.key`); its holder's key id is `peer`. Other wren servers do not send it:
   * they sign each request with it (`Authorization: Wren-Peer-HMAC …`, shared/peer-signature.ts),
   * which is checked here, and its body once read (parse-body.ts, {@link peerSignatureOf}).
   */
  peerKey?: string | undefined;
  /** Reachable from other machines: a key is required even when none is configured (then nothing gets in). */
  exposed?: boolean | undefined;
  /**
   * The daemon's key for its own user's wren commands, sent as {@link OWNER_KEY_HEADER}: where a key
   * is required, a request holding it gets in as `owner`. It never makes a key required by itself.
   */
  ownerKey?: string | undefined;
}

/** The header wren's own commands send the daemon's {@link ClientAuthOptions.ownerKey} in. */
export { OWNER_KEY_HEADER };

/** The variables the auth middleware sets on each request. */
export interface AuthVariables {
  /** Who sent the request, once authenticated (`anonymous` when the server needs no key and none was sent). */
  client: ClientIdentity;
}

/** The key id of a LAN peer: a request signed with the peers key, or one sending that key itself. */
export const PEER_KEY_ID = "peer";

export const anonymous: ClientIdentity = { keyId: ANONYMOUS_KEY_ID };
const owner: ClientIdentity = { keyId: "owner" };
const peer: ClientIdentity = { keyId: PEER_KEY_ID };

/** Key ids wren gives itself; a configured key may not take one (nor start with `key-`). */
export const reservedKeyIds = [ANONYMOUS_KEY_ID, PEER_KEY_ID, "owner"];

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** A key's id when it has no name: a short hash, enough to tell keys apart and never enough to recover one. */
export function hashedKeyId(key: string): string {
  return `key-${digest(key).toString("hex").slice(0, 12)}`;
}

/** Where a request signed by a peer keeps its verified signature, for the body check when the body is read. */
const signatureKey = Symbol("wren.peerSignature");
type SignedRequest = Request & { [signatureKey]?: VerifiedPeerSignature };

/** The verified peer signature a request came with, if it did (set by {@link clientAuth}). */
export function peerSignatureOf(request: Request): VerifiedPeerSignature | undefined {
  return (request as SignedRequest)[signatureKey];
}

/** How many presented keys' ids {@link clientAuth} remembers when no key is required (each id costs a sha256). */
const REMEMBERED_IDS = 256;

/** The key a request presents in its headers: `Authorization: Bearer`, `x-api-key`, `api-key` or `x-goog-api-key`. */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  return headers.get("x-api-key") ?? headers.get("api-key") ?? headers.get("x-goog-api-key") ?? undefined;
}

/**
 * A secret is one client's only name: the same secret under two keys (two named keys, or the API
 * key and a named key) could not say whose a request is. The errors name the keys, never the secret.
 */
function checkKeys(keys: ClientKey[], apiKey: string | undefined): void {
  const names = new Set<string>();
  const holders = new Map<string, string>();
  for (const { name, key } of keys) {
    if (reservedKeyIds.includes(name) || name.startsWith("key-")) {
      throw new WrenError("config_invalid", `The client key name '${name}' is reserved.`, { hint: `Name it something else: ${reservedKeyIds.join(", ")} and names starting with key- are wren's own.` });
    }
    if (names.has(name)) throw new WrenError("config_invalid", `Two client keys are named '${name}'.`, { hint: "Give each entry of server.keys its own name." });
    const holder = holders.get(key);
    if (holder !== undefined) {
      throw new WrenError("config_invalid", `The client key '${name}' is the same secret as the client key '${holder}' (server.keys).`, {
        hint: "Give each client its own key: a request holding this one could not say which of the two clients sent it.",
      });
    }
    names.add(name);
    holders.set(key, name);
  }
  const named = apiKey === undefined ? undefined : holders.get(apiKey);
  if (named !== undefined) {
    throw new WrenError("config_invalid", `The API key (server.apiKey) is the same secret as the client key '${named}' (server.keys).`, {
      hint: `Give each client its own key: change server.apiKey (or --api-key, WREN_SERVER_API_KEY), or leave it unset and let that client use the key named '${named}'. A request holding it could not say which client sent it.`,
    });
  }
}

/**
 * The peers key is its holders' only way to be known as `peer` (which `/v1/peer/info` answers): the
 * same secret as a client key would make a request sending it that client instead.
 */
function checkPeerKey(peerKey: string | undefined, apiKey: string | undefined, keys: ClientKey[]): void {
  if (!peerKey) return;
  const client = keys.find((k) => k.key === peerKey);
  const other = peerKey === apiKey ? "the API key (server.apiKey)" : client && `the client key '${client.name}' (server.keys)`;
  if (!other) return;
  throw new WrenError("config_invalid", `The peers key (peers.key) is the same secret as ${other}.`, {
    hint: "Give the peers a key of their own: a request sending this one would be known as that client, not as a peer, and /v1/peer/info would refuse it.",
  });
}

/**
 * Authenticates each request and sets its {@link ClientIdentity} (`c.get("client")`): the name of
 * the configured key it holds, `peer`, `owner` (the daemon's own user), a short hash of an unnamed
 * key, or `anonymous`. When any key is configured (or the server is exposed), a request without a
 * valid one is refused with 401, except `/health` and CORS preflights. When none is, every request
 * gets in and a key it sends still tells it apart from other clients (for the per-key rate limit).
 */
export function clientAuth(options: ClientAuthOptions): MiddlewareHandler<{ Variables: AuthVariables }> {
  const named = [...(options.keys ?? [])];
  checkKeys(named, options.apiKey);
  checkPeerKey(options.peerKey, options.apiKey, named);
  const known: Array<{ digest: Buffer; client: ClientIdentity }> = [
    ...named.map((k) => ({ digest: digest(k.key), client: { keyId: k.name } })),
    ...(options.apiKey ? [{ digest: digest(options.apiKey), client: { keyId: hashedKeyId(options.apiKey) } }] : []),
    ...(options.peerKey ? [{ digest: digest(options.peerKey), client: peer }] : []),
  ];
  const needsKey = known.length > 0 || options.exposed === true;
  const ownerDigest = options.ownerKey ? digest(options.ownerKey) : undefined;
  // Hashing the presented key is most of this middleware's work; a client sends the same key every time.
  // Ids of keys seen where none is required, bounded (oldest first out) since anyone may send any key.
  const idsSeen = new Map<string, ClientIdentity>();
  // Keys found valid: at most one entry per configured key, so it needs no bound. A miss (an invalid
  // or new key) still takes the constant-time comparison below.
  const validSeen = new Map<string, ClientIdentity>();
  const idOf = (key: string): ClientIdentity => {
    let client = idsSeen.get(key);
    if (client === undefined) {
      if (idsSeen.size >= REMEMBERED_IDS) idsSeen.delete(idsSeen.keys().next().value as string);
      client = { keyId: hashedKeyId(key) };
      idsSeen.set(key, client);
    }
    return client;
  };
  // One per server: what makes a signed request good once.
  const nonces = options.peerKey ? new PeerNonces() : undefined;
  return async (c, next) => {
    // Gemini clients may send the key as ?key= (Google's API takes it there); only on Gemini's paths.
    const key = presentedKey(c.req.raw.headers) ?? (dialectOfPath(c.req.path) === "gemini" ? c.req.query("key") : undefined);
    if (!needsKey || c.req.path === "/health" || c.req.method === "OPTIONS") {
      c.set("client", key === undefined || needsKey ? anonymous : idOf(key));
      return next();
    }
    const authorization = c.req.header("authorization");
    if (isPeerSignature(authorization)) {
      if (!options.peerKey || !nonces) {
        throw new WrenError("unauthorized", "This server takes no peer signatures: it has no peers key.", { hint: "Set the same peers.key on this server as on the peer calling it, or send this server's API key instead." });
      }
      const url = new URL(c.req.url);
      const verified = verifyPeerSignature(options.peerKey, authorization, { method: c.req.method, path: `${url.pathname}${url.search}` }, nonces);
      (c.req.raw as SignedRequest)[signatureKey] = verified;
      c.set("client", peer);
      return next();
    }
    let client: ClientIdentity | undefined;
    const ownerKey = c.req.header(OWNER_KEY_HEADER);
    if (ownerDigest && ownerKey !== undefined && timingSafeEqual(digest(ownerKey), ownerDigest)) client = owner;
    if (key !== undefined) client ??= validSeen.get(key);
    if (key !== undefined && client === undefined) {
      const presented = digest(key);
      // Every known key is compared, so the time taken does not say which one was close.
      for (const k of known) if (timingSafeEqual(presented, k.digest)) client ??= k.client;
      if (client !== undefined) validSeen.set(key, client);
    }
    if (!client) {
      throw new WrenError("unauthorized", key === undefined ? "This server requires an API key." : "The API key is not valid.", {
        hint:
          known.length > 0
            ? "Send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY' (Gemini clients: 'x-goog-api-key: KEY' or ?key=KEY)."
            : "The server is exposed beyond loopback without a key: restart it with --api-key (or configure server.keys).",
      });
    }
    c.set("client", client);
    return next();
  };
}
